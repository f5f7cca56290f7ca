"""Opening a case (online draft or at a window) and submitting it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.cases import hooks
from yichuang.cases.errors import CaseError, CaseForbidden
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock, item_version_share_lock
from yichuang.cases.models import Case, Channel
from yichuang.cases.numbering import case_number_next
from yichuang.cases.services._base import (
    acts_for_applicant,
    applicant_of,
    case_not_found,
    staff_acting,
    status_move,
)
from yichuang.cases.workflow import Actor, Status, opening_check, transition_check
from yichuang.catalog.models import OnlineDepth, ServiceItemVersion, VersionStatus
from yichuang.common import clock
from yichuang.identity.models import Applicant, ApplicantKind
from yichuang.orgs.models import Role
from yichuang.orgs.selectors import staff_for_user

STAFF_CHANNELS = {
    Channel.WINDOW: frozenset({Role.WINDOW_OFFICER}),
    Channel.ASSISTED: frozenset({Role.WINDOW_OFFICER, Role.HELPER}),
    Channel.HOME_VISIT: frozenset({Role.WINDOW_OFFICER, Role.HELPER}),
}
APPLICANT_CHANNELS = frozenset({Channel.ONLINE, Channel.KIOSK})


def online_intake_allowed(version: ServiceItemVersion) -> bool:
    """Whether an applicant may apply for the item online: it is handled online, or its
    online depth includes online intake (网上申请)."""
    intake = version.online_depth & (1 << (OnlineDepth.ONLINE_INTAKE - 1))
    return bool(version.handled_online or intake)


def _check_item(*, version: ServiceItemVersion, applicant: Applicant, online: bool) -> None:
    if version.status != VersionStatus.PUBLISHED:
        raise CaseError(code="item_not_published", message=_("该事项版本未发布，不能申请"))
    natural = applicant.kind == ApplicantKind.NATURAL_PERSON
    if not (version.for_natural_persons if natural else version.for_legal_persons):
        raise CaseError(
            code="applicant_not_served",
            message=_("该事项的服务对象不包括此类申请人"),
            field="applicant",
        )
    if online and not online_intake_allowed(version):
        raise CaseError(code="item_not_online", message=_("该事项不支持网上申请"))


def case_open(
    *,
    user: Any,
    item_version: ServiceItemVersion,
    applicant: Applicant,
    channel: str | None = None,
    agent: Applicant | None = None,
    agent_name: str = "",
    agent_id_number: str = "",
    power_of_attorney: bool = False,
    form_data: dict[str, Any] | None = None,
) -> Case:
    """Open a case on a published item version.

    Staff (a window officer; a helper for assisted handling and home visits) open it at
    their own centre for any item of that centre or of a centre above it (无差别综合受理);
    it starts as submitted, the materials being in hand. An applicant (or their agent with
    a power of attorney) opens an online draft at the item's centre.
    """
    member = staff_for_user(user)
    if member is not None:
        channel = channel or Channel.WINDOW
        if channel not in STAFF_CHANNELS:
            raise CaseError(code="channel_not_allowed", message=_("工作人员不能使用该申请渠道"))
        staff_acting(user, centre=member.centre, roles=STAFF_CHANNELS[Channel(channel)])
        centre, by, status = member.centre, Actor.STAFF, Status.SUBMITTED
        if not member.centre.path.startswith(item_version.item.centre.path):
            raise CaseError(code="item_not_offered", message=_("本中心不受理该事项"))
    else:
        person = applicant_of(user)
        if person is None:
            raise CaseForbidden(code="not_an_applicant", message=_("请以申请人身份登录"))
        channel = channel or Channel.ONLINE
        if channel not in APPLICANT_CHANNELS:
            raise CaseError(code="channel_not_allowed", message=_("申请人不能使用该申请渠道"))
        if person.pk != applicant.pk:
            if not power_of_attorney:
                raise CaseForbidden(
                    code="no_power_of_attorney", message=_("代他人申请须提交授权委托书")
                )
            agent = person
        centre, by, status = item_version.item.centre, Actor.APPLICANT, Status.DRAFT
    if agent is not None and agent.pk == applicant.pk:
        raise CaseError(code="agent_is_applicant", message=_("代办人不能是申请人本人"))
    _check_item(version=item_version, applicant=applicant, online=by == Actor.APPLICANT)
    opening_check(status=status, by=by)
    now = clock.now()
    with transaction.atomic():
        # The version must still be published when the case row is written.
        locked = item_version_share_lock(version_id=item_version.pk)
        _check_item(version=locked, applicant=applicant, online=by == Actor.APPLICANT)
        case = Case.objects.create(
            number=case_number_next(centre=centre, day=clock.today()),
            item_version=item_version,  # the caller's object, with what it fetched
            centre=centre,
            applicant=applicant,
            agent=agent,
            agent_name=agent_name.strip() or (agent.name if agent else ""),
            agent_id_number=agent_id_number.strip() or (agent.id_number if agent else ""),
            power_of_attorney=power_of_attorney,
            channel=channel,
            status=status,
            form_data=form_data or {},
            opened_by=user,
            submitted_at=now if status == Status.SUBMITTED else None,
        )
        case_event_record(
            case=case,
            actor=user,
            actor_kind=by,
            kind="opened",
            from_status="",
            to_status=status,
            data={"item_version": locked.pk, "channel": channel},
            created=True,
        )
        if status == Status.SUBMITTED:
            hooks.hooks_schedule(event=hooks.SUBMITTED, case_id=case.pk)
    return case


def case_submit(*, user: Any, case: Case) -> Case:
    """Hand in a draft, or resubmit after a correction request or a one-time notice.

    The applicant (or their agent) does it online; a window officer of the case's centre
    may do it for them. The submission time restarts the acceptance clock (RULES.md §4).
    """
    if acts_for_applicant(user, case=case):
        by = Actor.APPLICANT
    elif staff_for_user(user) is not None:
        staff_acting(user, centre=case.centre)
        by = Actor.STAFF
    else:
        raise case_not_found()
    transition_check(from_status=case.status, to_status=Status.SUBMITTED, by=by)
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        kind = "submitted" if locked.status == Status.DRAFT else "resubmitted"
        locked.submitted_at = clock.now()
        locked.save(update_fields=["submitted_at", "updated_at"])
        status_move(case=locked, to_status=Status.SUBMITTED, by=by, user=user, kind=kind)
        hooks.hooks_schedule(event=hooks.SUBMITTED, case_id=locked.pk)
    return locked
