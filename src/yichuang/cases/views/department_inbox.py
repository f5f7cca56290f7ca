"""The department inbox (后台审批): the reviewer's tasks by due date, the cases of their
department waiting for the decision, and one task's page with the review actions (approve,
correction, special procedure and its end, extension, reject).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases import services
from yichuang.cases.errors import CaseNotFound
from yichuang.cases.forms import (
    CorrectionForm,
    ExtensionRequestForm,
    OpinionForm,
    ReasonForm,
    ResumeForm,
    SuspendForm,
)
from yichuang.cases.models import Suspension, Task, TaskStatus
from yichuang.cases.selectors import (
    CASES_BY_DUE_DATE,
    TASKS_BY_DUE_DATE,
    department_task_get_for,
    tasks_inbox_for,
)
from yichuang.cases.services.suspensions import SPECIAL_PROCEDURES
from yichuang.cases.views._common import (
    INBOX_ROLES,
    nav_context,
    raise_http,
    short_list,
    staff_member,
    task_lights,
    timeline,
)
from yichuang.cases.views.decisions import (
    DECISIONS_SHOWN,
    decide,
    decision_rows,
    pending_for_department,
)
from yichuang.cases.workflow import Status
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.common.pagination import list_page, pager
from yichuang.identity.access import id_number_for, phone_for
from yichuang.orgs.models import Staff


def _approve(user: Any, task: Task, form: Any) -> None:
    services.task_approve(user=user, task=task, opinion=form.cleaned_data["opinion"])


def _reject(user: Any, task: Task, form: Any) -> None:
    services.task_reject(user=user, task=task, reason=form.cleaned_data["reason"])


def _correction(user: Any, task: Task, form: Any) -> None:
    services.task_request_correction(user=user, task=task, items=form.items())


def _suspend(user: Any, task: Task, form: Any) -> None:
    data = form.cleaned_data
    services.case_suspend(user=user, task=task, kind=data["kind"], reason=data["reason"])


def _resume(user: Any, task: Task, form: Any) -> None:
    services.case_resume(user=user, case=task.case)


def _extension(user: Any, task: Task, form: Any) -> None:
    data = form.cleaned_data
    services.extension_request(
        user=user, task=task, workdays=data["workdays"], reason=data["reason"]
    )


# panel → (form class, service call)
PANELS: dict[str, tuple[type, Callable[[Any, Task, Any], None]]] = {
    "approve": (OpinionForm, _approve),
    "reject": (ReasonForm, _reject),
    "correction": (CorrectionForm, _correction),
    "suspend": (SuspendForm, _suspend),
    "resume": (ResumeForm, _resume),
    "extension": (ExtensionRequestForm, _extension),
}
# Panels that act on a pending task of a case in review.
REVIEW_PANELS = frozenset({"approve", "reject", "correction", "suspend", "extension"})


def _inbox_context(request: HttpRequest, member: Staff, **extra: Any) -> dict[str, Any]:
    """One page of the department's pending tasks (`?cursor=` from the page before), and
    the first cases waiting for the decision."""
    today = clock.today()
    page = list_page(request, tasks_inbox_for(user=request.user), keyset=TASKS_BY_DUE_DATE)
    tasks = page.rows
    rows = [
        {
            "task": task,
            "light": light,
            "applicant_id": id_number_for(request.user, task.case.applicant.id_number),
        }
        for task, light in zip(tasks, task_lights(tasks=tasks, today=today), strict=True)
    ]
    pending = short_list(
        pending_for_department(request.user, member=member),
        keyset=CASES_BY_DUE_DATE,
        size=DECISIONS_SHOWN,
    )
    return {
        **nav_context(member),
        "nav_section": "inbox",
        "rows": rows,
        "pager": pager(request, page),
        "decisions": decision_rows(pending.rows, today=today, forms=extra.pop("forms", None)),
        "decisions_more": pending.has_more,
        "today": today,
        "action_error": None,
        **extra,
    }


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    member = staff_member(request, roles=INBOX_ROLES)
    return render(request, "cases/inbox.html", _inbox_context(request, member))


@login_required
@require_POST
def inbox_decide(request: HttpRequest, number: str) -> HttpResponse:
    """作出决定 on a case of the department waiting for it (准予许可 / 不予许可)."""
    member = staff_member(request, roles=INBOX_ROLES)
    case, form, error = decide(request, number)
    if error is None:
        return HttpResponseRedirect(reverse("cases:inbox"))
    context = _inbox_context(request, member, forms={case.pk: form}, action_error=error)
    return render(request, "cases/inbox.html", context)


def _task(request: HttpRequest, pk: int) -> Task:
    try:
        return department_task_get_for(user=request.user, pk=pk)
    except CaseNotFound as error:
        raise Http404(error.message) from error


def _form(panel: str, task: Task, data: Any = None) -> Any:
    form_class, auto_id = PANELS[panel][0], f"id_{panel}_%s"
    if form_class is CorrectionForm:
        materials = list(task.case.item_version.materials.all())
        return CorrectionForm(data, materials=materials, auto_id=auto_id)
    return form_class(data, auto_id=auto_id)


def _special_procedure(task: Task) -> Suspension | None:
    """The special procedure (特别程序) stopping the case's clock, if one runs."""
    if task.case.status != Status.SUSPENDED:
        return None
    return (
        Suspension.objects.filter(
            case=task.case, ended_on__isnull=True, kind__in=SPECIAL_PROCEDURES
        )
        .order_by("-started_on", "-id")
        .first()
    )


def _task_context(request: HttpRequest, member: Staff, task: Task, **extra: Any) -> dict[str, Any]:
    case = task.case
    reviewing = task.status == TaskStatus.PENDING and case.status == Status.IN_REVIEW
    procedure = _special_procedure(task)
    enabled = {name: reviewing for name in REVIEW_PANELS} | {"resume": procedure is not None}
    panels = {
        name: {
            "form": extra.pop(f"{name}_form", None) or _form(name, task),
            "enabled": enabled[name],
        }
        for name in PANELS
    }
    context = {
        **nav_context(member),
        "nav_section": "inbox",
        "task": task,
        "case": case,
        "light": task_lights(tasks=[task], today=clock.today())[0],
        "applicant_id": id_number_for(request.user, case.applicant.id_number),
        "applicant_phone": phone_for(request.user, case.applicant.phone),
        "materials": case.materials.select_related("material"),
        "notices": case.notices.order_by("issued_at", "id"),
        "timeline": timeline(case=case),
        "panels": panels,
        "reviewing": reviewing,
        "procedure": procedure,
        "action_error": None,
    }
    context.update(extra)
    return context


@login_required
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = staff_member(request, roles=INBOX_ROLES)
    task = _task(request, pk)
    return render(request, "cases/task.html", _task_context(request, member, task))


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, panel: str) -> HttpResponse:
    member = staff_member(request, roles=INBOX_ROLES)
    task = _task(request, pk)
    if panel not in PANELS:
        raise Http404(_("页面不存在"))
    form = _form(panel, task, request.POST)
    action_error = None
    if form.is_valid():
        try:
            PANELS[panel][1](request.user, task, form)
        except DomainError as error:
            raise_http(error)
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                action_error = error.message
        else:
            return HttpResponseRedirect(reverse("cases:task", args=[task.pk]))
    task = _task(request, pk)
    context = _task_context(
        request, member, task, action_error=action_error, **{f"{panel}_form": form}
    )
    return render(request, "cases/task.html", context)
