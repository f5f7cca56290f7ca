"""Assisted handling (帮办代办): a helper assigned to an applicant or a case acts as agent.

Who does what:

- a centre admin or a window officer assigns a helper of their own centre to an applicant
  (an enterprise or a person: an *applicant-level* assignment) or to one case of the
  centre (a *case-level* assignment); the database keeps one active assignment per helper
  and applicant, and one per case;
- the applicant's authorisation (授权委托) is recorded once per assignment: when, for what,
  and who signed — the person themselves, or an enterprise's legal representative;
- the helper opens cases for the applicant of an authorised applicant-level assignment
  (`assisted_case_open`): channel 帮办代办, the helper as agent with the power of attorney.
  Each case so opened gets a case-level assignment of its own, carrying the same
  authorisation, so "the helper's cases" are rows and the case is never handed to a second
  helper by mistake.

Reads go through `assignments_visible_to` / `assignment_get_for`: a helper sees their own
assignments, a centre admin, window officer or leader those of their centre, a superuser
all; anybody else none, and "not found" for missing and forbidden alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yichuang.cases.models import Case, Channel
from yichuang.cases.services.opening import case_open
from yichuang.catalog.models import ServiceItemVersion
from yichuang.common import clock
from yichuang.hall.errors import HallConflict, HallError, HallForbidden, HallNotFound
from yichuang.hall.models import Assignment, AssignmentStatus
from yichuang.identity.models import Applicant, ApplicantKind
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.selectors import staff_for_user

ASSIGNER_ROLES = frozenset({Role.CENTRE_ADMIN, Role.WINDOW_OFFICER})
READER_ROLES = ASSIGNER_ROLES | {Role.LEADER}
NOTE_MAX = 300
SCOPE_MAX = 300
SIGNER_MAX = 100


def assignment_not_found() -> HallNotFound:
    return HallNotFound(code="assignment_not_found", message=_("没有这个帮办代办指派"))


# -- access ----------------------------------------------------------------------------


def assignments_visible_to(user: Any) -> QuerySet[Assignment]:
    """The assignments `user` may read (see the module docstring), newest first."""
    rows = Assignment.objects.select_related(
        "helper", "applicant", "case", "case__item_version", "assigned_by", "centre"
    )
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return rows.all()
    member = staff_for_user(user)
    if member is None:
        return rows.none()
    if member.role_set() & READER_ROLES:
        return rows.filter(centre_id=member.centre_id)
    if Role.HELPER in member.role_set():
        return rows.filter(helper=member)
    return rows.none()


def assignment_get_for(*, user: Any, pk: int) -> Assignment:
    """One assignment `user` may read; `assignment_not_found` otherwise."""
    found = assignments_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise assignment_not_found()
    return found


def assigner_of(user: Any) -> Staff:
    member = staff_for_user(user)
    if member is None:
        raise assignment_not_found()
    if not member.role_set() & ASSIGNER_ROLES:
        raise HallForbidden(
            code="not_assigner", message=_("只有中心管理员或窗口工作人员可以指派帮办代办员")
        )
    return member


def _may_manage(user: Any, assignment: Assignment) -> Staff:
    """The assignment's helper, or an assigner of its centre."""
    member = staff_for_user(user)
    if member is None or member.centre_id != assignment.centre_id:
        raise assignment_not_found()
    if member.pk == assignment.helper_id or member.role_set() & ASSIGNER_ROLES:
        return member
    raise assignment_not_found()


def _lock(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


# -- actions ---------------------------------------------------------------------------


def assignment_create(
    *,
    user: Any,
    helper: Staff,
    applicant: Applicant,
    case: Case | None = None,
    note: str = "",
) -> Assignment:
    """Assign `helper` to `applicant`, or to one `case` of the centre (whose applicant it is)."""
    member = assigner_of(user)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise HallError(code="note_too_long", message=_("服务内容不能超过300字"), field="note")
    if (
        helper.centre_id != member.centre_id
        or not helper.is_active
        or Role.HELPER not in helper.role_set()
    ):
        raise HallError(code="not_a_helper", message=_("请选择本中心的帮办代办员"), field="helper")
    if case is not None:
        if case.centre_id != member.centre_id:
            raise HallNotFound(code="case_not_found", message=_("未找到该办件"))
        if case.applicant_id != applicant.pk:
            raise HallError(
                code="case_applicant_mismatch",
                message=_("该办件的申请人不是所选服务对象"),
                field="case",
            )
    duplicate = Assignment.objects.filter(status=AssignmentStatus.ACTIVE)
    duplicate = (
        duplicate.filter(case=case)
        if case is not None
        else duplicate.filter(helper=helper, applicant=applicant, case=None)
    )
    if duplicate.exists():
        raise _exists(case)
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                centre=member.centre,
                helper=helper,
                applicant=applicant,
                case=case,
                note=note,
                assigned_by=member,
            )
    except IntegrityError as error:  # assigned concurrently between the check and the insert
        raise _exists(case) from error


def _exists(case: Case | None) -> HallConflict:
    if case is not None:
        return HallConflict(code="assignment_exists", message=_("该办件已有帮办代办员"))
    return HallConflict(code="assignment_exists", message=_("该帮办代办员已在为此服务对象服务"))


def authorisation_signer(applicant: Applicant) -> str:
    """Who signs the authorisation: the person, or an enterprise's legal representative."""
    if applicant.kind == ApplicantKind.NATURAL_PERSON:
        return applicant.name
    return applicant.legal_representative


def assignment_authorise(
    *, user: Any, assignment: Assignment, scope: str, signed_by: str = ""
) -> Assignment:
    """Record the applicant's authorisation (授权委托) for the helper to act as agent.

    `signed_by` defaults to the person who must sign (the applicant; for an enterprise its
    legal representative on record) and must be that person when given.
    """
    _may_manage(user, assignment)
    scope = (scope or "").strip()
    if not scope:
        raise HallError(code="scope_required", message=_("请填写授权范围"), field="scope")
    if len(scope) > SCOPE_MAX:
        raise HallError(code="scope_too_long", message=_("授权范围不能超过300字"), field="scope")
    expected = authorisation_signer(assignment.applicant).strip()
    if not expected:
        raise HallError(
            code="legal_representative_unknown",
            message=_("该企业未登记法定代表人，无法记录授权"),
            field="signed_by",
        )
    signed_by = (signed_by or "").strip()[: SIGNER_MAX + 1] or expected
    if signed_by != expected:
        raise HallError(
            code="signer_mismatch",
            message=_("授权须由申请人本人或企业法定代表人签署"),
            field="signed_by",
        )
    with transaction.atomic():
        locked = _lock(assignment)
        if locked.status != AssignmentStatus.ACTIVE:
            raise HallConflict(code="assignment_ended", message=_("该指派已结束"))
        if locked.authorised_at is not None:
            raise HallConflict(code="already_authorised", message=_("该指派已记录授权"))
        locked.authorised_at = clock.now()
        locked.authorisation_scope = scope
        locked.authorisation_by = signed_by
        locked.save(
            update_fields=[
                "authorised_at",
                "authorisation_scope",
                "authorisation_by",
                "updated_at",
            ]
        )
    return locked


def assignment_end(*, user: Any, assignment: Assignment) -> Assignment:
    """End an active assignment (the helper's or an assigner's decision)."""
    _may_manage(user, assignment)
    with transaction.atomic():
        locked = _lock(assignment)
        if locked.status != AssignmentStatus.ACTIVE:
            raise HallConflict(code="assignment_ended", message=_("该指派已结束"))
        locked.status = AssignmentStatus.ENDED
        locked.ended_at = clock.now()
        locked.save(update_fields=["status", "ended_at", "updated_at"])
    return locked


def assisted_case_open(
    *,
    user: Any,
    assignment: Assignment,
    item_version: ServiceItemVersion,
    form_data: dict[str, Any] | None = None,
) -> Case:
    """The helper opens a case for the assignment's applicant, as their agent.

    Only on an active, authorised applicant-level assignment; the case (channel 帮办代办,
    agent = the helper, power of attorney) gets a case-level assignment of its own with the
    same authorisation. Opening and linking happen in one transaction.
    """
    member = staff_for_user(user)
    if member is None or member.pk != assignment.helper_id:
        raise assignment_not_found()
    if assignment.case_id is not None:
        raise HallConflict(
            code="assignment_has_case", message=_("该指派针对已有办件，请在办件页面办理")
        )
    with transaction.atomic():
        locked = _lock(assignment)
        if locked.status != AssignmentStatus.ACTIVE:
            raise HallConflict(code="assignment_ended", message=_("该指派已结束"))
        if locked.authorised_at is None:
            raise HallConflict(
                code="not_authorised",
                message=_("申请人尚未授权委托，请先记录授权后再代为申请"),
            )
        case = case_open(
            user=user,
            item_version=item_version,
            applicant=locked.applicant,
            channel=Channel.ASSISTED,
            agent_name=member.name,
            power_of_attorney=True,
            form_data=form_data,
        )
        Assignment.objects.create(
            centre=locked.centre,
            helper=member,
            applicant=locked.applicant,
            case=case,
            note=locked.note,
            assigned_by=locked.assigned_by,
            authorised_at=locked.authorised_at,
            authorisation_scope=locked.authorisation_scope,
            authorisation_by=locked.authorisation_by,
        )
    return case


def assignment_cases(assignment: Assignment) -> QuerySet[Case]:
    """The cases of an assignment: its own case, or for an applicant-level one the cases
    opened under the helper's case-level assignments for the same applicant."""
    if assignment.case_id is not None:
        return Case.objects.filter(pk=assignment.case_id)
    linked = Assignment.objects.filter(
        helper_id=assignment.helper_id, applicant_id=assignment.applicant_id, case__isnull=False
    ).values("case_id")
    return Case.objects.filter(pk__in=linked)


def assignments_cases(
    assignments: Sequence[Assignment], *, cases: QuerySet[Case] | None = None
) -> dict[int, list[Case]]:
    """`assignment_cases` of many assignments at once, by assignment id, in two queries
    whatever their number. `cases` (default all) gives the order and what is loaded with
    each case (select_related, prefetch_related)."""
    if not assignments:
        return {}
    applicant_level = [a for a in assignments if a.case_id is None]
    linked: dict[tuple[int, int], list[int]] = defaultdict(list)
    if applicant_level:
        links = Assignment.objects.filter(
            helper_id__in={a.helper_id for a in applicant_level},
            applicant_id__in={a.applicant_id for a in applicant_level},
            case__isnull=False,
        ).values_list("helper_id", "applicant_id", "case_id")
        for helper_id, applicant_id, case_id in links:
            linked[(helper_id, applicant_id)].append(case_id)
    wanted = {
        a.pk: {a.case_id} if a.case_id is not None else set(linked[(a.helper_id, a.applicant_id)])
        for a in assignments
    }
    found = list(
        (Case.objects.all() if cases is None else cases).filter(
            pk__in=set().union(*wanted.values())
        )
    )
    return {pk: [c for c in found if c.pk in ids] for pk, ids in wanted.items()}


def applicant_find_or_register(
    *,
    kind: str,
    id_number: str,
    name: str = "",
    phone: str = "",
    legal_representative: str = "",
) -> Applicant:
    """The applicant with this ID number or USCC; registered when missing and a name is
    given (staff finding a person at the desk or on the phone), else `applicant_not_found`."""
    from yichuang.identity.services import applicant_get_or_create, applicant_number_normalize

    number = applicant_number_normalize(kind=kind, id_number=id_number)
    found = Applicant.objects.filter(kind=kind, id_number=number).first()
    if found is not None:
        return found
    name = (name or "").strip()
    if not name:
        raise HallNotFound(
            code="applicant_not_found",
            message=_("未找到该申请人，请填写名称后登记"),
            field="id_number",
        )
    if len(name) > 200 or len(phone or "") > 20 or len(legal_representative or "") > 100:
        raise HallError(code="applicant_details_too_long", message=_("申请人信息过长"))
    applicant, _created = applicant_get_or_create(
        kind=kind,
        id_number=number,
        name=name,
        phone=phone or "",
        legal_representative=legal_representative or "",
    )
    return applicant
