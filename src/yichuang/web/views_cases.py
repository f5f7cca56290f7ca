"""Pages of cases for applicants and the public: landing after login, the public status
lookup, "my cases", the case page with its timeline and materials, and the online
application form. Thin views over the case engine's services and access functions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases import pdf as case_pdf
from yichuang.cases import selectors as case_selectors
from yichuang.cases import services as case_services
from yichuang.cases.errors import CaseNotFound
from yichuang.cases.models import Case
from yichuang.cases.views.notices import notice_pdf_response
from yichuang.cases.workflow import Status
from yichuang.catalog import selectors as catalog_selectors
from yichuang.catalog.errors import ItemNotFound
from yichuang.catalog.models import Material
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.common.pagination import keyset_page, list_page, pager
from yichuang.identity import services as identity_services
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Role
from yichuang.orgs.selectors import staff_for_user
from yichuang.web import case_display
from yichuang.web import selectors as portal_selectors
from yichuang.web.forms_cases import ApplyForm, LookupForm, MaterialUploadForm, WithdrawForm
from yichuang.workdays.selectors import calendar_get

# "My cases": submitted cases a page, and the most drafts shown above them.
MY_CASES_PAGE_SIZE = 20
MY_DRAFTS_SHOWN = 20

# Where each role lands after login, the first match winning.
ROLE_LANDING = (
    (frozenset({Role.WINDOW_OFFICER, Role.HELPER}), "/desk/"),
    (frozenset({Role.REVIEWER}), "/inbox/"),
    (frozenset({Role.LEADER, Role.CENTRE_ADMIN}), "/overview/"),
)

# The public lookup's brake: after this many wrong checks for one case number within the
# window, the number is answered "not found" for the rest of the window, right check or not.


# -- login landing -------------------------------------------------------------------------


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Send a user who just logged in to the page of their role."""
    if getattr(request.user, "applicant", None) is not None:
        return redirect("web:my_cases")
    member = staff_for_user(request.user)
    roles = member.role_set() if member is not None else set()
    for wanted, path in ROLE_LANDING:
        if roles & wanted:
            return HttpResponseRedirect(path)
    if request.user.is_staff:
        return HttpResponseRedirect("/admin/")
    return redirect("web:home")


# -- public lookup -------------------------------------------------------------------------


def lookup(request: HttpRequest) -> HttpResponse:
    """办件查询: number plus the last 6 characters of the applicant's ID number or phone.

    The check travels in a POST body, not in the address, so it stays out of logs and
    browser history. A wrong check is answered exactly like an unknown number.
    """
    found = None
    not_found = False
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["number"]
            try:
                case = case_selectors.case_lookup_public(
                    number=number, check=form.cleaned_data["check"]
                )
            except CaseNotFound:
                not_found = True
            else:
                found = _public_summary(case)
    else:
        form = LookupForm(initial={"number": (request.GET.get("number") or "")[:60]})
    context = {"form": form, "found": found, "not_found": not_found, "nav_section": "lookup"}
    return render(request, "web/cases/lookup.html", context)


def _public_summary(case: Case) -> dict[str, Any]:
    light = case_display.case_light(case=case, today=clock.today())
    return {
        "number": case.number,
        "status": case.status,
        "status_label": case.get_status_display(),
        "due_date": case.due_date,
        "light": light,
        "light_label": case_display.light_label(light, status=case.status),
    }


# -- my cases ------------------------------------------------------------------------------


def _applicant_required(request: HttpRequest) -> Applicant | HttpResponse:
    person = getattr(request.user, "applicant", None)
    if person is None:
        context = {"message": _("此页面供申请人使用，请以申请人账号登录。")}
        return render(request, "web/cases/forbidden.html", context, status=403)
    return person


def _own_cases(person: Applicant, user: Any):
    """The cases the applicant applied for or acts for as agent (with power of attorney)."""
    own = Q(applicant=person) | Q(agent=person, power_of_attorney=True)
    return case_selectors.cases_visible_to(user).filter(own)


def _own_case(request: HttpRequest, person: Applicant, number: str) -> Case:
    case = _own_cases(person, request.user).filter(number=number).first()
    if case is None:
        raise case_selectors.case_not_found()
    return case


def _case_or_404(request: HttpRequest, number: str) -> Case | HttpResponse:
    person = _applicant_required(request)
    if isinstance(person, HttpResponse):
        return person
    try:
        return _own_case(request, person, number)
    except CaseNotFound:
        context = {"not_found_message": _("未找到该办件。")}
        return render(request, "404.html", context, status=404)


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    person = _applicant_required(request)
    if isinstance(person, HttpResponse):
        return person
    own = case_selectors.for_list(_own_cases(person, request.user))
    # Drafts first (on the first page), then the rest newest first, a page at a time.
    page = list_page(
        request,
        own.exclude(status=Status.DRAFT),
        keyset=case_selectors.CASES_NEWEST_FIRST,
        size=MY_CASES_PAGE_SIZE,
    )
    drafts = []
    if not request.GET.get("cursor"):
        drafts = keyset_page(
            own.filter(status=Status.DRAFT),
            keyset=case_selectors.CASES_NEWEST_FIRST,
            cursor=None,
            size=MY_DRAFTS_SHOWN,
        ).rows
    today, calendar = clock.today(), calendar_get()
    rows = []
    for case in [*drafts, *page.rows]:
        light = case_display.case_light(case=case, today=today, calendar=calendar)
        rows.append(
            {
                "case": case,
                "light": light,
                "light_label": case_display.light_label(light, status=case.status),
            }
        )
    context = {
        "rows": rows,
        "person": person,
        "pager": pager(request, page),
        "nav_section": "my_cases",
    }
    return render(request, "web/cases/my_cases.html", context)


@login_required
def my_case(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    if isinstance(case, HttpResponse):
        return case
    return render(request, "web/cases/case_detail.html", _case_context(case))


def _case_context(
    case: Case,
    *,
    upload_error_slot: str = "",
    upload_errors: list[str] | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> dict[str, Any]:
    light = case_display.case_light(case=case, today=clock.today())
    materials = list(case.item_version.materials.order_by("position", "id"))
    submitted = list(case.materials.order_by("uploaded_at", "id"))
    notices = list(case.notices.order_by("issued_at", "id"))
    rows, others = case_display.checklist(materials=materials, submitted=submitted)
    correction = case_display.correction(
        case=case,
        notices=notices,
        suspensions=list(case.suspensions.all()),
        materials=materials,
        submitted=submitted,
    )
    commitments = case_display.commitments_pending(
        commitments=list(
            case.commitments.filter(fulfilled_at__isnull=True).prefetch_related(
                Prefetch("materials", queryset=Material.objects.order_by("position", "id"))
            )
        ),
        notices=notices,
        submitted=submitted,
    )
    may_upload = case.status in case_display.UPLOAD_STATUSES
    # An approval whose result is held for pending materials still takes them.
    may_supply = may_upload or (bool(commitments) and case.status == Status.APPROVED)
    slots = {str(row.material.pk) for row in rows if not row.shared} | {"other"}
    if correction is not None:
        slots |= {item.slot for item in correction.items}
    slots |= {row.slot for pending in commitments for row in pending.rows}
    if upload_error_slot and upload_error_slot not in slots:
        upload_error_slot = "other"
    shown = may_upload or (may_supply and upload_error_slot.startswith("pending-"))
    return {
        "case": case,
        "light": light,
        "light_label": case_display.light_label(light, status=case.status),
        "timeline": case_display.timeline(list(case_selectors.case_events(case=case))),
        "notices": notices,
        "checklist": rows,
        "other_materials": others,
        "missing_count": sum(1 for row in rows if row.missing),
        "correction": correction,
        "commitments": commitments,
        "may_upload": may_upload,
        "may_supply": may_supply,
        "may_submit": case_display.applicant_may(case=case, to_status=Status.SUBMITTED),
        "may_withdraw": case_display.applicant_may(case=case, to_status=Status.WITHDRAWN),
        "upload_error_slot": upload_error_slot,
        "upload_errors": upload_errors or [],
        # An upload refused while no upload form is shown (a closed case).
        "upload_errors_top": bool(upload_errors) and not shown,
        "withdraw_form": withdraw_form or WithdrawForm(),
        "nav_section": "my_cases",
    }


@login_required
@require_POST
def material_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    if isinstance(case, HttpResponse):
        return case
    form = MaterialUploadForm(request.POST, request.FILES, item_version_id=case.item_version_id)
    slot = str(request.POST.get("slot") or request.POST.get("material") or "other")[:80]
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            case_services.case_material_add(
                user=request.user,
                case=case,
                content=upload.read(),
                material=form.cleaned_data["material"],
            )
        except DomainError as error:
            errors = [error.message]
        else:
            messages.success(request, _("材料已上传"))
            return redirect("web:my_case", number=case.number)
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    context = _case_context(case, upload_error_slot=slot, upload_errors=errors)
    return render(request, "web/cases/case_detail.html", context, status=422)


@login_required
@require_POST
def case_submit(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    if isinstance(case, HttpResponse):
        return case
    try:
        case_services.case_submit(user=request.user, case=case)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已提交预审，请留意审查结果。"))
    return redirect("web:my_case", number=case.number)


@login_required
@require_POST
def case_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    if isinstance(case, HttpResponse):
        return case
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        context = _case_context(case, withdraw_form=form)
        return render(request, "web/cases/case_detail.html", context, status=422)
    try:
        case_services.case_withdraw(
            user=request.user, case=case, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("申请已撤回。"))
    return redirect("web:my_case", number=case.number)


@login_required
@require_POST
def supplement_submit(request: HttpRequest, number: str) -> HttpResponse:
    """提交补正材料: the supplement a correction during review asked for is handed in."""
    case = _case_or_404(request, number)
    if isinstance(case, HttpResponse):
        return case
    try:
        case_services.case_supplement_submit(user=request.user, case=case)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("补正材料已提交，办件恢复审查。"))
    return redirect("web:my_case", number=case.number)


# -- notices as PDF ------------------------------------------------------------------------


@login_required
def notice_pdf(request: HttpRequest, number: str, notice_number: str) -> HttpResponse:
    """A notice of a case the user may read, as a PDF shown in the browser."""
    try:
        case = case_selectors.case_get_for(user=request.user, number=number)
    except CaseNotFound:
        return render(request, "404.html", {"not_found_message": _("未找到该办件。")}, status=404)
    try:
        notice = case_selectors.notice_get_for(user=request.user, case=case, number=notice_number)
    except CaseNotFound:
        return render(request, "404.html", {"not_found_message": _("未找到该文书。")}, status=404)
    try:
        return notice_pdf_response(request=request, notice=notice)
    except case_pdf.PdfFontMissing as error:
        context = {"message": error.message, "case": case}
        return render(request, "web/cases/pdf_unavailable.html", context, status=503)


# -- apply ---------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The online application form of an item: save a draft, then upload materials."""
    person = _applicant_required(request)
    if isinstance(person, HttpResponse):
        return person
    try:
        version = catalog_selectors.item_get_published(code=code)
    except ItemNotFound:
        context = {"not_found_message": _("未找到该事项，它可能已调整或下线。")}
        return render(request, "404.html", context, status=404)
    online = case_display.online_intake(version)
    data = request.POST if request.method == "POST" else None
    form = ApplyForm(data, initial={"phone": person.phone})
    if request.method == "POST" and online and form.is_valid():
        try:
            case = _open(request, person=person, version=version, form=form)
        except DomainError as error:
            form.add_error(_error_field(error), error.message)
        else:
            messages.success(request, _("草稿已保存，请上传申请材料后提交预审。"))
            return redirect("web:my_case", number=case.number)
    context = {
        "centre": portal_selectors.portal_centre(),
        "version": version,
        "materials": list(version.materials.all()),
        "form": form,
        "online": online,
        "nav_section": "items",
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "web/cases/apply.html", context, status=status)


def _open(request: HttpRequest, *, person: Applicant, version, form: ApplyForm) -> Case:
    data = form.cleaned_data
    applicant, power_of_attorney = person, False
    if data["on_behalf"]:
        applicant = _principal(data)
        power_of_attorney = True
    return case_services.case_open(
        user=request.user,
        item_version=version,
        applicant=applicant,
        power_of_attorney=power_of_attorney,
        form_data=form.form_data(),
    )


def _principal(data: dict[str, Any]) -> Applicant:
    """The applicant an agent acts for: found by number (the name must match) or created."""
    principal, created = identity_services.applicant_get_or_create(
        kind=data["principal_kind"],
        id_number=data["principal_id_number"],
        name=data["principal_name"].strip(),
    )
    if not created and principal.name != data["principal_name"].strip():
        raise DomainError(
            code="principal_name_mismatch",
            message=_("申请人姓名或名称与证件号码不一致，请核对"),
            field="principal_name",
        )
    return principal


def _error_field(error: DomainError) -> str | None:
    return error.field if error.field in ApplyForm.base_fields else None
