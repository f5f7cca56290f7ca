"""`python -m bench.datagen --cases 100000 [--seed 1]`: load N generated cases into the
PostgreSQL database Django is configured with (DATABASE_URL), fast, with PostgreSQL COPY.

What it makes, and why (the benchmarks of issue 5 need data shaped like a county centre's
year, not N identical rows):

- **Organisation and catalogue** come from the demo centre (`seed_demo --force
  --without-cases` runs first when the database has no centre; the demo logins it makes get
  unusable random passwords, since a benchmark database must not hold a published
  password). Cases use the published item versions of the demo centre: window and
  assisted cases are opened at the county centre and, a fifth of them, at its sub-centres;
  online and kiosk cases at the item's centre. Stages and tasks follow each version's
  process template (its departments and time limits).
- **Applicants**: a pool of cases/5 per run, 88 % natural persons with valid 18-digit
  resident ID numbers (GB 11643 check character from `identity.validation`, birth dates
  1950–2005, unique per applicant id) and mobile numbers, 12 % legal persons with valid
  USCCs (GB 32100 check character) and a legal representative. An item for legal persons
  only gets a legal person, and so on.
- **Dates**: closed cases were opened 40–365 days ago, open ones in the last 35 days
  (drafts, submissions and notices in the last 10), so the inbox holds recent work and
  some overdue tasks. Acceptance follows the working-day calendar (an online submission on
  a holiday is accepted on the next working day); case and task due dates are
  `cases.deadlines.case_due` / `task_due` with the real calendar, cached per (start, limit).
- **Statuses**: every status of `cases.workflow.Status` in a plausible mix (`STATUS_MIX`):
  about 60 % concluded, 12 % in review (their current stage's tasks pending, with due
  dates: thousands per department at 1M cases), a few % each of drafts, submissions,
  correction requests, one-time notices, suspensions (an open special procedure on a task,
  whose task stays pending as in `case_suspend`), pending decisions, decided but not yet
  concluded, refused, not accepted, withdrawn and returned (pending materials overdue).
- **History**: each case's events follow the path the services would write (opened,
  material_added for online uploads, submitted, accepted, stage_started, task_approved,
  stage_completed, review_completed, decided, result_issued, concluded …), about 8 per
  case, hashed with `cases.history.event_hash` itself, so `yichuang verify-history` passes;
  `case.history_head` is the last hash. Window-scanned materials are rows without their
  `material_added` events, to keep the history near 8 events per case.
- **Rows beside the case**: submitted materials as metadata (no files), notices
  (acceptance, refusal, one-time, correction, pending materials, suspension), decisions,
  results, suspensions, material commitments of returned cases, and hall tickets (about
  one per three cases: window cases at the county centre took a number, which is linked
  to the case, plus some missed, cancelled and expired ones), with their ticket events.
  Not made: extensions, idempotency keys, messages, appointments.
- **Numbers**: case numbers are `<centre code>-<day>-<sequence>` continuing each
  (centre, day) counter, and `CaseNumberCounter` / `TicketCounter` rows are advanced, so a
  second run appends (10k → 100k → 1M) and a real submission today never collides.

How: one transaction per chunk of 50,000 cases (an interrupted run leaves whole chunks).
The chunk locks the tables it writes (SHARE ROW EXCLUSIVE: reads go on, other writers
wait), takes the next value of each table's identity sequence as its first id, writes the
rows with `cursor.copy()` with every index and constraint in place, and moves the sequences
past the ids it used. ANALYZE at the end. Run it on a database nobody is writing to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

CHUNK = 50_000

# Share of generated cases per final status (they sum to 1000).
STATUS_MIX = {
    "concluded": 585,  # approved (a few refused) and delivered
    "approved": 20,
    "refused": 15,
    "in_review": 120,
    "suspended": 20,
    "pending_decision": 25,
    "accepted": 5,  # an immediate item waiting for the window's decision today
    "submitted": 30,
    "correction_requested": 15,
    "awaiting_materials": 15,
    "draft": 30,
    "not_accepted": 20,
    "withdrawn": 70,
    "returned": 10,
    "refused_concluded": 20,
}
CHANNEL_MIX = {"window": 48, "online": 35, "kiosk": 5, "assisted": 8, "home_visit": 4}
STAFF_CHANNELS = ("window", "assisted", "home_visit")
LEGAL_SHARE = 0.12

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文包敖"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志强海燕雪梅春梅金山淑芬振华晓红丽娜宏伟俊峰云娜其格巴特尔"  # noqa: E501
COMPANY_WORDS = ["兴旺", "草原", "契丹", "辽上京", "北方", "鑫源", "宏达", "瑞丰", "福源", "天成"]
COMPANY_KINDS = ["商贸", "农牧业", "建筑工程", "餐饮管理", "物流", "科技", "食品", "运输"]
# Address codes of 赤峰市 (GB/T 2260) for resident IDs.
ADDRESS_CODES = ["150422", "150423", "150402", "150404", "150421", "150424", "150428"]
SUSPENSION_KINDS = ["expert_review", "inspection", "testing", "appraisal", "hearing"]
ONE_DAY = dt.timedelta(days=1)


class DatagenError(RuntimeError):
    """The generator cannot run here (not PostgreSQL, no published item …)."""


# -- the tables written, with their columns in COPY order ---------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "identity_applicant": (
        "id", "created_at", "updated_at", "kind", "id_number", "name", "phone",
        "legal_representative", "legal_representative_id", "credit_restricted", "user_id",
    ),
    "cases_case": (
        "id", "created_at", "updated_at", "number", "item_version_id", "centre_id",
        "applicant_id", "agent_id", "agent_name", "agent_id_number", "power_of_attorney",
        "channel", "status", "form_data", "opened_by_id", "submitted_at", "accepted_on",
        "concluded_at", "due_date", "due_provisional", "history_head",
    ),
    "cases_caseevent": (
        "id", "case_id", "seq", "actor_id", "actor_kind", "actor_label", "at", "kind",
        "from_status", "to_status", "reason", "data", "prev_hash", "hash",
    ),
    "cases_stage": (
        "id", "case_id", "number", "template_stage", "name", "started_on", "completed_at",
        "outcome",
    ),
    "cases_task": (
        "id", "stage_id", "case_id", "department_id", "status", "limit_workdays",
        "started_on", "due_date", "due_provisional", "decided_at", "decided_by_id",
        "deemed_consent", "opinion",
    ),
    "cases_submittedmaterial": (
        "id", "case_id", "material_id", "file", "sha256", "content_type", "size", "origin",
        "uploaded_at", "uploaded_by_id",
    ),
    "cases_notice": ("id", "case_id", "kind", "number", "issued_at", "issued_by_id", "body"),
    "cases_decision": ("id", "case_id", "outcome", "reason", "decided_by_id", "decided_at"),
    "cases_result": (
        "id", "case_id", "name", "number", "delivery", "tracking_number", "delivered_at",
    ),
    "cases_suspension": (
        "id", "case_id", "task_id", "kind", "reason", "started_on", "ended_on",
        "resume_status", "started_by_id",
    ),
    "cases_materialcommitment": (
        "id", "case_id", "signed_by_name", "signed_by_id_number", "signed_at", "supply_by",
        "fulfilled_at", "broken_at",
    ),
    "cases_materialcommitment_materials": ("id", "materialcommitment_id", "material_id"),
    "hall_ticket": (
        "id", "centre_id", "day", "number", "origin_queue_id", "queue_id", "status",
        "priority", "rank", "queued_at", "taken_at", "taken_via", "applicant_id",
        "target_window_id", "window_id", "served_by_id", "call_count", "first_called_at",
        "called_at", "finished_at", "public_token",
    ),
    "hall_ticketevent": (
        "id", "ticket_id", "centre_id", "kind", "at", "window_id", "staff_id", "data",
    ),
    "hall_ticketcase": ("id", "ticket_id", "case_id", "linked_at"),
}  # fmt: skip
# Parents before children: the order of COPY within a chunk.
TABLES = tuple(COLUMNS)
JSON_COLUMNS = {"form_data", "data", "body"}


def _columns_check() -> None:
    """Every table's COPY columns are exactly the model's concrete columns."""
    from django.apps import apps

    by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    for table, columns in COLUMNS.items():
        model = by_table[table]
        actual = {f.column for f in model._meta.concrete_fields}
        if actual != set(columns):
            raise DatagenError(
                f"{table}: the generator writes {sorted(columns)}, the model has {sorted(actual)}"
            )


# -- the world the cases live in ----------------------------------------------------------


@dataclass(frozen=True)
class StaffMember:
    user_id: int
    staff_id: int
    label: str


@dataclass(frozen=True)
class TemplateTask:
    department_id: int
    department_name: str
    limit: int


@dataclass(frozen=True)
class Version:
    pk: int
    centre_id: int
    name: str
    immediate: bool
    promised: int
    natural: bool
    legal: bool
    result_name: str
    stages: tuple[tuple[int, str, tuple[TemplateTask, ...]], ...]
    materials: tuple[tuple[int, str, bool, bool], ...]  # id, name, required, pendable


@dataclass
class World:
    centres: dict[int, str]  # id -> code
    main_centre: int
    sub_centres: list[int]
    versions: list[Version]
    officers: dict[int, list[StaffMember]]  # centre -> window officers
    helpers: dict[int, list[StaffMember]]  # centre -> helpers (and window officers)
    reviewers: dict[int, StaffMember]  # department -> a reviewer
    leader: StaffMember
    queues: list[tuple[int, str]]  # (id, letter) of the main centre
    windows: list[int]
    tz: ZoneInfo
    today: dt.date
    now: dt.datetime
    calendar: Any
    count_start_day: bool
    _next_wd: dict[dt.date, dt.date] = field(default_factory=dict)
    _case_due: dict[tuple, tuple[dt.date, bool]] = field(default_factory=dict)
    _task_due: dict[tuple, tuple[dt.date, bool]] = field(default_factory=dict)

    def next_workday(self, day: dt.date) -> dt.date:
        found = self._next_wd.get(day)
        if found is None:
            found = self._next_wd[day] = self.calendar.next_workday(day).deadline
        return found

    def case_due(
        self, accepted_on: dt.date, promised: int, suspended_from: dt.date | None = None
    ) -> tuple[dt.date, bool]:
        key = (accepted_on, promised, suspended_from)
        found = self._case_due.get(key)
        if found is None:
            from yichuang.cases import deadlines

            due = deadlines.case_due(
                accepted_on=accepted_on,
                promised_workdays=promised,
                suspensions=[deadlines.Period(suspended_from)] if suspended_from else (),
                today=self.today,
                calendar=self.calendar,
                count_start_day=self.count_start_day,
            )
            found = self._case_due[key] = (due.due, due.provisional)
        return found

    def task_due(
        self, started_on: dt.date, limit: int, suspended_from: dt.date | None = None
    ) -> tuple[dt.date, bool]:
        key = (started_on, limit, suspended_from)
        found = self._task_due.get(key)
        if found is None:
            from yichuang.cases import deadlines

            due = deadlines.task_due(
                started_on=started_on,
                limit_workdays=limit,
                suspensions=[deadlines.Period(suspended_from)] if suspended_from else (),
                calendar=self.calendar,
                today=self.today,
                count_start_day=self.count_start_day,
            )
            found = self._task_due[key] = (due.due, due.provisional)
        return found


def _label(user: Any) -> str:
    from yichuang.cases.history import _actor_fields
    from yichuang.cases.workflow import Actor

    return _actor_fields(user, Actor.STAFF)[2][:200]


def _world() -> World:
    from django.conf import settings

    from yichuang.catalog.models import (
        Material,
        ProcessStageTask,
        ServiceItemVersion,
        VersionStatus,
    )
    from yichuang.common import clock
    from yichuang.hall.models import Queue
    from yichuang.orgs.models import Centre, Role, Staff, Window
    from yichuang.workdays.selectors import calendar_get, count_start_day_default

    versions_qs = ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "item"
    )
    rows = list(versions_qs.order_by("pk"))
    if not rows:
        raise DatagenError("no published item version: seed the demo centre first")
    main = Counter(v.item.centre_id for v in rows).most_common(1)[0][0]
    rows = [v for v in rows if v.item.centre_id == main]
    templates: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in ProcessStageTask.objects.filter(version__in=rows).select_related("department"):
        templates[row.version_id][row.stage].append(row)
    materials: dict[int, list] = defaultdict(list)
    for m in Material.objects.filter(version__in=rows).order_by("position", "pk"):
        materials[m.version_id].append((m.pk, m.name, m.required, m.pendable))
    versions = []
    for v in rows:
        stages = tuple(
            (
                number,
                tasks[0].stage_name,
                tuple(
                    TemplateTask(t.department_id, t.department.name, t.limit_workdays)
                    for t in sorted(tasks, key=lambda t: t.pk)
                ),
            )
            for number, tasks in sorted(templates[v.pk].items())
        )
        immediate = v.handling_kind == "immediate"
        if not immediate and not stages:
            continue  # no review stage: skipped rather than modelled
        versions.append(
            Version(
                pk=v.pk,
                centre_id=main,
                name=v.name,
                immediate=immediate,
                promised=0 if immediate else v.promised_limit,
                natural=v.for_natural_persons,
                legal=v.for_legal_persons,
                result_name=v.result_name or f"{v.name}决定书",
                stages=stages,
                materials=tuple(materials[v.pk]),
            )
        )
    main_centre = Centre.objects.get(pk=main)
    centres = {c.pk: c.code for c in Centre.objects.filter(path__startswith=main_centre.path)}
    officers: dict[int, list[StaffMember]] = defaultdict(list)
    helpers: dict[int, list[StaffMember]] = defaultdict(list)
    reviewers: dict[int, StaffMember] = {}
    leader = None
    staff = Staff.objects.filter(centre_id__in=centres, is_active=True).select_related(
        "user", "centre", "department"
    )
    for member in staff.prefetch_related("roles").order_by("pk"):
        roles = member.role_set()
        person = StaffMember(member.user_id, member.pk, _label(member.user))
        if Role.WINDOW_OFFICER in roles:
            officers[member.centre_id].append(person)
        if roles & {Role.WINDOW_OFFICER, Role.HELPER}:
            helpers[member.centre_id].append(person)
        if Role.REVIEWER in roles and member.department_id:
            reviewers.setdefault(member.department_id, person)
        if Role.LEADER in roles and member.centre_id == main and leader is None:
            leader = person
    if not officers.get(main):
        raise DatagenError("the main centre has no window officer")
    departments = {t.department_id for v in versions for _n, _s, ts in v.stages for t in ts}
    missing = departments - set(reviewers)
    if missing or leader is None:
        raise DatagenError(f"no reviewer for departments {sorted(missing)} or no leader")
    return World(
        centres=centres,
        main_centre=main,
        sub_centres=[c for c in centres if c != main and helpers.get(c)],
        versions=versions,
        officers=dict(officers),
        helpers=dict(helpers),
        reviewers=reviewers,
        leader=leader,
        queues=list(
            Queue.objects.filter(centre_id=main, is_active=True)
            .order_by("sort_order", "code")
            .values_list("pk", "code")
        ),
        windows=list(Window.objects.filter(centre_id=main).values_list("pk", flat=True)),
        tz=ZoneInfo(settings.TIME_ZONE),
        today=clock.today(),
        now=clock.now(),
        calendar=calendar_get(),
        count_start_day=count_start_day_default(),
    )


# -- identity numbers ---------------------------------------------------------------------

_BIRTH_START = dt.date(1950, 1, 1).toordinal()
_BIRTH_DAYS = dt.date(2005, 12, 31).toordinal() - _BIRTH_START


def resident_id(serial: int, *, address: str) -> str:
    """A valid 18-digit resident ID, distinct for each serial below 20,000 × 1,000."""
    from yichuang.identity.validation import resident_id_check_character

    birth = dt.date.fromordinal(_BIRTH_START + serial % _BIRTH_DAYS)
    first17 = f"{address}{birth:%Y%m%d}{serial // _BIRTH_DAYS % 1000:03d}"
    return first17 + resident_id_check_character(first17)


def uscc(serial: int, *, address: str) -> str:
    """A valid unified social credit code (企业, 9 + 1), distinct per serial."""
    from yichuang.identity.validation import USCC_ALPHABET, uscc_check_character

    body, n = [], serial
    for _ in range(9):
        n, digit = divmod(n, len(USCC_ALPHABET))
        body.append(USCC_ALPHABET[digit])
    first17 = f"91{address}{''.join(reversed(body))}"
    return first17 + uscc_check_character(first17)


# -- one chunk ----------------------------------------------------------------------------


@dataclass
class Applicant:
    pk: int
    legal: bool
    name: str
    id_number: str
    phone: str
    signer_name: str
    signer_id: str


class Ids:
    """The next id of each table, taken from its sequence at the start of the chunk."""

    def __init__(self, first: dict[str, int]) -> None:
        self.next = dict(first)
        self.first = dict(first)

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


class Chunk:
    """The rows of one chunk of cases, built in memory and then copied in."""

    def __init__(
        self,
        *,
        world: World,
        rng: random.Random,
        ids: Ids,
        case_counters: dict,
        ticket_counters: dict,
    ) -> None:
        self.w, self.rng, self.ids = world, rng, ids
        self.rows: dict[str, list[tuple]] = {table: [] for table in TABLES}
        self.case_counters, self.ticket_counters = case_counters, ticket_counters
        self.natural: list[Applicant] = []
        self.legal: list[Applicant] = []
        self.statuses = list(STATUS_MIX)
        self.cases_made = 0
        self.status_weights = list(STATUS_MIX.values())
        self.channels = list(CHANNEL_MIX)
        self.channel_weights = list(CHANNEL_MIX.values())
        self.promised = [v for v in world.versions if not v.immediate]
        self.immediate = [v for v in world.versions if v.immediate]

    # -- helpers ----------------------------------------------------------------------

    def at(self, day: dt.date, minute: int) -> dt.datetime:
        """`minute` minutes after midnight of `day`, local time, with random seconds."""
        minute = max(0, min(minute, 24 * 60 - 1))
        return dt.datetime(
            day.year, day.month, day.day, minute // 60, minute % 60,
            self.rng.randrange(60), tzinfo=self.w.tz,
        )  # fmt: skip

    def office(self, day: dt.date) -> dt.datetime:
        return self.at(day, self.rng.randint(8 * 60 + 30, 17 * 60 + 20))

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def phone(self) -> str:
        return f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}"

    def digest(self) -> str:
        return f"{self.rng.getrandbits(256):064x}"

    # -- applicants -------------------------------------------------------------------

    def applicants_make(self, count: int, *, taken: set[tuple[str, str]], now: dt.datetime) -> None:
        rng = self.rng
        for _ in range(count):
            pk = self.ids.take("identity_applicant")
            legal = rng.random() < LEGAL_SHARE
            address = ADDRESS_CODES[pk % len(ADDRESS_CODES)]
            kind = "legal_person" if legal else "natural_person"
            number = uscc(pk, address=address) if legal else resident_id(pk, address=address)
            shift = 0
            while (kind, number) in taken:  # a demo applicant holds it: another address
                shift += 1
                other = ADDRESS_CODES[(pk + shift) % len(ADDRESS_CODES)]
                number = uscc(pk, address=other) if legal else resident_id(pk, address=other)
            taken.add((kind, number))
            person = self.person_name()
            if legal:
                rep_id = resident_id(pk + 7_000_000, address=address)
                name = f"巴林左旗{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}有限公司"
                applicant = Applicant(pk, True, name, number, self.phone(), person, rep_id)
                self.legal.append(applicant)
            else:
                applicant = Applicant(pk, False, person, number, self.phone(), person, number)
                self.natural.append(applicant)
            created = now - dt.timedelta(days=400 + rng.randrange(400))
            self.rows["identity_applicant"].append(
                (
                    pk, created, created, kind, number, applicant.name, applicant.phone,
                    person if legal else "", applicant.signer_id if legal else "", False, None,
                )
            )  # fmt: skip

    def ticket(
        self,
        *,
        queue_id: int,
        day: dt.date,
        status: str,
        taken: dt.datetime,
        called: dt.datetime | None,
        finished: dt.datetime,
        applicant_id: int | None,
        staff: StaffMember,
    ) -> int:
        rng, w = self.rng, self.w
        letter = dict(w.queues)[queue_id]
        key = (queue_id, day)
        self.ticket_counters[key] = sequence = self.ticket_counters.get(key, 0) + 1
        ticket_id = self.ids.take("hall_ticket")
        priority = "elderly" if rng.random() < 0.04 else ""
        window = rng.choice(w.windows) if w.windows and called else None
        via = rng.choices(["kiosk", "portal", "window"], [75, 20, 5])[0]
        self.rows["hall_ticket"].append(
            (
                ticket_id, w.main_centre, day, f"{letter}{sequence:03d}", queue_id, queue_id,
                status,
                priority, 0 if priority else 1, taken, taken, via, applicant_id, None, window,
                staff.staff_id if called else None, 1 if called else 0, called, called, finished,
                secrets.token_hex(16),
            )
        )  # fmt: skip
        events, take, centre = self.rows["hall_ticketevent"], self.ids.take, w.main_centre
        by = staff.staff_id if called else None
        happened = [("taken", taken, None, None, {"via": via, "priority": priority})]
        if called:
            happened.append(("called", called, window, by, {}))
        happened.append((status, finished, window, by, {}))  # done, missed, cancelled, expired
        for kind, at, at_window, staff_id, data in happened:
            events.append(
                (take("hall_ticketevent"), ticket_id, centre, kind, at, at_window, staff_id,
                 json.dumps(data))
            )  # fmt: skip
        return ticket_id

    # -- cases ------------------------------------------------------------------------

    def case_make(self) -> str:
        """One case with everything around it; returns its status."""
        rng, w = self.rng, self.w
        # The first cases of a chunk take every plan once, so that even a small load has
        # every status (the rare ones could otherwise be missed by chance).
        self.cases_made += 1
        if self.cases_made <= len(self.statuses):
            plan = self.statuses[self.cases_made - 1]
        else:
            plan = rng.choices(self.statuses, self.status_weights)[0]
        if plan in {"in_review", "suspended", "pending_decision", "refused", "returned"} or (
            plan == "refused_concluded"
        ):
            version = rng.choice(self.promised)
        elif plan == "accepted":
            version = rng.choice(self.immediate)
        else:
            version = rng.choice(w.versions)
        if version.natural and version.legal:
            legal = rng.random() < LEGAL_SHARE * 2
        else:
            legal = version.legal
        applicant = rng.choice(self.legal if legal and self.legal else self.natural)
        if plan in {"draft"}:
            channel = rng.choice(["online", "online", "kiosk"])
        elif plan == "correction_requested":
            channel = "online"
        elif plan == "accepted":
            channel = "window"
        else:
            channel = rng.choices(self.channels, self.channel_weights)[0]
        builder = CaseBuilder(self, version=version, applicant=applicant, channel=channel)
        builder.build(plan)
        return builder.status


class CaseBuilder:
    """Walks one case along the path the services would take and records its rows."""

    def __init__(self, chunk: Chunk, *, version: Version, applicant: Applicant, channel: str):
        self.c, self.w, self.rng = chunk, chunk.w, chunk.rng
        self.version, self.applicant, self.channel = version, applicant, channel
        self.pk = chunk.ids.take("cases_case")
        self.events: list[tuple] = []
        self.status = ""
        self.cursor: dt.datetime | None = None
        self.accepted_on: dt.date | None = None
        self.due: tuple[dt.date | None, bool] = (None, False)
        self.submitted_at: dt.datetime | None = None
        self.concluded_at: dt.datetime | None = None
        self.notices: Counter[str] = Counter()
        self.open_tasks: list[list] = []  # task rows of the running stage (mutable)
        self.open_stage: list | None = None
        self.stage_count = 0
        rng = self.rng
        if channel in STAFF_CHANNELS:
            centre = self.w.main_centre
            if self.w.sub_centres and rng.random() < 0.2:
                centre = rng.choice(self.w.sub_centres)
            pool = self.w.officers if channel == "window" else self.w.helpers
            if not pool.get(centre):
                centre = self.w.main_centre
            self.centre = centre
            self.opener: StaffMember | None = rng.choice(pool[centre])
        else:
            self.centre, self.opener = version.centre_id, None
        self.officer = rng.choice(
            self.w.officers.get(self.centre) or self.w.officers[self.w.main_centre]
        )

    # -- time -------------------------------------------------------------------------

    def tick(self, minutes: float = 1.0) -> dt.datetime:
        """The next event's time: `minutes` after the last one (never after now)."""
        assert self.cursor is not None
        step = dt.timedelta(minutes=minutes, seconds=self.rng.randrange(1, 50))
        self.cursor = min(self.cursor + step, self.w.now - dt.timedelta(seconds=1))
        return self.cursor

    def move_to(self, day: dt.date) -> dt.datetime:
        """Jump to office hours of a later `day` (or stay, if already past it)."""
        assert self.cursor is not None
        if day > self.cursor.astimezone(self.w.tz).date():
            self.cursor = min(self.c.office(day), self.w.now - dt.timedelta(seconds=2))
        return self.tick(1)

    def local_day(self) -> dt.date:
        assert self.cursor is not None
        return self.cursor.astimezone(self.w.tz).date()

    # -- recording --------------------------------------------------------------------

    def event(
        self,
        kind: str,
        *,
        by: str,
        actor: StaffMember | None = None,
        to: str = "",
        reason: str = "",
        data: dict[str, Any] | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        from_status = self.status if to else ""
        if to:
            self.status = to
        if actor is not None:
            actor_id, label = actor.user_id, actor.label
        elif by == "applicant":
            actor_id, label = None, self.applicant.name
        else:
            actor_id, label = None, "系统"
        self.events.append(
            (kind, from_status, to, actor_id, by, label, at or self.tick(), reason, data or {})
        )

    def notice(self, kind: str, prefix: str, body: dict[str, Any], *, by: StaffMember) -> str:
        self.notices[prefix] += 1
        number = f"{self.number}-{prefix}{self.notices[prefix]:02d}"
        self.c.rows["cases_notice"].append(
            (
                self.c.ids.take("cases_notice"), self.pk, kind, number, self.tick(0),
                by.user_id, json.dumps(body, ensure_ascii=False),
            )
        )  # fmt: skip
        return number

    def materials(self, *, online: bool, share: float = 1.0) -> None:
        """Hand in the version's required materials (online: each with its event)."""
        origin = "applicant_upload" if online else "window_scan"
        uploader = None if online else (self.opener or self.officer).user_id
        for material_id, name, required, _pendable in self.version.materials:
            if not required and self.rng.random() < 0.6:
                continue
            if share < 1.0 and self.rng.random() > share:
                continue
            digest, size = self.c.digest(), self.rng.randint(40_000, 4_000_000)
            at = self.tick(2 if online else 0.5)
            self.c.rows["cases_submittedmaterial"].append(
                (
                    self.c.ids.take("cases_submittedmaterial"), self.pk, material_id, "",
                    digest, "application/pdf", size, origin, at, uploader,
                )
            )  # fmt: skip
            if online:
                self.event(
                    "material_added",
                    by="applicant",
                    at=at,
                    data={
                        "material": material_id,
                        "name": name,
                        "sha256": digest,
                        "size": size,
                        "origin": origin,
                    },
                )

    # -- the path ---------------------------------------------------------------------

    def open(self, day: dt.date) -> None:
        w, rng = self.w, self.rng
        staff = self.channel in STAFF_CHANNELS
        if staff:
            day = w.next_workday(day) if w.next_workday(day) <= w.today else day
            self.cursor = self.c.office(day)
        else:
            self.cursor = self.c.at(day, rng.randint(7 * 60, 23 * 60))
        self.cursor = min(self.cursor, w.now - dt.timedelta(minutes=30))
        self.opened_day = day = self.local_day()
        key = (self.centre, day)
        self.c.case_counters[key] = sequence = self.c.case_counters.get(key, 0) + 1
        self.number = f"{w.centres[self.centre]}-{day:%Y%m%d}-{sequence:06d}"
        status = "submitted" if staff else "draft"
        self.created_at = self.cursor
        self.event(
            "opened",
            by="staff" if staff else "applicant",
            actor=self.opener,
            to=status,
            data={"item_version": self.version.pk, "channel": self.channel},
            at=self.cursor,
        )
        if staff:
            self.submitted_at = self.cursor
            self.materials(online=False)
            if self.channel == "window" and self.centre == w.main_centre:
                self.ticket_for_case()

    def submit(self) -> None:
        self.materials(online=True)
        self.submitted_at = self.tick(3)
        self.event("submitted", by="applicant", to="submitted", at=self.submitted_at)

    def accept(self, *, pending: bool = False) -> None:
        w, rng = self.w, self.rng
        if self.channel not in STAFF_CHANNELS:  # reviewed at a window, today or later
            later = rng.random() < 0.7
            self.move_to(w.next_workday(self.local_day() + (ONE_DAY if later else dt.timedelta())))
        else:
            self.tick(rng.randint(3, 20))
        self.accepted_on = w.next_workday(self.local_day())
        self.due = w.case_due(self.accepted_on, self.version.promised)
        due = self.due[0]
        body: dict[str, Any] = {
            "accepted_on": self.accepted_on.isoformat(),
            "due_date": due.isoformat(),
            "promised_workdays": self.version.promised,
        }
        data: dict[str, Any] = {
            "accepted_on": self.accepted_on.isoformat(),
            "due_date": due.isoformat(),
            "due_provisional": self.due[1],
        }
        if pending:
            pendable = (
                [m for m in self.version.materials if m[3]] or list(self.version.materials)
            )[:1]
            supply_by = min(due, w.calendar.add_workdays(self.accepted_on, 3).deadline)
            self.commitment = (self.c.ids.take("cases_materialcommitment"), supply_by, pendable)
            body |= {"supply_by": supply_by.isoformat(), "items": [
                {"material": m[0], "name": m[1]} for m in pendable
            ]}  # fmt: skip
            data |= {"supply_by": supply_by.isoformat(), "pending": [m[1] for m in pendable]}
        kind = "pending_materials" if pending else "acceptance"
        notice = self.notice(kind, "RQ" if pending else "SL", body, by=self.officer)
        self.event(
            "accepted_with_pending" if pending else "accepted",
            by="staff",
            actor=self.officer,
            to="accepted",
            data={"notice": notice, **data},
        )

    def stage_start(self, index: int, day: dt.date) -> None:
        w = self.w
        number_in_template, name, tasks = self.version.stages[index]
        self.stage_count += 1
        stage_id = self.c.ids.take("cases_stage")
        self.open_stage = [
            stage_id,
            self.pk,
            self.stage_count,
            number_in_template,
            name,
            day,
            None,
            "",
        ]
        self.open_tasks = []
        for t in tasks:
            due, provisional = w.task_due(day, t.limit)
            self.open_tasks.append(
                [
                    self.c.ids.take("cases_task"), stage_id, self.pk, t.department_id, "pending",
                    t.limit, day, due, provisional, None, None, False, "", t,
                ]
            )  # fmt: skip
        data = {
            "stage": self.stage_count,
            "template_stage": number_in_template,
            "name": name,
            "started_on": day.isoformat(),
            "departments": [t.department_name for t in tasks],
            "due_dates": [row[7].isoformat() for row in self.open_tasks],
        }
        to = "" if self.status == "in_review" else "in_review"
        self.event("stage_started", by="system", to=to, data=data)

    def stage_close(self, outcome: str, at: dt.datetime) -> None:
        assert self.open_stage is not None
        self.open_stage[6], self.open_stage[7] = at, outcome
        self.c.rows["cases_stage"].append(tuple(self.open_stage))
        self.c.rows["cases_task"].extend(tuple(row[:13]) for row in self.open_tasks)
        self.open_stage, self.open_tasks = None, []

    def stage_keep_open(self) -> None:
        if self.open_stage is not None:
            self.c.rows["cases_stage"].append(tuple(self.open_stage))
            self.c.rows["cases_task"].extend(tuple(row[:13]) for row in self.open_tasks)
            self.open_stage, self.open_tasks = None, []

    def task_event_data(self, row: list, **extra: Any) -> dict[str, Any]:
        return {
            "task": row[0],
            "stage": self.stage_count,
            "department": row[13].department_name,
            **extra,
        }

    def review(self, *, stop: str = "") -> None:
        """Run the stages. `stop`: "" (all approved), "open" (leave the current stage's tasks
        pending, at a random stage), "reject" (a task of a random stage rejects)."""
        w, rng = self.w, self.rng
        stages = len(self.version.stages)
        last = rng.randrange(stages) if stop else stages - 1
        day = self.accepted_on
        assert day is not None
        for index in range(last + 1):
            self.stage_start(index, day)
            if stop == "open" and index == last:
                return
            if stop == "reject" and index == last:
                row = rng.choice(self.open_tasks)
                reviewer = w.reviewers[row[3]]
                self.move_to(min(row[7], w.today))
                at = self.tick(rng.randint(10, 300))
                reason = "申请材料与实际情况不符，不符合法定条件"
                row[4], row[9], row[10], row[12] = "rejected", at, reviewer.user_id, reason
                cancelled = []
                for other in self.open_tasks:
                    if other[4] == "pending":
                        other[4], other[9] = "cancelled", at
                        cancelled.append(other[13].department_name)
                self.event(
                    "task_rejected", by="staff", actor=reviewer, reason=reason, at=at,
                    data=self.task_event_data(row, cancelled=cancelled),
                )  # fmt: skip
                self.stage_close("rejected", at)
                self.decide(outcome="refused", by=reviewer, reason=reason, task_row=row)
                return
            latest = None
            decisions = []
            for row in self.open_tasks:
                due = row[7]
                span = max(0, (due - day).days)
                if rng.random() < 0.04:
                    decided_day = due + dt.timedelta(days=rng.randint(1, 4))
                else:
                    decided_day = day + dt.timedelta(
                        days=rng.randint(0, min(span, 3 if stop else span))
                    )
                decided_day = min(w.next_workday(decided_day), w.today)
                decisions.append((decided_day, rng.randint(8 * 60 + 40, 17 * 60 + 10), row))
            for decided_day, minute, row in sorted(decisions, key=lambda d: (d[0], d[1])):
                at = max(self.c.at(decided_day, minute), self.cursor + dt.timedelta(seconds=5))
                at = min(at, w.now - dt.timedelta(seconds=2))
                self.cursor = at
                reviewer = w.reviewers[row[3]]
                row[4], row[9], row[10], row[12] = "approved", at, reviewer.user_id, "同意"
                self.event(
                    "task_approved", by="staff", actor=reviewer, at=at,
                    data=self.task_event_data(row, opinion="同意"),
                )  # fmt: skip
                latest = at
            stage_no, stage_name = self.stage_count, self.open_stage[4]
            done = self.tick(0)
            self.stage_close("approved", done)
            self.event(
                "stage_completed", by="system", at=done,
                data={"stage": stage_no, "name": stage_name, "outcome": "approved"},
            )  # fmt: skip
            day = (latest or done).astimezone(w.tz).date()
        self.event(
            "review_completed",
            by="system",
            to="pending_decision",
            data={"stages": self.stage_count},
        )

    def decide(
        self,
        *,
        outcome: str = "approved",
        by: StaffMember | None = None,
        reason: str = "",
        task_row: list | None = None,
    ) -> None:
        w, rng = self.w, self.rng
        decider = by or (self.officer if self.version.immediate else w.leader)
        if task_row is None:
            if self.version.immediate:
                self.tick(rng.randint(5, 30))
            else:
                self.move_to(
                    min(w.next_workday(self.local_day() + ONE_DAY * rng.randint(0, 2)), w.today)
                )
        at = self.tick(1)
        decision_id = self.c.ids.take("cases_decision")
        self.c.rows["cases_decision"].append(
            (decision_id, self.pk, outcome, reason, decider.user_id, at)
        )
        if task_row is not None:
            self.event(
                "refused", by="staff", actor=decider, to="refused", reason=reason, at=at,
                data=self.task_event_data(task_row, outcome="refused"),
            )  # fmt: skip
        else:
            self.event(
                "decided", by="staff", actor=decider, reason=reason, at=at,
                to="approved" if outcome == "approved" else "refused",
                data={"outcome": outcome, "decision": decision_id},
            )  # fmt: skip

    def conclude(self) -> None:
        w, rng = self.w, self.rng
        if not self.version.immediate:
            self.move_to(
                min(w.next_workday(self.local_day() + ONE_DAY * rng.randint(0, 3)), w.today)
            )
        approved = self.status == "approved"
        name = self.version.result_name if approved else "不予行政许可决定书"
        delivery = rng.choices(["pickup", "post", "electronic"], [60, 25, 15])[0]
        tracking = f"SF{rng.randrange(10**12):012d}" if delivery == "post" else ""
        number = f"左审批字〔{self.local_day().year}〕{self.pk % 100000:05d}号" if approved else ""
        at = self.tick(5)
        self.c.rows["cases_result"].append(
            (self.c.ids.take("cases_result"), self.pk, name, number, delivery, tracking, at)
        )
        self.event(
            "result_issued", by="staff", actor=self.officer, at=at,
            data={"name": name, "number": number, "delivery": delivery,
                  "tracking_number": tracking},
        )  # fmt: skip
        self.concluded_at = at
        self.event("concluded", by="system", to="concluded", at=at)

    def close_open_work(self, at: dt.datetime) -> None:
        for row in self.open_tasks:
            if row[4] == "pending":
                row[4], row[9] = "cancelled", at
        if self.open_stage is not None:
            self.stage_close("cancelled", at)

    # -- plans --------------------------------------------------------------------------

    def build(self, plan: str) -> None:
        w, rng = self.w, self.rng
        staff = self.channel in STAFF_CHANNELS
        recent = {"draft", "submitted", "correction_requested", "awaiting_materials", "accepted"}
        if plan in recent:
            back = 0 if plan == "accepted" else rng.randint(0, 10)
        elif plan in {"in_review", "suspended", "pending_decision", "approved", "refused"}:
            back = rng.randint(1, 35)
        else:
            back = rng.randint(40, 365)
        self.open(w.today - dt.timedelta(days=back))
        if plan == "draft":
            self.materials(online=True, share=0.5)
            return self.finish()
        if not staff:
            self.submit()
        if plan == "submitted":
            return self.finish()
        if plan == "correction_requested":
            self.move_to(w.next_workday(self.local_day() + ONE_DAY))
            m = self.version.materials[0] if self.version.materials else None
            items = [
                {
                    "material": m[0] if m else None,
                    "name": m[1] if m else "申请表",
                    "note": "扫描件不清晰，请重新上传",
                }
            ]
            notice = self.notice(
                "correction", "BZ", {"items": items, "department": ""}, by=self.officer
            )
            self.event(
                "correction_requested", by="staff", actor=self.officer, to="correction_requested",
                data={"notice": notice, "items": items},
            )  # fmt: skip
            return self.finish()
        if plan == "awaiting_materials":
            m = self.version.materials[-1] if self.version.materials else (0, "申请表", True, False)
            items = [{"material": m[0], "name": m[1], "problem": "defective", "note": "印章不清晰"}]
            notice = self.notice("one_time", "GZ", {"items": items}, by=self.officer)
            self.tick(5)
            self.event(
                "one_time_notice", by="staff", actor=self.officer, to="awaiting_materials",
                data={"notice": notice, "items": items},
            )  # fmt: skip
            return self.finish()
        if plan == "not_accepted":
            reason = "申请事项不属于本机关职权范围"
            notice = self.notice("refusal", "BSL", {"reason": reason}, by=self.officer)
            self.tick(5)
            self.event(
                "not_accepted", by="staff", actor=self.officer, to="not_accepted",
                reason=reason, data={"notice": notice},
            )  # fmt: skip
            return self.finish()
        if plan == "withdrawn":
            if rng.random() < 0.5 and not self.version.immediate:
                self.accept()
                self.review(stop="open")
            at = self.tick(rng.randint(60, 3000))
            self.close_open_work(at)
            self.event("withdrawn", by="applicant", to="withdrawn", reason="申请人主动撤回", at=at)
            return self.finish()
        if plan == "returned":
            self.accept(pending=True)
            self.stage_start(0, self.accepted_on)
            commitment_id, supply_by, pendable = self.commitment
            self.move_to(min(w.next_workday(supply_by + ONE_DAY), w.today))
            broken = self.tick(0)
            self.c.rows["cases_materialcommitment"].append(
                (commitment_id, self.pk, self.applicant.signer_name, self.applicant.signer_id,
                 self.created_at, supply_by, None, broken)
            )  # fmt: skip
            for m in pendable:
                self.c.rows["cases_materialcommitment_materials"].append(
                    (self.c.ids.take("cases_materialcommitment_materials"), commitment_id, m[0])
                )
            self.event(
                "pending_overdue", by="system", at=broken,
                data={"commitment": commitment_id, "supply_by": supply_by.isoformat(),
                      "materials": [m[1] for m in pendable]},
            )  # fmt: skip
            reason = f"容缺材料未在{supply_by.isoformat()}前补齐"
            at = self.tick(0)
            self.close_open_work(at)
            self.event("returned", by="system", to="returned", reason=reason, at=at)
            return self.finish()
        self.accept()
        if self.version.immediate:
            if plan == "accepted":
                return self.finish()
            refused = plan in {"refused", "refused_concluded"}
            self.decide(
                outcome="refused" if refused else "approved",
                reason="不符合法定条件" if refused else "",
            )
        elif plan in {"in_review", "suspended"}:
            self.review(stop="open")
            if plan == "suspended":
                self.suspend()
            return self.finish()
        elif plan in {"refused", "refused_concluded"}:
            self.review(stop="reject")
        else:
            self.review()
            if plan == "pending_decision":
                return self.finish()
            self.decide()
        if plan in {"concluded", "refused_concluded"}:
            self.conclude()
        self.finish()

    def suspend(self) -> None:
        w, rng = self.w, self.rng
        row = rng.choice(self.open_tasks)
        reviewer = w.reviewers[row[3]]
        start_day = min(w.today, self.local_day() + ONE_DAY * rng.randint(0, 3))
        self.move_to(start_day)
        kind = rng.choice(SUSPENSION_KINDS)
        reason = "需组织专家评审" if kind == "expert_review" else "需现场核查或检验"
        suspension_id = self.c.ids.take("cases_suspension")
        self.c.rows["cases_suspension"].append(
            (
                suspension_id,
                self.pk,
                row[0],
                kind,
                reason,
                start_day,
                None,
                "in_review",
                reviewer.user_id,
            )
        )
        body = {"kind": kind, "reason": reason, "started_on": start_day.isoformat()}
        notice = self.notice("suspension", "ZT", body, by=reviewer)
        self.event(
            "suspended", by="staff", actor=reviewer, to="suspended", reason=reason,
            data=self.task_event_data(row, notice=notice, suspension=suspension_id, procedure=kind),
        )  # fmt: skip
        assert self.accepted_on is not None
        self.due = w.case_due(self.accepted_on, self.version.promised, start_day)
        for task in self.open_tasks:
            task[7], task[8] = w.task_due(task[6], task[5], start_day)

    # -- the case row and its history ---------------------------------------------------

    def finish(self) -> None:
        from yichuang.cases.history import event_hash

        self.stage_keep_open()
        prev = ""
        rows = self.c.rows["cases_caseevent"]
        take = self.c.ids.take
        for seq, (
            kind,
            from_status,
            to_status,
            actor_id,
            actor_kind,
            label,
            at,
            reason,
            data,
        ) in enumerate(self.events, start=1):
            digest = event_hash(
                number=self.number, seq=seq, kind=kind, from_status=from_status,
                to_status=to_status, actor_id=actor_id, actor_kind=actor_kind,
                actor_label=label, at=at, reason=reason, data=data, prev_hash=prev,
            )  # fmt: skip
            rows.append(
                (
                    take("cases_caseevent"), self.pk, seq, actor_id, actor_kind, label, at, kind,
                    from_status, to_status, reason, json.dumps(data, ensure_ascii=False), prev,
                    digest,
                )
            )  # fmt: skip
            prev = digest
        form = {"联系人": self.applicant.signer_name, "联系电话": self.applicant.phone}
        due, provisional = self.due
        self.c.rows["cases_case"].append(
            (
                self.pk, self.created_at, self.events[-1][6], self.number, self.version.pk,
                self.centre, self.applicant.pk, None, "", "", False, self.channel, self.status,
                json.dumps(form, ensure_ascii=False), self.opener.user_id if self.opener else None,
                self.submitted_at, self.accepted_on, self.concluded_at, due, provisional, prev,
            )
        )  # fmt: skip

    # -- hall -------------------------------------------------------------------------

    def ticket_for_case(self) -> None:
        """The visitor took a number before the window opened the case (4 in 5 did)."""
        if not self.w.queues or self.rng.random() > 0.8:
            return
        assert self.cursor is not None and self.opener is not None
        queue_id, _letter = (
            self.w.queues[0] if self.rng.random() < 0.7 else self.rng.choice(self.w.queues)
        )
        called = self.cursor - dt.timedelta(minutes=self.rng.randint(1, 4))
        taken = called - dt.timedelta(minutes=self.rng.randint(3, 40))
        finished = self.cursor + dt.timedelta(minutes=self.rng.randint(8, 25))
        ticket_id = self.c.ticket(
            queue_id=queue_id, day=self.local_day(), status="done", taken=taken, called=called,
            finished=finished, applicant_id=self.applicant.pk, staff=self.opener,
        )  # fmt: skip
        self.c.rows["hall_ticketcase"].append(
            (self.c.ids.take("hall_ticketcase"), ticket_id, self.pk, self.cursor)
        )
        if self.rng.random() < 0.1:  # someone else's number that came to nothing
            status = self.rng.choice(["missed", "cancelled", "expired"])
            self.c.ticket(
                queue_id=self.rng.choice(self.w.queues)[0], day=self.local_day(), status=status,
                taken=taken, called=called if status == "missed" else None,
                finished=finished, applicant_id=None, staff=self.opener,
            )  # fmt: skip


# -- the database side --------------------------------------------------------------------


def _lock_and_first_ids(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "LOCK TABLE "
        + ", ".join([*TABLES, "cases_casenumbercounter", "hall_ticketcounter"])
        + " IN SHARE ROW EXCLUSIVE MODE"
    )
    first = {}
    for table in TABLES:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        first[table] = cursor.fetchone()[0]
    return first


def _sequences_advance(cursor: Any, ids: Ids) -> None:
    for table in TABLES:
        used = ids.next[table] - 1
        if used >= ids.first[table]:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, used])


def _copy(cursor: Any, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    columns = ", ".join(COLUMNS[table])
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _counters_read(cursor: Any, table: str, key: str) -> dict:
    cursor.execute(f"SELECT {key}, day, last FROM {table}")
    return {(k, day): last for k, day, last in cursor.fetchall()}


def _counters_write(cursor: Any, table: str, key: str, counters: dict, before: dict) -> None:
    changed = [
        (k, day, last) for (k, day), last in counters.items() if before.get((k, day)) != last
    ]
    if not changed:
        return
    cursor.executemany(
        f"INSERT INTO {table} ({key}, day, last) VALUES (%s, %s, %s) "
        f"ON CONFLICT ({key}, day) DO UPDATE SET last = GREATEST({table}.last, EXCLUDED.last)",
        changed,
    )


def _chunk_load(*, world: World, count: int, seed: int, taken: set, tick: Any) -> Counter[str]:
    """Generate and copy one chunk of `count` cases in one transaction."""
    from django.db import connection, transaction

    written: Counter[str] = Counter()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, for COPY
        ids = Ids(_lock_and_first_ids(cursor))
        case_before = _counters_read(cursor, "cases_casenumbercounter", "centre_id")
        ticket_before = _counters_read(cursor, "hall_ticketcounter", "queue_id")
        rng = random.Random(f"{seed}:{ids.first['cases_case']}")
        chunk = Chunk(
            world=world,
            rng=rng,
            ids=ids,
            case_counters=dict(case_before),
            ticket_counters=dict(ticket_before),
        )
        chunk.applicants_make(max(count // 5, 4), taken=taken, now=world.now)
        if not chunk.natural:
            chunk.applicants_make(4, taken=taken, now=world.now)
        for i in range(count):
            chunk.case_make()
            if i % 1000 == 999:
                tick(1000)
        tick(count % 1000)
        for table in TABLES:
            _copy(cursor, table, chunk.rows[table])
            written[table] += len(chunk.rows[table])
        _counters_write(
            cursor, "cases_casenumbercounter", "centre_id", chunk.case_counters, case_before
        )
        _counters_write(
            cursor, "hall_ticketcounter", "queue_id", chunk.ticket_counters, ticket_before
        )
        _sequences_advance(cursor, ids)
    return written


def _demo_ensure() -> bool:
    """Seed the demo centre when there is no centre; its logins get unusable passwords."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from yichuang.orgs.models import Centre

    if Centre.objects.exists():
        return False
    User = get_user_model()
    before = set(User.objects.values_list("pk", flat=True))
    call_command("seed_demo", "--force", "--without-cases", stdout=open(os.devnull, "w"))  # noqa: SIM115
    for user in User.objects.exclude(pk__in=before):
        User.objects.filter(pk=user.pk).update(password=make_password(None))
    return True


class _Progress:
    """A progress line on stderr: cases done, rate, time left."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0
        self.started = time.perf_counter()

    def __call__(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        sys.stderr.write(
            f"\rdatagen: {self.done:,}/{self.total:,} cases ({100 * self.done / self.total:.0f} %)"
            f", {rate:,.0f} cases/s, about {left:,.0f} s left   "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def load(*, cases: int, seed: int = 1, progress: bool = True) -> dict:
    """Append `cases` generated cases (and their applicants, history, stages, tasks,
    materials, notices and hall tickets) to the database of Django's default connection.

    PostgreSQL only. Returns rows written per table, seconds, rates and the database size.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        raise DatagenError(
            f"bench.datagen needs PostgreSQL (it writes with COPY); the database is "
            f"{connection.vendor}. Set DATABASE_URL=postgres://…"
        )
    if cases < 1:
        raise DatagenError("--cases must be at least 1")
    _columns_check()
    started = time.perf_counter()
    seeded = _demo_ensure()
    world = _world()
    from yichuang.identity.models import Applicant as ApplicantModel

    taken = set(ApplicantModel.objects.values_list("kind", "id_number"))
    written: Counter[str] = Counter()
    bar = _Progress(cases, enabled=progress)
    remaining = cases
    try:
        while remaining:
            count = min(CHUNK, remaining)
            written += _chunk_load(world=world, count=count, seed=seed, taken=taken, tick=bar)
            remaining -= count
    finally:
        bar.close()
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        for table in [*TABLES, "cases_casenumbercounter", "hall_ticketcounter"]:
            cursor.execute(f"ANALYZE {table}")
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM cases_case")
        total_cases = cursor.fetchone()[0]
    finished = time.perf_counter()
    rows = sum(written.values())
    seconds = finished - started
    return {
        "cases": cases,
        "seed": seed,
        "demo_seeded": seeded,
        "rows": dict(written),
        "rows_total": rows,
        "seconds": round(seconds, 2),
        "load_seconds": round(loaded - started, 2),
        "analyze_seconds": round(finished - loaded, 2),
        "cases_per_second": round(cases / seconds, 1),
        "rows_per_second": round(rows / seconds, 1),
        "cases_in_database": total_cases,
        "database_bytes": size,
    }


def _report(summary: dict) -> str:
    lines = [
        f"datagen: {summary['cases']:,} cases in {summary['seconds']:.1f} s "
        f"(load {summary['load_seconds']:.1f} s, ANALYZE {summary['analyze_seconds']:.1f} s): "
        f"{summary['cases_per_second']:,.0f} cases/s, {summary['rows_per_second']:,.0f} rows/s",
        f"database now holds {summary['cases_in_database']:,} cases, "
        f"{summary['database_bytes'] / 2**20:,.0f} MiB",
    ]
    lines += [f"  {table:36} {count:>12,}" for table, count in summary["rows"].items()]
    lines.append(f"  {'total':36} {summary['rows_total']:>12,}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.datagen", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cases", type=int, required=True, help="cases to append (e.g. 100000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    src = Path(__file__).resolve().parent.parent / "src"
    if src.is_dir() and str(src) not in sys.path:
        sys.path.insert(0, str(src))
    from bench.__main__ import _setup_django

    _setup_django()
    try:
        summary = load(cases=args.cases, seed=args.seed, progress=not args.no_progress)
    except DatagenError as error:
        print(f"datagen: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2) if args.json else _report(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
