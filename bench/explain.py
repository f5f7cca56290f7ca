"""`python -m bench.explain --label after`: EXPLAIN (ANALYZE, BUFFERS) of the hot list and
lookup queries, on the PostgreSQL database Django is configured with (load it first with
`python -m bench.datagen`), written to bench/plans/<name>.txt.

The SQL is Django's own: each query is built by the selector the endpoint calls, for a
real user of the data set (the reviewer of the department with the most pending tasks, a
window officer and a leader of the busiest centre, a superuser), and explained with its
parameters. `--label before` starts each file (run it before a migration that adds
indexes), `--label after` appends to it, so one file shows both plans.

Each query runs once untimed first, so the plans show a warm cache (as a serving database
has) rather than the first read from disk. The call-next query takes row locks (FOR
UPDATE SKIP LOCKED): it runs in a transaction that is rolled back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

PLANS = Path(__file__).resolve().parent / "plans"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    import django

    django.setup()


def _users() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from yichuang.cases.models import Case, Task, TaskStatus
    from yichuang.orgs.models import Role, Staff

    busiest = (
        Task.objects.filter(status=TaskStatus.PENDING)
        .values("department_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    reviewer = Staff.objects.filter(
        department_id=busiest["department_id"], roles__role=Role.REVIEWER
    ).first()
    centre_id = (Case.objects.values("centre_id").annotate(n=Count("id")).order_by("-n").first())[
        "centre_id"
    ]
    officer = Staff.objects.filter(centre_id=centre_id, roles__role=Role.WINDOW_OFFICER).first()
    leader = Staff.objects.filter(centre_id=centre_id, roles__role=Role.LEADER).first()
    superuser = get_user_model()(username="explain", is_superuser=True, is_active=True)
    return {
        "reviewer": reviewer.user,
        "reviewer_staff": reviewer,
        "officer": officer.user,
        "leader": leader.user,
        "superuser": superuser,
        "pending_tasks": busiest["n"],
        "centre_id": centre_id,
    }


def _deep_cursor(queryset: Any, keyset: Any, *, depth: int) -> str:
    """The cursor of the row `depth` rows into the list (a page far from the first)."""
    from yichuang.common.pagination import cursor_encode

    ordered = queryset.order_by(*keyset.ordering())
    row = ordered[depth : depth + 1].first() or ordered.last()  # a small data set: the end
    return cursor_encode(keyset, row)


def _queries(users: dict[str, Any]) -> dict[str, tuple[str, Callable[[], Any]]]:
    """name → (what it is, a function answering the queryset to explain)."""
    from yichuang.cases import selectors
    from yichuang.cases.models import Case
    from yichuang.cases.views.decisions import pending_for_department
    from yichuang.cases.workflow import CLOCK_RUNNING, Status
    from yichuang.common import clock
    from yichuang.common.pagination import _after, cursor_decode
    from yichuang.hall.services import calling
    from yichuang.orgs.models import Window

    today = clock.today()
    inbox = selectors.tasks_inbox_for(user=users["reviewer"])
    tasks = selectors.TASKS_BY_DUE_DATE
    newest = selectors.CASES_NEWEST_FIRST

    def after(queryset: Any, keyset: Any, *, depth: int) -> Any:
        cursor = _deep_cursor(queryset, keyset, depth=depth)
        values = cursor_decode(keyset, cursor)
        ordered = queryset.order_by(*keyset.ordering())
        return ordered.filter(_after(keyset.fields, values, descending=keyset.descending))

    def visible(role: str) -> Any:
        return selectors.cases_visible_to(users[role])

    some_case = Case.objects.exclude(status=Status.DRAFT).order_by("?").first()
    window = Window.objects.filter(centre_id=users["centre_id"]).first()
    return {
        "inbox_first_page": (
            "GET /inbox/ and /api/v1/tasks, first page: the department's pending tasks by "
            "due date, id (26 rows: a page of 25 and one to tell has_more)",
            lambda: inbox[:26],
        ),
        "inbox_page_40": (
            "the inbox 1,000 tasks in (page 41 of 25) by keyset cursor",
            lambda: after(inbox, tasks, depth=1000)[:26],
        ),
        "inbox_offset_page_40_old": (
            "the old inbox API page 41: OFFSET 1000 LIMIT 25 (replaced by the cursor)",
            lambda: inbox[1000:1025],
        ),
        "inbox_count_old": (
            "the old inbox API's exact count (dropped)",
            lambda: inbox.order_by().values("pk"),
        ),
        "inbox_decisions": (
            "GET /inbox/: the department's cases waiting for the decision, by due date (11)",
            lambda: pending_for_department(
                users["reviewer"], member=users["reviewer_staff"]
            ).order_by(*selectors.CASES_BY_DUE_DATE.ordering())[:11],
        ),
        "cases_superuser_first_page": (
            "GET /api/v1/cases as a superuser: every case, newest first (21 rows)",
            lambda: visible("superuser").order_by(*newest.ordering())[:21],
        ),
        "cases_superuser_page_500": (
            "the same list 10,000 cases in, by keyset cursor",
            lambda: after(visible("superuser"), newest, depth=10_000)[:21],
        ),
        "cases_superuser_offset_page_500_old": (
            "the old case list page 501: OFFSET 10000 LIMIT 20 (replaced by the cursor)",
            lambda: visible("superuser").order_by("-created_at", "-id")[10_000:10_020],
        ),
        "cases_superuser_count_old": (
            "the old case list's exact count for a superuser (dropped)",
            lambda: visible("superuser").order_by().values("pk"),
        ),
        "cases_officer_first_page": (
            "GET /api/v1/cases as a window officer: the cases of their centre, newest first",
            lambda: visible("officer").order_by(*newest.ordering())[:21],
        ),
        "cases_leader_first_page": (
            "GET /api/v1/cases as a leader: the cases of their centre and the centres below",
            lambda: visible("leader").order_by(*newest.ordering())[:21],
        ),
        "cases_reviewer_first_page": (
            "GET /api/v1/cases as a reviewer: the cases in which their department has a task",
            lambda: visible("reviewer").order_by(*newest.ordering())[:21],
        ),
        "cases_overdue_first_page": (
            "GET /api/v1/cases?overdue=true and the overview's overdue list, as a leader",
            lambda: selectors.cases_overdue_for(user=users["leader"], today=today)[:26],
        ),
        "overview_near_due": (
            "the overview's near-due candidates: open cases in time by due date (200)",
            lambda: (
                visible("leader")
                .filter(status__in=CLOCK_RUNNING, due_date__gte=today)
                .order_by(*selectors.CASES_BY_DUE_DATE.ordering())[:200]
            ),
        ),
        "overview_count_in_review": (
            "the overview's status count, capped: in review, up to 10,001 rows",
            lambda: (
                visible("leader").order_by().filter(status=Status.IN_REVIEW).values("pk")[:10_001]
            ),
        ),
        "lookup_by_number": (
            "GET /api/v1/cases/lookup: the case by number (its check is compared in Python)",
            lambda: (
                Case.objects.select_related("applicant")
                .filter(number=some_case.number)
                .exclude(status=Status.DRAFT)[:1]
            ),
        ),
        "case_by_number_for_officer": (
            "GET /api/v1/cases/{number} as a window officer (visibility applied)",
            lambda: visible("officer").filter(number=some_case.number)[:1],
        ),
        "hall_call_next": (
            "call-next: the first waiting ticket of a window's queues today",
            lambda: calling._callable_tickets(window)[:1],
        ),
    }


def _count_sql(queryset: Any) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) AS counted", params


def _explain(name: str, queryset: Any) -> tuple[str, str]:
    from django.db import connection, transaction

    if name.endswith("_count_old") or name.startswith("overview_count"):
        sql, params = _count_sql(queryset)
    else:
        sql, params = queryset.query.sql_with_params()
    if name == "hall_call_next":
        sql += " FOR UPDATE SKIP LOCKED"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)  # warm
        cursor.fetchall()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        printable = cursor.mogrify(sql, params)
    return (printable.decode() if isinstance(printable, bytes) else printable), plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.explain", description=__doc__)
    parser.add_argument("--label", required=True, help="before or after (the indexes)")
    parser.add_argument("--only", help="a regular expression of the query names to explain")
    parser.add_argument("--out", type=Path, default=PLANS, help="folder (default bench/plans)")
    args = parser.parse_args(argv)
    _setup()
    from yichuang.cases.models import Case
    from yichuang.cases.models import Task as TaskModel

    users = _users()
    size = f"{Case.objects.count():,} cases, {TaskModel.objects.count():,} tasks"
    args.out.mkdir(exist_ok=True)
    for name, (what, build) in _queries(users).items():
        if args.only and not re.search(args.only, name):
            continue
        sql, plan = _explain(name, build())
        path = args.out / f"{name}.txt"
        section = (
            f"-- {args.label.upper()} ({dt.date.today().isoformat()}, {size}; "
            f"the reviewer's department has {users['pending_tasks']:,} pending tasks)\n"
            f"{plan}\n"
        )
        if args.label == "before" or not path.exists():
            header = f"-- {name}: {what}\n-- SQL:\n{sql}\n\n"
            path.write_text(header + section, encoding="utf-8")
        else:
            path.write_text(path.read_text(encoding="utf-8") + "\n" + section, encoding="utf-8")
        timing = re.findall(r"Execution Time: ([\d.]+) ms", plan)
        print(f"{name:40} {timing[0] if timing else '?':>10} ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
