"""Queries of the case engine, and the access functions every read goes through.

Who sees which case (issue 3, item 8):

- an applicant: the cases they applied for, and those they are the agent for with a
  power of attorney;
- a window officer or a helper: every case of their own centre (they act there);
- a department reviewer: every case in which their department has a task;
- a leader or a centre admin: every case of their centre and of the centres below it;
- staff never see an applicant's online draft before it is submitted (only the drafts they
  opened themselves);
- a superuser: every case;
- anybody else: none.

A user with several roles sees the union. `case_get_for` answers "not found" for a missing
case and a forbidden one alike, so a case number never leaks. The public lookup is apart:
`case_lookup_public` needs the number and the last 6 characters of the applicant's ID
number or phone, and shows no personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from yichuang.cases.errors import CaseNotFound
from yichuang.cases.models import (
    OPEN_STATUS_VALUES,
    Case,
    CaseEvent,
    Extension,
    Notice,
    Task,
    TaskStatus,
)
from yichuang.cases.workflow import CLOCK_RUNNING, Status
from yichuang.catalog.models import Material, MaterialSource
from yichuang.common.pagination import Keyset
from yichuang.orgs.models import Role
from yichuang.orgs.selectors import centre_subtree, staff_for_user

CENTRE_ROLES = frozenset({Role.WINDOW_OFFICER, Role.HELPER})
SUBTREE_ROLES = frozenset({Role.LEADER, Role.CENTRE_ADMIN})
LOOKUP_CHECK_LENGTH = 6
LOOKUP_MAX_FAILURES = 10
LOOKUP_WINDOW_SECONDS = 10 * 60
# What the public lookup reads of a case: its answer, the warning light's inputs (the item
# version, suspensions and extensions are read only for a case whose light shows) and the
# two numbers the check is compared with. A busy public endpoint: nothing more is loaded.
LOOKUP_FIELDS = (
    "id",
    "number",
    "status",
    "due_date",
    "due_provisional",
    "accepted_on",
    "item_version_id",
    "applicant__id_number",
    "applicant__phone",
)
# Cases whose deadline is running or stopped: the ones that can still be late.
OPEN_STATUSES = CLOCK_RUNNING | {Status.SUSPENDED}
assert sorted(OPEN_STATUSES) == OPEN_STATUS_VALUES  # the condition of `case_open_due_idx`

# The orders of the lists that grow with the cases (keyset pagination, `common.pagination`);
# each matches an index: `case_created_idx`, `task_inbox_idx`, `case_due_idx`.
CASES_NEWEST_FIRST = Keyset(
    name="cases", fields=("created_at", "id"), kinds=(dt.datetime, int), descending=True
)
CASES_BY_DUE_DATE = Keyset(
    name="cases-due", fields=("due_date", "id"), kinds=(dt.date, int), nullable_first=True
)
TASKS_BY_DUE_DATE = Keyset(
    name="tasks", fields=("due_date", "id"), kinds=(dt.date, int), nullable_first=True
)


# The wide columns no list shows: the item version's guide texts and the case's form data.
# Read for every row of a page they cost more than the rest of it (and come from TOAST).
LIST_DEFERRED = (
    "form_data",
    *(
        f"item_version__{name}"
        for name in (
            "legal_basis",
            "conditions",
            "process_description",
            "special_procedures",
            "fee_basis",
            "fee_standard",
            "fee_waiver",
            "search_text",
        )
    ),
)


def for_list(queryset: QuerySet[Any], *, prefix: str = "") -> QuerySet[Any]:
    """`queryset` (of cases, or of rows whose case is at `prefix`, e.g. "case__") without
    the wide columns no list shows (`LIST_DEFERRED`)."""
    return queryset.defer(*(prefix + name for name in LIST_DEFERRED))


def case_not_found() -> CaseNotFound:
    return CaseNotFound(code="case_not_found", message=_("未找到该办件"))


def _with_relations(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """With what every case list shows, and what its warning light is computed from."""
    return queryset.select_related(
        "item_version", "item_version__item", "centre", "applicant", "agent"
    ).prefetch_related("suspensions", "extensions")


def _subtree_ids(member: Any) -> list[int]:
    """The ids of the member's centre and the centres below it, read once per request.

    A list rather than a join on the centre's path: PostgreSQL cannot estimate how many
    cases a `path LIKE '…%'` join matches, and then sorts every open case of a county
    instead of reading the first ones in index order (bench/plans/overview_near_due.txt).
    """
    cached = getattr(member, "_yichuang_subtree_ids", None)
    if cached is None:
        cached = list(centre_subtree(member.centre).values_list("pk", flat=True))
        member._yichuang_subtree_ids = cached
    return cached


def case_visibility(user: Any) -> Q | None:
    """The filter of the cases `user` may read; None when they may read none."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    conditions: list[Q] = []
    person = getattr(user, "applicant", None)
    if person is not None:
        conditions.append(Q(applicant=person) | Q(agent=person, power_of_attorney=True))
    member = staff_for_user(user)
    if member is not None:
        roles = member.role_set()
        # An applicant's draft is theirs alone until it is submitted — except the drafts a
        # staff member opened for someone (assisted handling).
        handed_in = ~Q(status=Status.DRAFT) | Q(opened_by=user)
        if roles & SUBTREE_ROLES:
            conditions.append(Q(centre_id__in=_subtree_ids(member)) & handed_in)
        elif roles & CENTRE_ROLES:
            conditions.append(Q(centre=member.centre) & handed_in)
        if Role.REVIEWER in roles and member.department_id is not None:
            department_tasks = Task.objects.filter(department_id=member.department_id)
            conditions.append(Q(pk__in=department_tasks.values("case_id")))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Every case `user` may read (see the module docstring), newest first."""
    visibility = case_visibility(user)
    if visibility is None:
        return Case.objects.none()
    return _with_relations(Case.objects.filter(visibility))


def case_get_for(*, user: Any, number: str | None = None, pk: int | None = None) -> Case:
    """One case `user` may read, by number or primary key; `case_not_found` otherwise."""
    if (number is None) == (pk is None):
        raise case_not_found()
    lookup = {"number": number} if number is not None else {"pk": pk}
    case = cases_visible_to(user).filter(**lookup).first()
    if case is None:
        raise case_not_found()
    return case


def _check_matches(*, case: Case, check: str) -> bool:
    given = check.strip().upper()
    if len(given) != LOOKUP_CHECK_LENGTH:
        return False
    matched = False
    for number in (case.applicant.id_number, case.applicant.phone):
        tail = (number or "").strip().upper()[-LOOKUP_CHECK_LENGTH:]
        if len(tail) == LOOKUP_CHECK_LENGTH:
            # Compare in constant time so the answer's timing does not leak characters.
            matched |= hmac.compare_digest(tail.encode(), given.encode())
    return matched


def _lookup_key(number: str) -> str:
    digest = hashlib.sha256(number.strip().encode("utf-8", "surrogatepass")).hexdigest()
    return f"cases:lookup-failures:{digest}"


def lookup_braked(number: str) -> bool:
    """Whether the number had `LOOKUP_MAX_FAILURES` wrong checks in the current window."""
    return (cache.get(_lookup_key(number)) or 0) >= LOOKUP_MAX_FAILURES


def _lookup_failure_count(number: str) -> None:
    """Count one wrong check; the window starts with the first failure (a shared cache
    such as Redis counts atomically across processes)."""
    key = _lookup_key(number)
    cache.add(key, 0, timeout=LOOKUP_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=LOOKUP_WINDOW_SECONDS)


def _readable_part(queryset: QuerySet[Any], *, user: Any, case: Case, **lookup: Any) -> Any:
    """The row of `queryset` matching `lookup` that belongs to `case`, if `user` may read
    the case; None otherwise. One query: the case's visibility is a subquery."""
    visibility = case_visibility(user)
    if visibility is None:
        return None
    return (
        queryset.filter(case_id=case.pk, case__in=Case.objects.filter(visibility).values("pk"))
        .filter(**lookup)
        .first()
    )


def task_not_found() -> CaseNotFound:
    return CaseNotFound(code="task_not_found", message=_("未找到该审批任务"))


def task_get_for(*, user: Any, case: Case, task_id: int) -> Task:
    """A task of `case` that `user` may read; `task_not_found` for a task of another case
    or of a case they may not read.

    Every reader of a case sees its tasks (the case detail lists them); who may act on a
    task is decided by the review services. The task carries the `case` given.
    """
    task = _readable_part(
        Task.objects.select_related("stage", "department"), user=user, case=case, pk=task_id
    )
    if task is None:
        raise task_not_found()
    task.case = case
    return task


def department_task_get_for(*, user: Any, pk: int) -> Task:
    """A task of the reviewer's own department, in any status (the inbox's task page);
    `task_not_found` for anyone else."""
    member = staff_for_user(user)
    task = None
    if member is not None and Role.REVIEWER in member.role_set() and member.department_id:
        task = (
            Task.objects.filter(pk=pk, department_id=member.department_id)
            .select_related("case", "case__item_version", "case__applicant", "stage", "department")
            .first()
        )
    if task is None:
        raise task_not_found()
    return task


def extension_get_for(*, user: Any, case: Case, extension_id: int) -> Extension:
    """An extension request of `case` that `user` may read; not found otherwise. Who may
    decide it is `extension_decide`'s business."""
    extension = _readable_part(
        Extension.objects.select_related("task"), user=user, case=case, pk=extension_id
    )
    if extension is None:
        raise CaseNotFound(code="extension_not_found", message=_("未找到该延期申请"))
    extension.case = case
    return extension


def notice_get_for(*, user: Any, case: Case, number: str) -> Notice:
    """A notice of `case`, by its number, that `user` may read; not found otherwise."""
    notice = _readable_part(Notice.objects.all(), user=user, case=case, number=number)
    if notice is None:
        raise CaseNotFound(code="notice_not_found", message=_("未找到该文书"))
    notice.case = case
    return notice


def case_lookup_public(*, number: str, check: str) -> Case:
    """The case with `number` if `check` is the last 6 characters of the applicant's ID
    number or phone; a wrong check is answered exactly like an unknown number.

    A brake against guessing the 6 characters: after `LOOKUP_MAX_FAILURES` wrong checks
    for one number within `LOOKUP_WINDOW_SECONDS`, that number is not found for the rest
    of the window, even with the right check (pages and API alike)."""
    if lookup_braked(number):
        raise case_not_found()
    found = (
        Case.objects.filter(number=number.strip())
        .exclude(status=Status.DRAFT)
        .select_related("applicant")
        .only(*LOOKUP_FIELDS)
    )
    case = next(iter(found[:1]), None)  # the number is unique: no ORDER BY needed
    if case is None or not _check_matches(case=case, check=check):
        _lookup_failure_count(number)
        raise case_not_found()
    return case


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    """The case's history in order (the case was obtained through an access function)."""
    return case.events.select_related("actor").order_by("seq")


def tasks_inbox_for(*, user: Any, status: str = TaskStatus.PENDING) -> QuerySet[Task]:
    """The reviewer's department tasks in `status`, the most urgent first."""
    member = staff_for_user(user)
    if member is None or Role.REVIEWER not in member.role_set() or member.department_id is None:
        return Task.objects.none()
    tasks = (
        Task.objects.filter(department_id=member.department_id, status=status)
        .select_related("case", "case__item_version", "case__applicant", "stage", "department")
        .prefetch_related("case__suspensions", "case__extensions")
        .order_by(*TASKS_BY_DUE_DATE.ordering())
    )
    return for_list(tasks, prefix="case__")


def cases_overdue_for(*, user: Any, today: dt.date) -> QuerySet[Case]:
    """Open cases past their due date that `user` may read, the longest overdue first."""
    return for_list(
        cases_visible_to(user)
        .filter(status__in=OPEN_STATUSES, due_date__lt=today)
        .order_by(*CASES_BY_DUE_DATE.ordering())
    )


def materials_missing(*, case: Case) -> list[Material]:
    """Required catalogue materials of the case's item not handed in yet.

    Materials obtainable by data sharing are never demanded (国务院令第716号), so they are
    never missing.
    """
    handed_in = case.materials.exclude(material=None).values_list("material_id", flat=True)
    return list(
        Material.objects.filter(version_id=case.item_version_id, required=True)
        .exclude(source=MaterialSource.DATA_SHARING)
        .exclude(pk__in=handed_in)
        .order_by("position", "id")
    )
