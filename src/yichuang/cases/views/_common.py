"""What the staff pages share: who may open them, errors as pages, lights, the timeline.

The pages are thin: they parse a form, call one service or selector, and render. A domain
error becomes a Chinese message on the page (422 rules) or the matching HTTP answer (404
not found or forbidden, 403 a known staff member lacking the role).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.cases import deadlines
from yichuang.cases.errors import CaseNotFound
from yichuang.cases.events import event_label
from yichuang.cases.models import Case, Task
from yichuang.cases.selectors import case_events
from yichuang.cases.services.timing import case_light, task_light
from yichuang.cases.workflow import Status
from yichuang.common.errors import DomainError, Forbidden, NotFound
from yichuang.common.pagination import Keyset, Page, keyset_page
from yichuang.orgs.models import Role, Staff
from yichuang.orgs.selectors import staff_for_user
from yichuang.workdays.selectors import calendar_get

DESK_ROLES = frozenset({Role.WINDOW_OFFICER, Role.HELPER})
INBOX_ROLES = frozenset({Role.REVIEWER})
OVERVIEW_ROLES = frozenset({Role.LEADER, Role.CENTRE_ADMIN})

# The most rows a staff list shown whole on a page shows (the paged ones: the inbox's
# tasks, the overview's overdue cases, take `common.pagination.LIST_PAGE_SIZE` a page).
SHORT_LIST_SIZE = 50

LIGHT_LABELS = {
    deadlines.Light.GREEN: gettext_lazy("正常"),
    deadlines.Light.YELLOW: gettext_lazy("临期预警"),
    deadlines.Light.RED: gettext_lazy("已超期"),
}


def staff_member(request: HttpRequest, *, roles: frozenset[str]) -> Staff:
    """The signed-in staff member holding one of `roles`.

    Not staff at all: 404 (the back office does not exist for them); staff without the
    role: 403, as the case services answer a known user of the right centre.
    """
    member = staff_for_user(request.user)
    if member is None:
        raise Http404(_("页面不存在"))
    if not member.role_set() & roles:
        raise PermissionDenied(_("您没有办理此业务的权限"))
    return member


def raise_http(error: DomainError) -> None:
    """Turn a not-found or forbidden domain error into the HTTP answer; else do nothing."""
    if isinstance(error, NotFound | CaseNotFound):
        raise Http404(error.message) from error
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message) from error


# -- lists -------------------------------------------------------------------------------


def short_list(rows: QuerySet[Any], *, keyset: Keyset, size: int = SHORT_LIST_SIZE) -> Page[Any]:
    """The first `size` rows of a list shown whole on a page; `has_more` tells the page to
    say that more exist."""
    return keyset_page(rows, keyset=keyset, cursor=None, size=size)


# -- warning lights ----------------------------------------------------------------------


@dataclass(frozen=True)
class LightView:
    colour: str
    label: str


def light_view(light: deadlines.Light | str | None) -> LightView | None:
    if light is None:
        return None
    light = deadlines.Light(str(light))
    return LightView(colour=str(light), label=str(LIGHT_LABELS[light]))


def task_lights(*, tasks: Iterable[Task], today: dt.date) -> list[LightView | None]:
    """The light of each task, the calendar read once for the whole list (prefetch
    `case__suspensions` and `case__extensions` for lists)."""
    calendar = calendar_get()
    return [light_view(task_light(task=t, today=today, calendar=calendar)) for t in tasks]


def case_lights(*, cases: Iterable[Case], today: dt.date) -> list[LightView | None]:
    """The light of each case, like `task_lights` (prefetch `suspensions`, `extensions`)."""
    calendar = calendar_get()
    return [light_view(case_light(case=c, today=today, calendar=calendar)) for c in cases]


# -- the timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    label: str
    actor: str
    from_status: str
    to_status: str
    reason: str


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def timeline(*, case: Case) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            at=event.at,
            label=event_label(event.kind),
            actor=event.actor_label,
            from_status=_status_label(event.from_status),
            to_status=_status_label(event.to_status),
            reason=event.reason,
        )
        for event in case_events(case=case)
    ]


def nav_context(member: Staff) -> dict[str, Any]:
    roles = member.role_set()
    return {
        "staff": member,
        "nav_desk": bool(roles & DESK_ROLES),
        "nav_inbox": bool(roles & INBOX_ROLES),
        "nav_overview": bool(roles & OVERVIEW_ROLES),
    }
