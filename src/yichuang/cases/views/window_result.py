"""The window's work after acceptance: a 即办件 decided and concluded on the spot, the
result of a decided case issued (出件) and the case concluded (办结), and the supplement of
a correction asked for in review handed in at the window.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from yichuang.cases import services
from yichuang.cases.forms import ConcludeForm, ReasonForm
from yichuang.cases.models import Case, Outcome
from yichuang.cases.views.window_desk import act


def _conclude_form(request: HttpRequest) -> ConcludeForm:
    return ConcludeForm(request.POST, auto_id="id_conclude_%s")


def _conclude(request: HttpRequest, case: Case, data: dict[str, Any]) -> Case:
    return services.case_conclude(
        user=request.user,
        case=case,
        result_name=data["result_name"],
        result_number=data["result_number"],
        delivery=data["delivery"],
        tracking_number=data["tracking_number"],
    )


@login_required
@require_POST
def window_conclude(request: HttpRequest, number: str) -> HttpResponse:
    """即办件: approve and conclude in one step. While materials accepted as pending (容缺)
    are still out, only the decision is made: the result waits for them."""

    def action(case: Case) -> dict[str, Any] | None:
        form = _conclude_form(request)
        if not form.is_valid():
            return {"conclude_form": form}
        with transaction.atomic():
            decided = services.case_decide(user=request.user, case=case, outcome=Outcome.APPROVED)
            if not decided.commitments.filter(fulfilled_at__isnull=True).exists():
                _conclude(request, decided, form.cleaned_data)
        return None

    return act(request, number, action)


@login_required
@require_POST
def window_refuse(request: HttpRequest, number: str) -> HttpResponse:
    """即办件: 不予许可 at the window, with the reason."""

    def action(case: Case) -> dict[str, Any] | None:
        form = ReasonForm(request.POST, auto_id="id_refuse_decision_%s")
        if not form.is_valid():
            return {"refuse_decision_form": form}
        services.case_decide(
            user=request.user,
            case=case,
            outcome=Outcome.REFUSED,
            reason=form.cleaned_data["reason"],
        )
        return None

    return act(request, number, action)


@login_required
@require_POST
def result_issue(request: HttpRequest, number: str) -> HttpResponse:
    """出件: the result of an approved or refused case is issued and the case concluded."""

    def action(case: Case) -> dict[str, Any] | None:
        form = _conclude_form(request)
        if not form.is_valid():
            return {"conclude_form": form}
        _conclude(request, case, form.cleaned_data)
        return None

    return act(request, number, action)


@login_required
@require_POST
def supplement_received(request: HttpRequest, number: str) -> HttpResponse:
    """补正材料已收齐: the supplements scanned at the window restart the clock."""

    def action(case: Case) -> None:
        services.case_supplement_submit(user=request.user, case=case)

    return act(request, number, action)
