"""Home visits (上门服务) for people who cannot come to the hall.

The flow: requested (by the applicant on the portal, or by staff recording a phone call)
→ scheduled (a centre admin picks staff of the centre and a future time on a working day
of the workdays calendar; may reschedule) → done (one of the scheduled staff records the
visit, which opens the case with channel 上门服务 in the same transaction). A requested or
scheduled visit may be cancelled by the applicant or a centre admin.

One open (requested or scheduled) visit per applicant: the request locks the applicant's
row, so a double submit cannot create two.

Reads go through `home_visits_visible_to` / `home_visit_get_for`: an applicant sees their
own visits, staff their centre's, a superuser all; "not found" for missing and forbidden
alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.cases.models import Case, Channel
from yichuang.cases.services.opening import case_open
from yichuang.catalog.models import ServiceItem, ServiceItemVersion
from yichuang.catalog.selectors import published_versions
from yichuang.common import clock
from yichuang.hall.errors import HallConflict, HallError, HallForbidden, HallNotFound
from yichuang.hall.models import HomeVisit, HomeVisitReason, HomeVisitStatus
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Centre, Role, Staff
from yichuang.orgs.selectors import staff_for_user
from yichuang.workdays.selectors import calendar_get

OPEN = (HomeVisitStatus.REQUESTED, HomeVisitStatus.SCHEDULED)
# Staff who may record a request phoned in by an applicant.
RECORDER_ROLES = frozenset({Role.CENTRE_ADMIN, Role.WINDOW_OFFICER, Role.HELPER})
SCHEDULER_ROLES = frozenset({Role.CENTRE_ADMIN})
MAX_STAFF = 5
MAX_DAYS_AHEAD = 60
ADDRESS_MAX = 300
DESCRIPTION_MAX = 2000
RECORD_MAX = 5000
CANCEL_REASON_MAX = 200
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


def home_visit_not_found() -> HallNotFound:
    return HallNotFound(code="home_visit_not_found", message=_("没有这个上门服务申请"))


# -- access ----------------------------------------------------------------------------


def home_visits_visible_to(user: Any) -> QuerySet[HomeVisit]:
    """The visits `user` may read (see the module docstring), newest first."""
    rows = HomeVisit.objects.select_related("applicant", "item", "case", "centre")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return rows.none()
    if user.is_superuser:
        return rows.all()
    condition = Q(pk__in=[])
    person = getattr(user, "applicant", None)
    if person is not None:
        condition |= Q(applicant=person)
    member = staff_for_user(user)
    if member is not None:
        condition |= Q(centre_id=member.centre_id)
    return rows.filter(condition)


def home_visit_get_for(*, user: Any, pk: int) -> HomeVisit:
    found = home_visits_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise home_visit_not_found()
    return found


def home_visits_assigned_to(user: Any) -> QuerySet[HomeVisit]:
    """The visits the signed-in staff member is scheduled for (any status)."""
    member = staff_for_user(user)
    if member is None:
        return HomeVisit.objects.none()
    return home_visits_visible_to(user).filter(staff=member).distinct()


def home_visit_staff_choices(*, centre: Centre) -> QuerySet[Staff]:
    """Active staff of the centre who can be sent on a visit."""
    return Staff.objects.filter(centre=centre, is_active=True).order_by("name", "pk")


def items_offered_at(centre: Centre) -> QuerySet[ServiceItemVersion]:
    """Published versions of the centre's items and of every centre above it."""
    ancestors = [int(pk) for pk in centre.path.strip("/").split("/") if pk]
    return published_versions().filter(item__centre_id__in=ancestors).order_by("name", "pk")


def home_visit_item_name(visit: HomeVisit) -> str | None:
    """The name of the visit's item (its published version at the visit's centre)."""
    if visit.item_id is None:
        return None
    version = items_offered_at(visit.centre).filter(item_id=visit.item_id).first()
    return version.name if version is not None else visit.item.implementation_code


def home_visit_item_names(visits: Sequence[HomeVisit]) -> dict[int, str | None]:
    """`home_visit_item_name` of many visits, by visit id: one query per centre among them,
    whatever the number of visits."""
    names: dict[int, str | None] = {visit.pk: None for visit in visits}
    by_centre: dict[int, list[HomeVisit]] = defaultdict(list)
    for visit in visits:
        if visit.item_id is not None:
            by_centre[visit.centre_id].append(visit)
    for centre_visits in by_centre.values():
        found: dict[int, str] = {}
        versions = items_offered_at(centre_visits[0].centre).filter(
            item_id__in={v.item_id for v in centre_visits}
        )
        for item_id, name in versions.values_list("item_id", "name"):
            found.setdefault(item_id, name)  # the first by name, as .first() would give
        for visit in centre_visits:
            names[visit.pk] = found.get(visit.item_id, visit.item.implementation_code)
    return names


def home_visit_versions(visit: HomeVisit) -> QuerySet[ServiceItemVersion]:
    """The versions a case can be opened on at the visit: every item the centre offers (the
    requested item is only what the applicant expected; staff may find another is needed)."""
    return items_offered_at(visit.centre)


# -- actions ---------------------------------------------------------------------------


def _requester_centre(*, user: Any, applicant: Applicant, centre: Centre | None) -> Centre:
    member = staff_for_user(user)
    if member is not None:
        if not member.role_set() & RECORDER_ROLES:
            raise HallForbidden(code="not_allowed", message=_("您没有登记上门服务申请的权限"))
        return member.centre
    person = getattr(user, "applicant", None) if user.is_authenticated else None
    if person is None or person.pk != applicant.pk:
        raise HallForbidden(code="not_own_request", message=_("只能为本人申请上门服务"))
    if centre is None:
        from yichuang.hall.selectors import hall_centre

        centre = hall_centre(None)
    return centre


def _clean_request(
    *, reason: str, address: str, contact_phone: str, description: str
) -> tuple[str, str, str]:
    if reason not in HomeVisitReason.values:
        raise HallError(code="reason_invalid", message=_("请选择申请原因"), field="reason")
    address = (address or "").strip()
    if not address:
        raise HallError(code="address_required", message=_("请填写上门地址"), field="address")
    if len(address) > ADDRESS_MAX:
        raise HallError(code="address_too_long", message=_("上门地址过长"), field="address")
    phone = (contact_phone or "").strip()
    if not PHONE.match(phone):
        raise HallError(
            code="phone_invalid", message=_("请填写有效的联系电话"), field="contact_phone"
        )
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise HallError(
            code="description_too_long", message=_("情况说明不能超过2000字"), field="description"
        )
    return address, phone, description


def home_visit_request(
    *,
    user: Any,
    applicant: Applicant,
    reason: str,
    address: str,
    contact_phone: str,
    description: str = "",
    item: ServiceItem | None = None,
    centre: Centre | None = None,
) -> HomeVisit:
    """Request a home visit for `applicant`: by the applicant themselves (at `centre`, by
    default the portal's), or by staff of a centre recording a phone call (their centre)."""
    centre = _requester_centre(user=user, applicant=applicant, centre=centre)
    address, phone, description = _clean_request(
        reason=reason, address=address, contact_phone=contact_phone, description=description
    )
    if item is not None and not items_offered_at(centre).filter(item=item).exists():
        raise HallError(code="item_not_offered", message=_("本中心不受理该事项"), field="item")
    with transaction.atomic():
        Applicant.objects.select_for_update().get(pk=applicant.pk)
        if HomeVisit.objects.filter(applicant=applicant, status__in=OPEN).exists():
            raise HallConflict(code="home_visit_open", message=_("您已有一个待办理的上门服务申请"))
        return HomeVisit.objects.create(
            centre=centre,
            applicant=applicant,
            item=item,
            reason=reason,
            description=description,
            address=address,
            contact_phone=phone,
            requested_by=user,
        )


def _scheduler(user: Any, visit: HomeVisit) -> Staff:
    member = staff_for_user(user)
    if member is None or member.centre_id != visit.centre_id:
        raise home_visit_not_found()
    if not member.role_set() & SCHEDULER_ROLES:
        raise HallForbidden(code="not_centre_admin", message=_("只有中心管理员可以安排上门服务"))
    return member


def _lock(visit: HomeVisit) -> HomeVisit:
    return HomeVisit.objects.select_for_update().get(pk=visit.pk)


def home_visit_schedule(
    *, user: Any, visit: HomeVisit, staff: Sequence[Staff], when: dt.datetime
) -> HomeVisit:
    """Send staff of the centre at a future time on a working day (rescheduling allowed)."""
    _scheduler(user, visit)
    chosen = {member.pk: member for member in staff}
    if not chosen:
        raise HallError(code="staff_required", message=_("请选择上门人员"), field="staff")
    if len(chosen) > MAX_STAFF:
        raise HallError(code="too_many_staff", message=_("上门人员最多5人"), field="staff")
    if any(m.centre_id != visit.centre_id or not m.is_active for m in chosen.values()):
        raise HallError(
            code="staff_not_of_centre", message=_("上门人员须为本中心在岗工作人员"), field="staff"
        )
    if when is None or timezone.is_naive(when):
        raise HallError(code="when_invalid", message=_("请填写上门时间"), field="when")
    if when <= clock.now():
        raise HallError(code="when_past", message=_("上门时间须晚于当前时间"), field="when")
    if when > clock.now() + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise HallError(code="when_too_far", message=_("上门时间最多安排在60天内"), field="when")
    if not calendar_get().is_workday(timezone.localtime(when).date()):
        raise HallError(
            code="not_a_workday", message=_("上门时间须在工作日（节假日不安排）"), field="when"
        )
    with transaction.atomic():
        locked = _lock(visit)
        if locked.status not in OPEN:
            raise HallConflict(code="home_visit_closed", message=_("该上门服务已办结或已取消"))
        locked.status = HomeVisitStatus.SCHEDULED
        locked.scheduled_for = when
        locked.save(update_fields=["status", "scheduled_for", "updated_at"])
        locked.staff.set(list(chosen.values()))
    return locked


def home_visit_cancel(*, user: Any, visit: HomeVisit, reason: str = "") -> HomeVisit:
    """Cancel a requested or scheduled visit: the applicant, or a centre admin with a reason."""
    person = getattr(user, "applicant", None) if user.is_authenticated else None
    reason = (reason or "").strip()
    if person is not None and person.pk == visit.applicant_id:
        reason = reason or _("申请人取消")
    else:
        _scheduler(user, visit)
        if not reason:
            raise HallError(code="reason_required", message=_("请填写取消原因"), field="reason")
    if len(reason) > CANCEL_REASON_MAX:
        raise HallError(code="reason_too_long", message=_("取消原因不能超过200字"), field="reason")
    with transaction.atomic():
        locked = _lock(visit)
        if locked.status not in OPEN:
            raise HallConflict(code="home_visit_closed", message=_("该上门服务已办结或已取消"))
        locked.status = HomeVisitStatus.CANCELLED
        locked.cancel_reason = reason
        locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    return locked


def home_visit_record(
    *,
    user: Any,
    visit: HomeVisit,
    record: str,
    item_version: ServiceItemVersion,
    form_data: dict[str, Any] | None = None,
) -> Case:
    """One of the scheduled staff records the visit and opens the case (channel 上门服务).

    The visit becomes done and is linked to the case in the same transaction: if opening
    the case fails, the visit stays scheduled and no case exists.
    """
    member = staff_for_user(user)
    if member is None or member.centre_id != visit.centre_id:
        raise home_visit_not_found()
    record = (record or "").strip()
    if not record:
        raise HallError(code="record_required", message=_("请填写上门记录"), field="record")
    if len(record) > RECORD_MAX:
        raise HallError(code="record_too_long", message=_("上门记录不能超过5000字"), field="record")
    with transaction.atomic():
        locked = _lock(visit)
        if not locked.staff.filter(pk=member.pk).exists():
            raise HallForbidden(
                code="not_scheduled_staff", message=_("只有安排的上门人员可以记录上门情况")
            )
        if locked.status != HomeVisitStatus.SCHEDULED:
            raise HallConflict(
                code="home_visit_not_scheduled", message=_("该上门服务不在待上门状态")
            )
        case = case_open(
            user=user,
            item_version=item_version,
            applicant=locked.applicant,
            channel=Channel.HOME_VISIT,
            form_data=form_data,
        )
        locked.status = HomeVisitStatus.DONE
        locked.visited_at = clock.now()
        locked.record = record
        locked.case = case
        locked.save(update_fields=["status", "visited_at", "record", "case", "updated_at"])
    return case
