"""Pages of home visits (上门服务): the applicant's requests, the centre's list with the
schedule and cancel forms (centre admin), and the staff member's visits with the record
form that opens the case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases.views._common import nav_context, raise_http
from yichuang.common.errors import DomainError
from yichuang.hall.forms_assistance import (
    CancelForm,
    HomeVisitRequestForm,
    RecordForm,
    ScheduleForm,
)
from yichuang.hall.models import HomeVisitStatus
from yichuang.hall.selectors import hall_centre
from yichuang.hall.services import home_visits
from yichuang.identity.access import phone_for
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.selectors import staff_for_user


def _form_errors(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _fail(request: HttpRequest, error: DomainError, to: str) -> HttpResponse:
    raise_http(error)
    messages.error(request, error.message)
    return HttpResponseRedirect(to)


# -- the applicant -----------------------------------------------------------------------


def _applicant(request: HttpRequest) -> Any:
    person = getattr(request.user, "applicant", None)
    if person is None:
        context = {"message": _("此页面供申请人使用，请以申请人账号登录。")}
        return render(request, "web/cases/forbidden.html", context, status=403)
    return person


@login_required
def my_home_visits(request: HttpRequest) -> HttpResponse:
    """上门服务: request a visit; the list of my requests with status and time."""
    person = _applicant(request)
    if isinstance(person, HttpResponse):
        return person
    centre = hall_centre(None)
    versions = home_visits.items_offered_at(centre)
    form = HomeVisitRequestForm(
        request.POST or None, versions=versions, initial={"contact_phone": person.phone}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data.pop("item_version")
        try:
            home_visits.home_visit_request(
                user=request.user,
                applicant=person,
                centre=centre,
                item=version.item if version else None,
                **data,
            )
        except DomainError as error:
            raise_http(error)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已提交上门服务申请，中心安排后会与您电话联系"))
            return HttpResponseRedirect(reverse("hall:my_home_visits"))
    visits = home_visits.home_visits_visible_to(request.user).filter(applicant=person)
    context = {"form": form, "visits": visits, "nav_section": "home_visits"}
    return render(request, "hall/home_visits/mine.html", context)


@login_required
@require_POST
def my_home_visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    person = _applicant(request)
    if isinstance(person, HttpResponse):
        return person
    back = reverse("hall:my_home_visits")
    try:
        visit = home_visits.home_visit_get_for(user=request.user, pk=pk)
        home_visits.home_visit_cancel(user=request.user, visit=visit)
    except DomainError as error:
        return _fail(request, error, back)
    messages.success(request, _("已取消上门服务申请"))
    return HttpResponseRedirect(back)


# -- the centre --------------------------------------------------------------------------


def _staff(request: HttpRequest) -> Staff:
    member = staff_for_user(request.user)
    if member is None:
        raise Http404(_("页面不存在"))
    return member


@login_required
def centre_home_visits(request: HttpRequest) -> HttpResponse:
    """The centre's home visits by status; a centre admin schedules and cancels."""
    member = _staff(request)
    status = request.GET.get("status", "")
    rows = home_visits.home_visits_visible_to(request.user).filter(centre=member.centre)
    if status in HomeVisitStatus.values:
        rows = rows.filter(status=status)
    staff = home_visits.home_visit_staff_choices(centre=member.centre)
    context = {
        **nav_context(member),
        "nav_section": "home_visits",
        "status": status,
        "statuses": HomeVisitStatus.choices,
        "rows": [
            {"visit": v, "phone": phone_for(request.user, v.contact_phone)}
            for v in rows.prefetch_related("staff")[:300]
        ],
        "schedules": Role.CENTRE_ADMIN in member.role_set(),
        "schedule_form": ScheduleForm(staff=staff),
        "cancel_form": CancelForm(),
    }
    return render(request, "hall/home_visits/centre.html", context)


@login_required
@require_POST
def home_visit_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    member = _staff(request)
    back = reverse("hall:home_visits")
    form = ScheduleForm(
        request.POST, staff=home_visits.home_visit_staff_choices(centre=member.centre)
    )
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return HttpResponseRedirect(back)
    try:
        visit = home_visits.home_visit_get_for(user=request.user, pk=pk)
        home_visits.home_visit_schedule(
            user=request.user, visit=visit, staff=list(form.cleaned_data["staff"]), when=form.when()
        )
    except DomainError as error:
        return _fail(request, error, back)
    messages.success(request, _("已安排上门服务"))
    return HttpResponseRedirect(back)


@login_required
@require_POST
def home_visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    back = reverse("hall:home_visits")
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return HttpResponseRedirect(back)
    try:
        visit = home_visits.home_visit_get_for(user=request.user, pk=pk)
        home_visits.home_visit_cancel(
            user=request.user, visit=visit, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return _fail(request, error, back)
    messages.success(request, _("已取消上门服务"))
    return HttpResponseRedirect(back)


# -- the staff member's visits ------------------------------------------------------------


@login_required
def my_visits(request: HttpRequest) -> HttpResponse:
    """我的上门服务: the visits I am scheduled for, the record form on each scheduled one."""
    member = _staff(request)
    visits = list(home_visits.home_visits_assigned_to(request.user).prefetch_related("staff")[:100])
    offered: dict[int, list[Any]] = {}  # the versions offered, read once per centre
    for visit in visits:
        if visit.centre_id not in offered:
            offered[visit.centre_id] = list(home_visits.home_visit_versions(visit))
    context = {
        **nav_context(member),
        "nav_section": "my_visits",
        "rows": [
            {
                "visit": v,
                "phone": v.contact_phone,  # the staff going there must be able to call
                "form": RecordForm(
                    versions=home_visits.home_visit_versions(v),
                    offered=offered[v.centre_id],
                    initial={"item_version": _requested_version(v, offered[v.centre_id])},
                    auto_id=f"id_visit{v.pk}_%s",
                ),
            }
            for v in visits
        ],
    }
    return render(request, "hall/home_visits/my_visits.html", context)


def _requested_version(visit: Any, offered: list[Any]) -> int | None:
    """The first offered version (by name) of the item the applicant asked for."""
    if visit.item_id is None:
        return None
    return next((v.pk for v in offered if v.item_id == visit.item_id), None)


@login_required
@require_POST
def home_visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    back = reverse("hall:my_visits")
    try:
        visit = home_visits.home_visit_get_for(user=request.user, pk=pk)
    except DomainError as error:
        return _fail(request, error, back)
    form = RecordForm(request.POST, versions=home_visits.home_visit_versions(visit))
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return HttpResponseRedirect(back)
    try:
        case = home_visits.home_visit_record(
            user=request.user,
            visit=visit,
            record=form.cleaned_data["record"],
            item_version=form.cleaned_data["item_version"],
        )
    except DomainError as error:
        return _fail(request, error, back)
    messages.success(request, _("已记录上门情况并创建办件 %(number)s") % {"number": case.number})
    return HttpResponseRedirect(back)
