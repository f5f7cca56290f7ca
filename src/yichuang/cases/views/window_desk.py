"""The window desk (综合受理窗口): find any item, open a case, check materials, decide.

无差别综合受理: a window officer accepts any published item of their centre or of a centre
above it. The desk case page has the material checklist and the panels of what the window
does in the case's status: online pre-review (要求补正), accept, accept with pending
materials (容缺受理), one-time notice, refusal; then, in `window_result`, a 即办件's
decision, the result and the conclusion, and the supplement of a correction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yichuang.cases import services
from yichuang.cases.forms import (
    ConcludeForm,
    CorrectionForm,
    ItemSearchForm,
    MaterialUploadForm,
    OneTimeNoticeForm,
    OpenCaseForm,
    PendingAcceptForm,
    ReasonForm,
    error_to_form,
)
from yichuang.cases.models import (
    Case,
    Channel,
    MaterialCommitment,
    NoticeKind,
    SubmittedMaterial,
    Suspension,
    SuspensionKind,
)
from yichuang.cases.selectors import (
    case_get_for,
    cases_visible_to,
    for_list,
    materials_missing,
)
from yichuang.cases.services.materials import CLOSED
from yichuang.cases.views._common import (
    DESK_ROLES,
    nav_context,
    raise_http,
    short_list,
    staff_member,
    timeline,
)
from yichuang.cases.workflow import Actor, Status, transition_allowed
from yichuang.catalog import selectors as catalog_selectors
from yichuang.catalog.models import Material, MaterialSource, ServiceItemVersion
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.common.pagination import Keyset
from yichuang.hall.views import calling as hall_calling
from yichuang.identity.access import id_number_for, phone_for
from yichuang.identity.models import ApplicantKind
from yichuang.identity.services import applicant_get_or_create
from yichuang.orgs.models import Role, Staff

SEARCH_LIMIT = 20
# Cases that wait for something at the window: acceptance, a 即办件's conclusion.
WAITING = (
    Status.SUBMITTED,
    Status.AWAITING_MATERIALS,
    Status.CORRECTION_REQUESTED,
    Status.ACCEPTED,
)
# Decided cases whose result the result window (出件窗口) issues.
DECIDED = (Status.APPROVED, Status.REFUSED)
# The orders of the desk's lists (the cases listed are submitted, so submitted_at is set).
SUBMITTED_LATEST_FIRST = Keyset(
    name="desk-today", fields=("submitted_at", "id"), kinds=(dt.datetime, int), descending=True
)
SUBMITTED_EARLIEST_FIRST = Keyset(
    name="desk-waiting", fields=("submitted_at", "id"), kinds=(dt.datetime, int)
)
DECIDED_EARLIEST = Keyset(
    name="desk-results", fields=("updated_at", "id"), kinds=(dt.datetime, int)
)


def offered_versions(member: Staff) -> QuerySet[ServiceItemVersion]:
    """Published versions of the member's centre and of every centre above it."""
    ancestors = [int(pk) for pk in member.centre.path.strip("/").split("/") if pk]
    return catalog_selectors.published_versions().filter(item__centre_id__in=ancestors)


def _search(member: Staff, q: str) -> QuerySet[ServiceItemVersion]:
    ancestors = offered_versions(member).values("pk")
    return catalog_selectors.item_search(q=q).filter(pk__in=ancestors)[:SEARCH_LIMIT]


def _desk_context(request: HttpRequest, member: Staff, open_form: OpenCaseForm) -> dict[str, Any]:
    search = ItemSearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    visible = for_list(cases_visible_to(request.user).filter(centre=member.centre))
    return {
        **nav_context(member),
        "nav_section": "desk",
        "search": search,
        "q": q,
        "results": _search(member, q) if q else [],
        "form": open_form,
        "chosen": _chosen(open_form),
        # Each list shows its first `SHORT_LIST_SIZE` cases and says when there are more.
        "today_cases": short_list(
            visible.filter(submitted_at__gte=_start_of_today()), keyset=SUBMITTED_LATEST_FIRST
        ),
        "waiting_cases": short_list(
            visible.filter(status__in=WAITING), keyset=SUBMITTED_EARLIEST_FIRST
        ),
        "result_cases": short_list(visible.filter(status__in=DECIDED), keyset=DECIDED_EARLIEST),
        # The hall's calling panel and the ticket a case is opened for (开办件).
        **hall_calling.desk_context(request),
    }


def _start_of_today() -> dt.datetime:
    """Midnight of today in the platform's time zone (a range on `submitted_at` that its
    index can seek, where `__date=` would compute the date of every row)."""
    return timezone.make_aware(dt.datetime.combine(clock.today(), dt.time.min))


def _chosen(form: OpenCaseForm) -> ServiceItemVersion | None:
    pk = _int_or_none(form["item_version"].value())
    if pk is None:
        return None
    return form.fields["item_version"].queryset.filter(pk=pk).first()


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    member = staff_member(request, roles=DESK_ROLES)
    initial = {"item_version": _int_or_none(request.GET.get("item"))}
    initial.update(hall_calling.open_form_initial(hall_calling.desk_ticket(request)))
    form = OpenCaseForm(initial=initial, versions=offered_versions(member))
    context = _desk_context(request, member, form)
    if request.htmx and request.htmx.target == "item-results":
        return render(request, "cases/_item_results.html", context)
    return render(request, "cases/desk.html", context)


@login_required
@require_POST
def case_open(request: HttpRequest) -> HttpResponse:
    member = staff_member(request, roles=DESK_ROLES)
    form = OpenCaseForm(request.POST, versions=offered_versions(member))
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                case = _open(request, member, data)
                hall_calling.case_link_from_desk(request, case)
        except DomainError as error:
            raise_http(error)
            error_to_form(form, error)
        else:
            return HttpResponseRedirect(reverse("cases:desk_case", args=[case.number]))
    return render(request, "cases/desk.html", _desk_context(request, member, form))


def _open(request: HttpRequest, member: Staff, data: dict[str, Any]) -> Case:
    applicant, _created = applicant_get_or_create(
        kind=data["kind"], id_number=data["id_number"], name=data["name"], phone=data["phone"]
    )
    agent = None
    if data.get("agent_id_number"):
        agent, _created = applicant_get_or_create(
            kind=ApplicantKind.NATURAL_PERSON,
            id_number=data["agent_id_number"],
            name=data["agent_name"],
        )
    return services.case_open(
        user=request.user,
        item_version=data["item_version"],
        applicant=applicant,
        # A helper (帮办代办员) opens the case as assisted handling, not at a window.
        channel=Channel.WINDOW if Role.WINDOW_OFFICER in member.role_set() else Channel.ASSISTED,
        agent=agent,
        power_of_attorney=agent is not None,
    )


# -- the desk case page ------------------------------------------------------------------


@dataclass
class ChecklistRow:
    material: Material
    shared: bool
    missing: bool
    files: list[SubmittedMaterial] = field(default_factory=list)


def _checklist(case: Case) -> list[ChecklistRow]:
    missing = {m.pk for m in materials_missing(case=case)}
    files: dict[int | None, list[SubmittedMaterial]] = {}
    for row in case.materials.all():
        files.setdefault(row.material_id, []).append(row)
    return [
        ChecklistRow(
            material=m,
            shared=m.source == MaterialSource.DATA_SHARING,
            missing=m.pk in missing,
            files=files.get(m.pk, []),
        )
        for m in case.item_version.materials.order_by("position", "id")
    ]


def _pendable_missing(case: Case) -> QuerySet[Material]:
    missing = [m.pk for m in materials_missing(case=case) if m.pendable]
    return Material.objects.filter(pk__in=missing).order_by("position", "id")


def _handed_in(case: Case) -> list[Material]:
    ids = case.materials.exclude(material=None).values("material_id")
    return list(Material.objects.filter(pk__in=ids).order_by("position", "id"))


def _open_commitments(case: Case) -> bool:
    return case.commitments.filter(fulfilled_at__isnull=True).exists()


def _correction_open(case: Case) -> dict[str, Any] | None:
    """The correction (补正) a department asked for during review, while it runs."""
    if case.status != Status.SUSPENDED:
        return None
    suspension = Suspension.objects.filter(
        case=case, ended_on__isnull=True, kind=SuspensionKind.CORRECTION
    ).first()
    if suspension is None:
        return None
    notice = case.notices.filter(kind=NoticeKind.CORRECTION).order_by("-issued_at").first()
    return {"suspension": suspension, "items": notice.body.get("items", []) if notice else []}


def _conclude_form(case: Case) -> ConcludeForm:
    name = case.item_version.result_name if case.status != Status.REFUSED else ""
    return ConcludeForm(initial={"result_name": name}, auto_id="id_conclude_%s")


def _case_context(request: HttpRequest, member: Staff, case: Case, **forms: Any) -> dict[str, Any]:
    materials = case.item_version.materials.all()
    decidable = transition_allowed(
        from_status=case.status, to_status=Status.ACCEPTED, by=Actor.STAFF
    )
    pending_open = _open_commitments(case)
    held = case.status == Status.APPROVED and pending_open
    context = {
        **nav_context(member),
        "nav_section": "desk",
        "case": case,
        "applicant_id": id_number_for(request.user, case.applicant.id_number),
        "applicant_phone": phone_for(request.user, case.applicant.phone),
        "agent_id": id_number_for(request.user, case.agent_id_number),
        "checklist": _checklist(case),
        "missing": materials_missing(case=case),
        "extra_files": case.materials.filter(material=None),
        "upload_form": MaterialUploadForm(materials=materials),
        "decidable": decidable,
        # Online pre-review (预审) of a case submitted online.
        "prereview": case.channel == Channel.ONLINE and case.status == Status.SUBMITTED,
        # 即办件: decided and concluded at the window.
        "window_decidable": case.status == Status.ACCEPTED,
        "concludable": case.status in DECIDED,
        "result_held": held,
        "pending_open": pending_open,
        "correction_open": _correction_open(case),
        "uploadable": case.status not in CLOSED or held,
        "notice_form": OneTimeNoticeForm(handed_in=_handed_in(case)),
        "correction_form": CorrectionForm(materials=list(materials), auto_id="id_correction_%s"),
        "refuse_form": ReasonForm(),
        "pending_form": PendingAcceptForm(pendable=_pendable_missing(case)),
        "pendable_missing": _pendable_missing(case),
        "conclude_form": _conclude_form(case),
        "refuse_decision_form": ReasonForm(auto_id="id_refuse_decision_%s"),
        "commitments": MaterialCommitment.objects.filter(case=case)
        .prefetch_related("materials")
        .order_by("signed_at", "id"),
        "notices": case.notices.order_by("issued_at", "id"),
        "timeline": timeline(case=case),
        "action_error": None,
    }
    context.update(forms)
    return context


def desk_case_get(request: HttpRequest, number: str) -> Case:
    try:
        return case_get_for(user=request.user, number=number)
    except DomainError as error:
        raise_http(error)
        raise


@login_required
def desk_case(request: HttpRequest, number: str) -> HttpResponse:
    member = staff_member(request, roles=DESK_ROLES)
    case = desk_case_get(request, number)
    return render(request, "cases/desk_case.html", _case_context(request, member, case))


def back_to_case(case: Case) -> HttpResponse:
    return HttpResponseRedirect(reverse("cases:desk_case", args=[case.number]))


def case_redisplay(request: HttpRequest, member: Staff, case: Case, **forms: Any) -> HttpResponse:
    case = desk_case_get(request, case.number)  # fresh state after a refused action
    return render(request, "cases/desk_case.html", _case_context(request, member, case, **forms))


@login_required
@require_POST
def material_upload(request: HttpRequest, number: str) -> HttpResponse:
    member = staff_member(request, roles=DESK_ROLES)
    case = desk_case_get(request, number)
    form = MaterialUploadForm(
        request.POST, request.FILES, materials=case.item_version.materials.all()
    )
    if form.is_valid():
        try:
            services.case_material_add(
                user=request.user,
                case=case,
                content=form.cleaned_data["file"].read(),
                material=form.cleaned_data["material"],
            )
        except DomainError as error:
            raise_http(error)
            error_to_form(form, error)
        else:
            return back_to_case(case)
    return case_redisplay(request, member, case, upload_form=form)


def act(request: HttpRequest, number: str, action: Any) -> HttpResponse:
    """Run one window action; on a rule error show the page with the message."""
    member = staff_member(request, roles=DESK_ROLES)
    case = desk_case_get(request, number)
    try:
        forms_or_none = action(case)
    except DomainError as error:
        raise_http(error)
        return case_redisplay(request, member, case, action_error=error.message)
    if forms_or_none:
        return case_redisplay(request, member, case, **forms_or_none)
    return back_to_case(case)


@login_required
@require_POST
def accept(request: HttpRequest, number: str) -> HttpResponse:
    def action(case: Case) -> None:
        services.case_accept(user=request.user, case=case)

    return act(request, number, action)


@login_required
@require_POST
def accept_pending(request: HttpRequest, number: str) -> HttpResponse:
    def action(case: Case) -> dict[str, Any] | None:
        form = PendingAcceptForm(request.POST, pendable=_pendable_missing(case))
        if not form.is_valid():
            return {"pending_form": form}
        data = form.cleaned_data
        services.case_accept(
            user=request.user,
            case=case,
            pending=list(data["pending"]),
            signed_by_name=data["signed_by_name"],
            signed_by_id_number=data["signed_by_id_number"],
            supply_by=data["supply_by"],
        )
        return None

    return act(request, number, action)


@login_required
@require_POST
def one_time_notice(request: HttpRequest, number: str) -> HttpResponse:
    def action(case: Case) -> dict[str, Any] | None:
        form = OneTimeNoticeForm(request.POST, handed_in=_handed_in(case))
        if not form.is_valid():
            return {"notice_form": form}
        services.case_issue_one_time_notice(user=request.user, case=case, defects=form.defects())
        return None

    return act(request, number, action)


@login_required
@require_POST
def refuse(request: HttpRequest, number: str) -> HttpResponse:
    def action(case: Case) -> dict[str, Any] | None:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return {"refuse_form": form}
        services.case_refuse(user=request.user, case=case, reason=form.cleaned_data["reason"])
        return None

    return act(request, number, action)


@login_required
@require_POST
def request_correction(request: HttpRequest, number: str) -> HttpResponse:
    """Online pre-review (预审): tell the applicant what to correct; the case goes back."""

    def action(case: Case) -> dict[str, Any] | None:
        form = CorrectionForm(
            request.POST,
            materials=list(case.item_version.materials.all()),
            auto_id="id_correction_%s",
        )
        if not form.is_valid():
            return {"correction_form": form}
        services.case_request_correction(user=request.user, case=case, items=form.items())
        return None

    return act(request, number, action)
