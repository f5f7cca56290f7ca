"""Cases waiting for their decision (待作出决定), and the decide form of the inbox and the
leader overview: `case_decide` lets a reviewer of a department that had a task in the case,
or a leader of its centre, decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from yichuang.cases import services
from yichuang.cases.forms import DecideForm, error_to_form
from yichuang.cases.models import Case, Task
from yichuang.cases.selectors import case_get_for, cases_visible_to, for_list
from yichuang.cases.views._common import case_lights, raise_http
from yichuang.cases.workflow import Status
from yichuang.common.errors import DomainError
from yichuang.orgs.models import Staff


def pending_for_department(user: Any, *, member: Staff) -> QuerySet[Case]:
    """Cases waiting for the decision in which the reviewer's department had a task (in
    `CASES_BY_DUE_DATE` order once paged)."""
    tasks = Task.objects.filter(department_id=member.department_id).values("case_id")
    return for_list(cases_visible_to(user).filter(status=Status.PENDING_DECISION, pk__in=tasks))


def pending_for_centre(user: Any) -> QuerySet[Case]:
    """Cases waiting for the decision in the centres the user oversees."""
    return for_list(cases_visible_to(user).filter(status=Status.PENDING_DECISION))


# The cases waiting for the decision shown on the inbox and the overview, each with its
# form: the most urgent first; the page says when more wait.
DECISIONS_SHOWN = 10


def decide_form(case: Case, data: Any = None) -> DecideForm:
    return DecideForm(data, auto_id=f"id_decide{case.pk}_%s")


def decision_rows(
    cases: Iterable[Case], *, today: dt.date, forms: dict[int, DecideForm] | None = None
) -> list[dict[str, Any]]:
    """One row per case: the case, its light and its decide form."""
    rows = list(cases)
    forms = forms or {}
    return [
        {"case": case, "light": light, "form": forms.get(case.pk) or decide_form(case)}
        for case, light in zip(rows, case_lights(cases=rows, today=today), strict=True)
    ]


def decide(request: HttpRequest, number: str) -> tuple[Case, DecideForm, str | None]:
    """Parse the decide form and call `case_decide`: (case, form, error). The form is
    unbound after success; a rule error comes back as a message and on the form."""
    try:
        case = case_get_for(user=request.user, number=number)
    except DomainError as error:
        raise_http(error)
        raise
    form = decide_form(case, request.POST)
    if not form.is_valid():
        return case, form, _("请检查决定的填写内容")
    try:
        services.case_decide(
            user=request.user,
            case=case,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        raise_http(error)
        error_to_form(form, error)
        return case, form, error.message
    return case, decide_form(case), None
