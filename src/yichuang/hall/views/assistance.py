"""Pages of assisted handling (帮办代办): the helper's 我的帮办 and the centre's assignments.

A helper records the applicant's authorisation and opens cases for them (a simple select
of the items the centre offers, the desk's `offered_versions`); the case then lives on the
desk's case page like any other. A centre admin (or window officer) assigns helpers to
applicants, found by ID number or USCC, or to a case by its number.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases.models import Case
from yichuang.cases.selectors import case_get_for
from yichuang.cases.views._common import case_lights, nav_context, raise_http, staff_member
from yichuang.cases.views.window_desk import offered_versions
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall.forms_assistance import AssignForm, AuthoriseForm, VersionChoiceForm
from yichuang.hall.models import Assignment, AssignmentStatus
from yichuang.hall.services import assistance
from yichuang.identity.access import id_number_for
from yichuang.orgs.models import Role, Staff

HELPER_ROLES = frozenset({Role.HELPER})
ASSIGNER_ROLES = assistance.ASSIGNER_ROLES


def _rows(request: HttpRequest, assignments: list[Assignment]) -> list[dict[str, Any]]:
    """Each assignment with the applicant's number as the user may see it and its cases
    with their lights, read at once for all of them."""
    cases = assistance.assignments_cases(
        assignments,
        cases=Case.objects.select_related("item_version")
        .prefetch_related("suspensions", "extensions")
        .order_by("-created_at"),
    )
    every = [case for assignment in assignments for case in cases[assignment.pk]]
    lights = dict(zip(every, case_lights(cases=every, today=clock.today()), strict=True))
    return [
        {
            "assignment": assignment,
            "id_number": id_number_for(request.user, assignment.applicant.id_number),
            "cases": [(case, lights[case]) for case in cases[assignment.pk]],
        }
        for assignment in assignments
    ]


def _fail(request: HttpRequest, error: DomainError, to: str) -> HttpResponse:
    raise_http(error)
    messages.error(request, error.message)
    return HttpResponseRedirect(to)


@login_required
def helper_page(request: HttpRequest) -> HttpResponse:
    """我的帮办: the helper's active assignments, their authorisation and cases."""
    member = staff_member(request, roles=HELPER_ROLES)
    rows = assistance.assignments_visible_to(request.user).filter(
        helper=member, status=AssignmentStatus.ACTIVE
    )
    # Case-level rows opened under an applicant-level assignment show under it.
    parents = {(a.applicant_id) for a in rows if a.case_id is None}
    shown = [a for a in rows if a.case_id is None or a.applicant_id not in parents]
    open_form = VersionChoiceForm(versions=offered_versions(member))
    context = {
        **nav_context(member),
        "nav_section": "helper",
        "rows": _rows(request, shown),
        "authorise_form": AuthoriseForm(),
        # read once, not once per assignment the select is shown on
        "item_choices": list(open_form.fields["item_version"].choices),
    }
    return render(request, "hall/assistance/helper.html", context)


@login_required
@require_POST
def helper_authorise(request: HttpRequest, pk: int) -> HttpResponse:
    staff_member(request, roles=HELPER_ROLES)
    back = reverse("hall:helper")
    form = AuthoriseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return HttpResponseRedirect(back)
    try:
        row = assistance.assignment_get_for(user=request.user, pk=pk)
        assistance.assignment_authorise(user=request.user, assignment=row, **form.cleaned_data)
    except DomainError as error:
        return _fail(request, error, back)
    messages.success(request, _("已记录授权委托"))
    return HttpResponseRedirect(back)


@login_required
@require_POST
def helper_case_open(request: HttpRequest, pk: int) -> HttpResponse:
    member = staff_member(request, roles=HELPER_ROLES)
    back = reverse("hall:helper")
    form = VersionChoiceForm(request.POST, versions=offered_versions(member))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return HttpResponseRedirect(back)
    try:
        row = assistance.assignment_get_for(user=request.user, pk=pk)
        case = assistance.assisted_case_open(
            user=request.user, assignment=row, item_version=form.cleaned_data["item_version"]
        )
    except DomainError as error:
        return _fail(request, error, back)
    return HttpResponseRedirect(reverse("cases:desk_case", args=[case.number]))


# -- the centre's assignments --------------------------------------------------------------


def _helpers(member: Staff):
    return Staff.objects.filter(
        centre=member.centre, is_active=True, roles__role=Role.HELPER
    ).order_by("name", "pk")


def _centre_context(request: HttpRequest, member: Staff, form: AssignForm) -> dict[str, Any]:
    rows = assistance.assignments_visible_to(request.user).filter(centre=member.centre)
    return {
        **nav_context(member),
        "nav_section": "assignments",
        "form": form,
        "rows": [
            {"assignment": a, "id_number": id_number_for(request.user, a.applicant.id_number)}
            for a in rows[:300]
        ],
    }


@login_required
def assignments_page(request: HttpRequest) -> HttpResponse:
    """The centre's assignments, and the form to assign a helper."""
    member = staff_member(request, roles=ASSIGNER_ROLES)
    if request.method == "POST":
        form = AssignForm(request.POST, helpers=_helpers(member))
        if form.is_valid():
            try:
                _assign(request, form.cleaned_data)
            except DomainError as error:  # not found here is a typo in a number: say so
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已指派帮办代办员"))
                return HttpResponseRedirect(reverse("hall:assignments"))
    else:
        form = AssignForm(helpers=_helpers(member))
    return render(
        request, "hall/assistance/assignments.html", _centre_context(request, member, form)
    )


def _assign(request: HttpRequest, data: dict[str, Any]) -> Assignment:
    case = None
    if data["case_number"]:
        case = case_get_for(user=request.user, number=data["case_number"].strip())
        applicant = case.applicant
    else:
        applicant = assistance.applicant_find_or_register(
            kind=data["kind"],
            id_number=data["id_number"],
            name=data["name"],
            legal_representative=data["legal_representative"],
        )
    return assistance.assignment_create(
        user=request.user, helper=data["helper"], applicant=applicant, case=case, note=data["note"]
    )


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = staff_member(request, roles=ASSIGNER_ROLES | HELPER_ROLES)
    back = reverse("hall:assignments" if member.role_set() & ASSIGNER_ROLES else "hall:helper")
    try:
        row = assistance.assignment_get_for(user=request.user, pk=pk)
        assistance.assignment_end(user=request.user, assignment=row)
    except DomainError as error:
        return _fail(request, error, back)
    messages.success(request, _("指派已结束"))
    return HttpResponseRedirect(back)
