"""The leader overview (效能监察): counts by status, overdue and near-due cases, cases
waiting for the decision, extension requests.

A leader or a centre admin sees the cases of their centre and of the centres below it
(`cases_visible_to`). A leader decides cases (`case_decide`) and extension requests
(`extension_decide`) here; a centre admin sees them without the forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases import deadlines, services
from yichuang.cases.forms import ExtensionDecideForm
from yichuang.cases.models import Extension, ExtensionStatus
from yichuang.cases.selectors import (
    CASES_BY_DUE_DATE,
    cases_overdue_for,
    cases_visible_to,
    for_list,
)
from yichuang.cases.views._common import (
    OVERVIEW_ROLES,
    case_lights,
    nav_context,
    raise_http,
    short_list,
    staff_member,
)
from yichuang.cases.views.decisions import (
    DECISIONS_SHOWN,
    decide,
    decision_rows,
    pending_for_centre,
)
from yichuang.cases.workflow import CLOCK_RUNNING, Status
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.common.pagination import Keyset, list_page, pager
from yichuang.orgs.models import Role, Staff

# Counts stop here: past it the page says "10000+" (an exact count of a province's cases
# reads every one of them on every visit).
COUNT_CAP = 10_000
# The near-due list looks at this many open cases in time, the nearest due date first:
# the yellow ones are among them unless that many are due before the first yellow one.
NEAR_DUE_CANDIDATES = 200
EXTENSIONS_BY_REQUEST = Keyset(
    name="extensions", fields=("requested_at", "id"), kinds=(dt.datetime, int)
)


def _status_counts(user: Any) -> list[dict[str, Any]]:
    """Cases per status, each counted up to `COUNT_CAP` (one LIMITed count per status)."""
    visible = cases_visible_to(user).order_by()
    counts = {
        value: visible.filter(status=value).values("pk")[: COUNT_CAP + 1].count()
        for value in Status.values
    }
    return [
        {
            "status": value,
            "label": label,
            "count": min(counts[value], COUNT_CAP),
            "capped": counts[value] > COUNT_CAP,
        }
        for value, label in Status.choices
        if counts[value]
    ]


def _near_due(user: Any, today: Any) -> list[dict[str, Any]]:
    """Open cases in time whose light is yellow, the nearest due date first (among the
    `NEAR_DUE_CANDIDATES` nearest)."""
    open_cases = for_list(
        cases_visible_to(user)
        .filter(status__in=CLOCK_RUNNING, due_date__gte=today)
        .order_by(*CASES_BY_DUE_DATE.ordering())
    )
    open_cases = list(open_cases[:NEAR_DUE_CANDIDATES])
    lights = case_lights(cases=open_cases, today=today)
    return [
        {"case": case, "light": light}
        for case, light in zip(open_cases, lights, strict=True)
        if light is not None and light.colour == deadlines.Light.YELLOW
    ]


def _extensions(user: Any) -> Any:
    return Extension.objects.filter(
        status=ExtensionStatus.REQUESTED, case__in=cases_visible_to(user).values("pk")
    ).select_related("case", "case__item_version", "task__department", "requested_by")


OVERDUE_CURSOR = "overdue_cursor"


def _decide_form(pk: int, data: Any = None) -> ExtensionDecideForm:
    return ExtensionDecideForm(data, auto_id=f"id_extension{pk}_%s")


def _context(request: HttpRequest, member: Staff, **extra: Any) -> dict[str, Any]:
    today = clock.today()
    forms = extra.pop("forms", {})
    leader = Role.LEADER in member.role_set()
    overdue = list_page(
        request,
        cases_overdue_for(user=request.user, today=today),
        keyset=CASES_BY_DUE_DATE,
        param=OVERDUE_CURSOR,
    )
    decisions = short_list(
        pending_for_centre(request.user), keyset=CASES_BY_DUE_DATE, size=DECISIONS_SHOWN
    )
    extensions = short_list(_extensions(request.user), keyset=EXTENSIONS_BY_REQUEST)
    context = {
        **nav_context(member),
        "nav_section": "overview",
        "today": today,
        "counts": _status_counts(request.user),
        "overdue": overdue.rows,
        "overdue_pager": pager(request, overdue, param=OVERDUE_CURSOR),
        "near_due": _near_due(request.user, today),
        "decisions": decision_rows(
            decisions.rows, today=today, forms=extra.pop("decide_forms", None)
        ),
        "decisions_more": decisions.has_more,
        "may_decide": leader,
        "extensions": [
            {"extension": e, "form": forms.get(e.pk) or _decide_form(e.pk)} for e in extensions.rows
        ],
        "extensions_more": extensions.has_more,
        "action_error": None,
    }
    context.update(extra)
    return context


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    member = staff_member(request, roles=OVERVIEW_ROLES)
    return render(request, "cases/overview.html", _context(request, member))


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    member = staff_member(request, roles=OVERVIEW_ROLES)
    extension = _extensions(request.user).filter(pk=pk).first()
    if extension is None:
        raise Http404(_("未找到该延期申请"))
    form = _decide_form(extension.pk, request.POST)
    if form.is_valid():
        try:
            services.extension_decide(
                user=request.user,
                extension=extension,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            raise_http(error)
            form.add_error(None, error.message)
        else:
            return HttpResponseRedirect(reverse("cases:overview"))
    context = _context(request, member, forms={extension.pk: form})
    return render(request, "cases/overview.html", context)


@login_required
@require_POST
def overview_decide(request: HttpRequest, number: str) -> HttpResponse:
    """A leader decides a case waiting for the decision (准予许可 / 不予许可)."""
    member = staff_member(request, roles=OVERVIEW_ROLES)
    case, form, error = decide(request, number)
    if error is None:
        return HttpResponseRedirect(reverse("cases:overview"))
    context = _context(request, member, decide_forms={case.pk: form}, action_error=error)
    return render(request, "cases/overview.html", context)
