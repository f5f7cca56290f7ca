"""Prepare a database for the load driver (`bench.load`): run in a process of its own,
with the environment of the server it prepares for (`python -m bench._loadprep`).

Idempotent. It migrates; loads the demo centre if missing and then takes the published
demo password away from the demo logins (this database is served in production mode);
tops the cases up to `--cases` with `bench.datagen` when that module exists; creates the
bench's own logins (`bench_*`, random passwords never shown), a bench queue `X` with
windows 901… and their officers signed in; issues fresh API tokens; and samples real
(case number, check) pairs for the status lookup. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from typing import Any

BENCH_QUEUE = "X"
FIRST_WINDOW = 901
CENTRE = "balinzuoqi"


def _log(message: str) -> None:
    print(f"  prep: {message}", file=sys.stderr, flush=True)


def _password() -> str:
    return secrets.token_urlsafe(24)


def _demo_ensure() -> None:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from yichuang.demo import data
    from yichuang.identity.models import User
    from yichuang.orgs.models import Centre

    if not Centre.objects.filter(code=CENTRE).exists():
        started = time.perf_counter()
        call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        _log(f"demo centre loaded ({time.perf_counter() - started:.1f} s)")
    demo_logins = [a.username for a in data.DEMO_ACCOUNTS]
    demo_logins += [a.username for a in data.DEMO_APPLICANTS] + [data.SUPERUSER_USERNAME]
    # No published password on a database served in production mode.
    User.objects.filter(username__in=demo_logins).exclude(password__startswith="!").update(
        password=make_password(None)
    )


def _cases_top_up(target: int) -> dict[str, Any]:
    from yichuang.cases.models import Case

    have = Case.objects.count()
    if target <= have:
        return {"cases_before": have, "generated": 0}
    try:
        from bench import datagen
    except ImportError:
        _log(f"bench.datagen not available: {have} cases (demo data only)")
        return {"cases_before": have, "generated": 0, "datagen": "missing"}
    started = time.perf_counter()
    _log(f"generating {target - have} cases (have {have}, want {target})")
    # A different seed per top-up: generated numbers and people differ from earlier loads.
    datagen.load(cases=target - have, seed=have + 1, progress=sys.stderr.isatty())
    return {
        "cases_before": have,
        "generated": target - have,
        "datagen_seconds": round(time.perf_counter() - started, 1),
    }


def _token(user) -> str:
    # The one place tokens are made; the bench has no use for the password check before it.
    from yichuang.common import clock
    from yichuang.identity.tokens import _token_create

    return _token_create(user=user, now=clock.now()).token


def _staff(*, username: str, name: str, roles, centre, department=None):
    from yichuang.orgs import services as orgs_services
    from yichuang.orgs.models import Staff

    found = Staff.objects.filter(user__username=username).select_related("user").first()
    if found is not None:
        return found
    return orgs_services.staff_create(
        username=username,
        password=_password(),
        name=name,
        centre=centre,
        roles=roles,
        department=department,
    )


def _reviewer() -> tuple[Any, dict[str, Any]]:
    """A bench reviewer of the department with the most pending tasks."""
    from django.db import connection

    from yichuang.orgs.models import Department, Role

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT department_id, count(*) FROM cases_task WHERE status = 'pending' "
            "GROUP BY department_id ORDER BY 2 DESC LIMIT 1"
        )
        row = cursor.fetchone()
    if row is None:
        department = Department.objects.order_by("id").first()
        pending = 0
    else:
        department, pending = Department.objects.get(pk=row[0]), row[1]
    member = _staff(
        username=f"bench_reviewer_{department.pk}",
        name="压测审批员",
        roles=[Role.REVIEWER],
        centre=department.centre,
        department=department,
    )
    return member, {"department": department.name, "pending_tasks": pending}


def _applicants(n: int) -> list[Any]:
    from yichuang.demo.data import resident_id
    from yichuang.identity import services as identity_services
    from yichuang.identity.models import Applicant, ApplicantKind, User

    users = []
    for i in range(1, n + 1):
        username = f"bench_applicant_{i:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=_password(), display_name=f"压测申请人{i}"
            )
        if not Applicant.objects.filter(user=user).exists():
            identity_services.applicant_create(
                kind=ApplicantKind.NATURAL_PERSON,
                id_number=resident_id(f"15042219900101{i:03d}"),
                name=f"压测申请人{i}",
                phone=f"139000{i:05d}",
                user=user,
            )
        users.append(user)
    return users


def _hall(n: int) -> tuple[list[tuple[Any, int]], Any]:
    """`n` bench windows serving queue X, each with a bench officer signed in."""
    from yichuang.hall.models import Queue
    from yichuang.hall.services import calling
    from yichuang.hall.services import queues as queue_services
    from yichuang.orgs import services as orgs_services
    from yichuang.orgs.models import Centre, Role, Window, WindowKind

    centre = Centre.objects.get(code=CENTRE)
    windows = []
    for i in range(n):
        number = FIRST_WINDOW + i
        window = Window.objects.filter(centre=centre, number=number).first()
        if window is None:
            window = orgs_services.window_create(
                centre=centre, number=number, name=f"压测窗口{i + 1}", kind=WindowKind.SPECIALIST
            )
        windows.append(window)
    queue = Queue.objects.filter(centre=centre, code=BENCH_QUEUE).first()
    if queue is None:
        queue = queue_services.queue_create(
            centre=centre, code=BENCH_QUEUE, name="压测队列", windows=windows, sort_order=99
        )
    elif set(queue.windows.values_list("pk", flat=True)) != {w.pk for w in windows}:
        queue.windows.add(*windows)
    officers = []
    for i, window in enumerate(windows, start=1):
        member = _staff(
            username=f"bench_officer_{i:02d}",
            name=f"压测窗口员{i}",
            roles=[Role.WINDOW_OFFICER],
            centre=centre,
        )
        calling.window_sign_in(user=member.user, window=window)
        officers.append((member.user, window.pk))
    taker = _staff(
        username="bench_ticket_taker", name="压测取号员", roles=[Role.WINDOW_OFFICER], centre=centre
    )
    return officers, taker


def _items() -> list[str]:
    """Implementation codes of published items a natural person may apply for online."""
    from yichuang.cases.services.opening import online_intake_allowed
    from yichuang.catalog.models import ServiceItemVersion, VersionStatus

    versions = ServiceItemVersion.objects.filter(
        status=VersionStatus.PUBLISHED, for_natural_persons=True
    ).select_related("item")
    return sorted(v.item.implementation_code for v in versions if online_intake_allowed(v))


def _lookup_pairs(n: int) -> list[list[str]]:
    """Random real (case number, last 6 characters of the applicant's ID number) pairs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'cases_case'")
        estimate = max(1.0, float((cursor.fetchone() or [1])[0]))
        share = min(100.0, max(0.01, 100.0 * n * 4 / estimate))
        cursor.execute(
            "SELECT c.number, right(a.id_number, 6) FROM cases_case c "
            f"TABLESAMPLE SYSTEM ({share:.4f}) "
            "JOIN identity_applicant a ON a.id = c.applicant_id "
            "WHERE c.status <> 'draft' AND length(a.id_number) >= 6 LIMIT %s",
            [n],
        )
        pairs = [list(row) for row in cursor.fetchall()]
        if len(pairs) < min(n, 50):
            cursor.execute(
                "SELECT c.number, right(a.id_number, 6) FROM cases_case c "
                "JOIN identity_applicant a ON a.id = c.applicant_id "
                "WHERE c.status <> 'draft' AND length(a.id_number) >= 6 "
                "ORDER BY random() LIMIT %s",
                [n],
            )
            pairs = [list(row) for row in cursor.fetchall()]
    return pairs


def _session_for(user) -> str:
    """A logged-in session (in the shared session store) for the HTML inbox page."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def prepare(*, cases: int, clients: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    from django.conf import settings

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    _demo_ensure()
    report: dict[str, Any] = _cases_top_up(cases)
    reviewer, inbox = _reviewer()
    applicants = _applicants(clients)
    officers, taker = _hall(clients)
    with connection.cursor() as cursor:
        counts = {}
        for table in ("cases_case", "cases_task", "cases_caseevent", "hall_ticket"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    report.update(
        {
            "counts": counts,
            "inbox": inbox,
            "reviewer_token": _token(reviewer.user),
            "reviewer_session": _session_for(reviewer.user),
            "applicant_tokens": [_token(u) for u in applicants],
            "applicant_ids": [u.pk for u in applicants],
            "officers": [{"token": _token(u), "window": w} for u, w in officers],
            "taker_token": _token(taker.user),
            "queue": BENCH_QUEUE,
            "centre": CENTRE,
            "items": _items(),
            "lookup": _lookup_pairs(2000),
            "seconds": round(time.perf_counter() - started, 1),
        }
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=0, help="total cases wanted (top up)")
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    import django

    django.setup()
    print(json.dumps(prepare(cases=args.cases, clients=args.clients)))


if __name__ == "__main__":
    main()
