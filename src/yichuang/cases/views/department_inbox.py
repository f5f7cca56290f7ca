"""The department inbox (后台审批): the reviewer's tasks by due date, and one task's page.

The review actions (approve, reject, correction, special procedure, extension) are the
review services; a panel whose service is not on this installation yet is shown disabled.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases.forms import (
    ExtensionRequestForm,
    OpinionForm,
    ReasonForm,
    SuspendForm,
    TaskCorrectionForm,
    error_to_form,
)
from yichuang.cases.models import Task, TaskStatus
from yichuang.cases.selectors import tasks_inbox_for
from yichuang.cases.views._common import (
    INBOX_ROLES,
    nav_context,
    raise_http,
    service_or_none,
    staff_member,
    task_lights,
    timeline,
)
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.identity.access import id_number_for, phone_for
from yichuang.orgs.models import Staff

# panel → (service name, form class)
PANELS = {
    "approve": ("task_approve", OpinionForm),
    "reject": ("task_reject", ReasonForm),
    "correction": ("task_request_correction", TaskCorrectionForm),
    "suspend": ("case_suspend", SuspendForm),
    "extension": ("extension_request", ExtensionRequestForm),
}


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    member = staff_member(request, roles=INBOX_ROLES)
    today = clock.today()
    tasks = list(tasks_inbox_for(user=request.user).prefetch_related("suspensions"))
    rows = [
        {
            "task": task,
            "light": light,
            "applicant_id": id_number_for(request.user, task.case.applicant.id_number),
        }
        for task, light in zip(tasks, task_lights(tasks=tasks, today=today), strict=True)
    ]
    context = {**nav_context(member), "nav_section": "inbox", "rows": rows, "today": today}
    return render(request, "cases/inbox.html", context)


def task_get_for(*, member: Staff, pk: int) -> Task:
    """A task of the reviewer's own department, in any status; 404 otherwise."""
    task = (
        Task.objects.filter(pk=pk, department_id=member.department_id)
        .exclude(department_id=None)
        .select_related("case", "case__item_version", "case__applicant", "stage", "department")
        .first()
    )
    if task is None:
        raise Http404(_("未找到该审批任务"))
    return task


def _form(panel: str, task: Task, data: Any = None) -> Any:
    form_class = PANELS[panel][1]
    if form_class is TaskCorrectionForm:
        return TaskCorrectionForm(data, materials=list(task.case.item_version.materials.all()))
    return form_class(data)


def _task_context(request: HttpRequest, member: Staff, task: Task, **extra: Any) -> dict[str, Any]:
    case = task.case
    panels = {
        name: {
            "form": extra.pop(f"{name}_form", None) or _form(name, task),
            "enabled": service_or_none(service) is not None and task.status == TaskStatus.PENDING,
            "available": service_or_none(service) is not None,
        }
        for name, (service, _form_class) in PANELS.items()
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
        "action_error": None,
    }
    context.update(extra)
    return context


@login_required
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    member = staff_member(request, roles=INBOX_ROLES)
    task = task_get_for(member=member, pk=pk)
    return render(request, "cases/task.html", _task_context(request, member, task))


def _call(panel: str, *, user: Any, task: Task, data: dict[str, Any], form: Any) -> None:
    function = service_or_none(PANELS[panel][0])
    if function is None:
        raise DomainError(code="not_available", message=_("该功能暂未开放"))
    if panel == "approve":
        function(user=user, task=task, opinion=data["opinion"])
    elif panel == "reject":
        function(user=user, task=task, reason=data["reason"])
    elif panel == "correction":
        function(user=user, task=task, items=form.items())
    elif panel == "suspend":
        function(user=user, task=task, kind=data["kind"], reason=data["reason"])
    else:
        function(user=user, task=task, workdays=data["workdays"], reason=data["reason"])


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, panel: str) -> HttpResponse:
    member = staff_member(request, roles=INBOX_ROLES)
    task = task_get_for(member=member, pk=pk)
    if panel not in PANELS:
        raise Http404(_("页面不存在"))
    form = _form(panel, task, request.POST)
    if form.is_valid():
        try:
            _call(panel, user=request.user, task=task, data=form.cleaned_data, form=form)
        except DomainError as error:
            raise_http(error)
            error_to_form(form, error)
        else:
            return HttpResponseRedirect(reverse("cases:task", args=[task.pk]))
    task = task_get_for(member=member, pk=pk)
    context = _task_context(request, member, task, **{f"{panel}_form": form})
    return render(request, "cases/task.html", context)
