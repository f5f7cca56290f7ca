"""Load driver: `yichuang serve` on PostgreSQL under closed-loop HTTP load.

    python -m bench load                      # as part of `make bench` (quick)
    python -m bench.load --scenario trivial,inbox --clients 1,16 --seconds 10
    python -m bench.load --compare            # application servers side by side
    python -m bench.load --scale-out          # two serve processes, one PostgreSQL + Redis
    python -m bench.load --url http://127.0.0.1:8000 ...   # a server you started yourself

It prepares the database (`bench._loadprep`: demo centre, generated cases, the bench's own
logins and tokens), starts `yichuang serve` on a free port in production mode (DEBUG off,
access log off), waits for `/api/v1/health`, runs each scenario with N virtual clients for
a few seconds after a short warm-up, and stops the server. Per scenario it prints
requests, throughput, p50/p95/p99 latency, errors by status, the ratio to the trivial
endpoint measured in the same run, and the driver's own CPU time per request.

Why its own client and not locust: on this machine the load generator shares two cores
with the server and PostgreSQL, so every microsecond of CPU it spends per request is taken
from the system it measures. Measured here (2026-11-29, `GET /api/v1/health`, one client,
the same server): `requests.Session` — what locust's HttpUser sends with, before gevent
and locust's per-request events and statistics — 506 µs of CPU per request;
`bench._http` — a bare asyncio stream that writes prepared bytes and parses only the
status line, the headers and the body framing — 54 µs. The driver prints its own CPU
time per request with every scenario ("client µs/req"). Closed loop, one keep-alive
connection per virtual client, like wrk: a client sends its next request when the
previous answer is in.

Scenarios:
- trivial:    GET /api/v1/health (no database): the server's ceiling in this run
- inbox:      GET /api/v1/tasks (a reviewer's department inbox, first page, bearer token)
- inbox_html: GET /inbox/ (the same inbox as a page, session cookie; needs Redis; not run
              when the department has more than 2,000 pending tasks: the page lists them
              all, unpaged)
- inbox_session: GET /api/v1/tasks with the session cookie instead of the token (scale-out:
              shows that both processes share the sessions)
- lookup:     GET /api/v1/cases/lookup?number=&check= (random real pairs, right checks)
- submit:     POST /api/v1/cases (an applicant's online draft: form data, materials listed
              as metadata) then POST /api/v1/cases/{number}/submit: one submission
- take:       POST /api/v1/hall/tickets (queue X, a staff token: no anonymous limit)
- call:       POST /api/v1/hall/windows/{id}/call-next (one signed-in officer per client;
              "nobody waiting" answers are counted apart, not as calls)
- take_call:  both at once, each client alternating take and call
After take, call and take_call the tickets are checked in the database: no duplicate number per
queue and day, every number a client was given exists, no ticket called twice.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/yichuang_bench,
created and migrated if missing), BENCH_REDIS_URL (default redis://127.0.0.1:6379/15 when
a Redis answers there), BENCH_CASES (cases wanted in the full run, topped up with
bench.datagen), BENCH_SERVER_ARGS (extra `yichuang serve` options).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from bench._http import Connection, request_bytes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/yichuang_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
SCENARIOS = ("trivial", "inbox", "inbox_html", "lookup", "submit", "take", "call", "take_call")
COMPARE_SCENARIOS = ("trivial", "inbox", "lookup")
# Server configurations measured side by side by --compare (same machine, same run).
# The inbox page renders every pending task of the department: above this many it is not
# measured.
HTML_INBOX_MAX_TASKS = 2_000
# An operation not answered in this many seconds is abandoned and counted as status 598.
REQUEST_TIMEOUT = 30.0
TIMEOUT_STATUS, BROKEN_STATUS = 598, 599
# One per driver run: the preparation's sessions must be valid on every server it starts.
SECRET_KEY = secrets.token_urlsafe(50)
CONFIGS = {
    "gunicorn gthread 2x4": ["--server", "gunicorn", "--workers", "2", "--threads", "4"],
    "gunicorn sync 3": ["--server", "gunicorn", "--worker-class", "sync", "--workers", "3"],
    "granian 2x4": ["--server", "granian", "--workers", "2", "--threads", "4"],
}


# -- the environment of the server ------------------------------------------------------------


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def redis_url() -> str:
    url = os.environ.get("BENCH_REDIS_URL")
    if url is not None:
        return url
    parts = urlsplit(DEFAULT_REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return DEFAULT_REDIS_URL
    except OSError:
        pass
    return ""


def server_env() -> dict[str, str]:
    """Production mode: no YICHUANG_TEST, DEBUG off, a random SECRET_KEY, loopback hosts."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"YICHUANG_TEST", "YICHUANG_DEMO", "DEBUG", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("PYTEST")
    }
    env.update(
        {
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url(),
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "YICHUANG_DATA_DIR": str(ROOT / "var" / "bench"),
            "YICHUANG_ACCESS_LOG": "0",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), str(ROOT)])),
        }
    )
    return env


def database_ensure(url: str) -> None:
    """Create the benchmark database if it is missing (migrations run in the preparation)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"created database {name}")


def prepare(*, cases: int, clients: int) -> dict[str, Any]:
    database_ensure(database_url())
    done = subprocess.run(
        [sys.executable, "-m", "bench._loadprep", "--cases", str(cases), "--clients", str(clients)],
        env=server_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        check=True,
    )
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`yichuang serve` as a child process in its own process group."""

    def __init__(self, args: list[str], *, label: str = "") -> None:
        self.args, self.label = args, label or " ".join(args) or "default"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        log_dir = ROOT / "var" / "bench"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"serve-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60.0) -> None:
        command = [sys.executable, "-m", "yichuang.cli", "serve"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--no-access-log", *self.args]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, env=server_env(), cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    if sock.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer /api/v1/health in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            print(
                f"  server on port {self.port} did not stop in 15 s: killed (log {self.log_path})"
            )
            return
        self.log_path.unlink(missing_ok=True)  # kept only when something went wrong

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- scenarios ----------------------------------------------------------------------------------


@dataclass
class Client:
    index: int
    conn: Connection
    host: str
    server: int  # index of the server this client talks to
    rng: random.Random
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    requests: int = 0
    empty: int = 0  # call-next answered "nobody waiting"
    numbers: list[str] = field(default_factory=list)  # case numbers submitted, tickets taken
    called: list[str] = field(default_factory=list)  # ticket numbers called


def _json_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


class Scenario:
    """One kind of operation. `op` performs it once and answers the HTTP status that
    decides success (2xx); None for an answer that is neither success nor error."""

    name = ""
    requests_per_op = 1

    def __init__(self, prep: dict[str, Any]) -> None:
        self.prep = prep

    def prepare_client(self, client: Client) -> None:
        pass

    async def op(self, client: Client) -> int | None:
        raise NotImplementedError


class Trivial(Scenario):
    name = "trivial"

    def prepare_client(self, client: Client) -> None:
        client.raw = request_bytes("GET", "/api/v1/health", host=client.host)

    async def op(self, client: Client) -> int | None:
        return (await client.conn.send(client.raw)).status


class Inbox(Scenario):
    name = "inbox"

    def prepare_client(self, client: Client) -> None:
        headers = {"Authorization": f"Bearer {self.prep['reviewer_token']}"}
        client.raw = request_bytes("GET", "/api/v1/tasks", host=client.host, headers=headers)

    async def op(self, client: Client) -> int | None:
        return (await client.conn.send(client.raw)).status


class InboxHtml(Inbox):
    name = "inbox_html"

    def prepare_client(self, client: Client) -> None:
        headers = {"Cookie": f"sessionid={self.prep['reviewer_session']}"}
        client.raw = request_bytes("GET", "/inbox/", host=client.host, headers=headers)


class InboxSession(Inbox):
    """The API inbox authenticated by the session cookie instead of a token: valid on every
    server process only if they share the session store (Redis)."""

    name = "inbox_session"

    def prepare_client(self, client: Client) -> None:
        headers = {"Cookie": f"sessionid={self.prep['reviewer_session']}"}
        client.raw = request_bytes("GET", "/api/v1/tasks", host=client.host, headers=headers)


class Lookup(Scenario):
    name = "lookup"

    def prepare_client(self, client: Client) -> None:
        pairs = self.prep["lookup"]
        client.raws = [
            request_bytes(
                "GET",
                f"/api/v1/cases/lookup?number={quote(number)}&check={quote(check)}",
                host=client.host,
            )
            for number, check in pairs
        ]

    async def op(self, client: Client) -> int | None:
        raw = client.raws[client.rng.randrange(len(client.raws))]
        return (await client.conn.send(raw)).status


class Submit(Scenario):
    name = "submit"
    requests_per_op = 2

    def prepare_client(self, client: Client) -> None:
        tokens = self.prep["applicant_tokens"]
        client.headers = _json_headers(tokens[client.index % len(tokens)])

    async def op(self, client: Client) -> int | None:
        item = client.rng.choice(self.prep["items"])
        body = {
            "item": item,
            "form_data": {
                "申请事项说明": "压力测试申请",
                "联系地址": "内蒙古赤峰市巴林左旗林东镇",
                "材料": [
                    {"名称": "申请表", "页数": 2, "份数": 1, "形式": "原件"},
                    {"名称": "身份证复印件", "页数": 1, "份数": 1, "形式": "复印件"},
                ],
            },
        }
        raw = request_bytes(
            "POST",
            "/api/v1/cases",
            host=client.host,
            headers=client.headers,
            body=json.dumps(body, ensure_ascii=False).encode(),
        )
        opened = await client.conn.send(raw, method="POST")
        if opened.status != 201:
            return opened.status
        number = json.loads(opened.body)["number"]
        submit = request_bytes(
            "POST",
            f"/api/v1/cases/{quote(number)}/submit",
            host=client.host,
            headers=client.headers,
        )
        client.requests += 1  # the second request of the operation
        submitted = await client.conn.send(submit, method="POST")
        if submitted.status == 200:
            client.numbers.append(number)
        return submitted.status


class Take(Scenario):
    name = "take"

    def prepare_client(self, client: Client) -> None:
        body = json.dumps({"queue": self.prep["queue"], "centre": self.prep["centre"]}).encode()
        client.raw_take = request_bytes(
            "POST",
            "/api/v1/hall/tickets",
            host=client.host,
            headers=_json_headers(self.prep["taker_token"]),
            body=body,
        )

    async def op(self, client: Client) -> int | None:
        response = await client.conn.send(client.raw_take, method="POST")
        if response.status == 201:
            client.numbers.append(json.loads(response.body)["number"])
        return response.status


class Call(Scenario):
    name = "call"

    def prepare_client(self, client: Client) -> None:
        officers = self.prep["officers"]
        officer = officers[client.index % len(officers)]
        client.raw_call = request_bytes(
            "POST",
            f"/api/v1/hall/windows/{officer['window']}/call-next",
            host=client.host,
            headers=_json_headers(officer["token"]),
            body=b"",
        )

    async def op(self, client: Client) -> int | None:
        response = await client.conn.send(client.raw_call, method="POST")
        if response.status == 200:
            client.called.append(json.loads(response.body)["number"])
        elif response.status == 404 and b"nobody_waiting" in response.body:
            client.empty += 1
            await asyncio.sleep(0.005)  # nobody to call: do not spin
            return None
        return response.status


class TakeCall(Scenario):
    """Taking and calling at once: every client alternates, take, call, take, …, starting
    with a take on even clients and a call on odd ones."""

    name = "take_call"

    def __init__(self, prep: dict[str, Any]) -> None:
        super().__init__(prep)
        self.take, self.call = Take(prep), Call(prep)

    def prepare_client(self, client: Client) -> None:
        self.take.prepare_client(client)
        self.call.prepare_client(client)
        client.turn = 1 - client.index % 2

    async def op(self, client: Client) -> int | None:
        client.turn ^= 1
        return await (self.call if client.turn else self.take).op(client)


SCENARIO_CLASSES = {
    c.name: c
    for c in (Trivial, Inbox, InboxHtml, InboxSession, Lookup, Submit, Take, Call, TakeCall)
}


# -- running ------------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    clients: int
    seconds: float
    ops: int
    requests: int
    latencies: list[float]
    statuses: Counter
    empty: int
    cpu: float  # the driver's own CPU seconds during the measurement
    numbers: list[str]
    called: list[str]
    per_server: Counter
    server_label: str = ""

    @property
    def throughput(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    @property
    def errors(self) -> Counter:
        return Counter({s: n for s, n in self.statuses.items() if not 200 <= s < 300})

    @property
    def cpu_per_request_us(self) -> float:
        return self.cpu / self.requests * 1e6 if self.requests else float("nan")


async def _drive(
    scenario: Scenario, urls: list[str], *, clients: int, seconds: float, warmup: float
) -> Result:
    targets = [urlsplit(u) for u in urls]
    pool = []
    for i in range(clients):
        server = i % len(targets)
        target = targets[server]
        client = Client(
            index=i,
            conn=Connection(target.hostname or "127.0.0.1", target.port or 80),
            host=target.netloc,
            server=server,
            rng=random.Random(i * 7919 + 1),
        )
        scenario.prepare_client(client)
        pool.append(client)
    loop = asyncio.get_running_loop()
    start = loop.time()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    cpu = {}
    # Operations begun before `stop_at` finish and count: throughput is taken over the time
    # until the last of them ended, not over `seconds`.
    last_end = [stop_at]

    async def one(client: Client) -> None:
        while True:
            began = loop.time()
            if began >= stop_at:
                return
            measuring = began >= measure_from
            if measuring and "start" not in cpu:
                cpu["start"] = time.process_time()
            requests_before = client.requests
            try:
                status = await asyncio.wait_for(scenario.op(client), REQUEST_TIMEOUT)
            except TimeoutError:
                client.conn.close()
                status = TIMEOUT_STATUS
            except Exception as exc:  # a broken connection is an error of this request
                client.conn.close()
                status = BROKEN_STATUS
                print(f"    client {client.index}: {type(exc).__name__}: {exc}")
            ended = loop.time()
            if measuring:
                last_end[0] = max(last_end[0], ended)
            if not measuring:
                # Not counted; tickets and cases made stay in `numbers`, which the database
                # checks cover.
                client.requests = requests_before
                if status is None:
                    client.empty -= 1
                continue
            client.requests += 1
            if status is None:
                continue
            client.statuses[status] += 1
            client.latencies.append(ended - began)

    await asyncio.gather(*(one(c) for c in pool))
    cpu_used = time.process_time() - cpu.get("start", time.process_time())
    for client in pool:
        client.conn.close()
    statuses: Counter = Counter()
    per_server: Counter = Counter()
    latencies: list[float] = []
    numbers: list[str] = []
    called: list[str] = []
    for client in pool:
        statuses.update(client.statuses)
        latencies.extend(client.latencies)
        numbers.extend(client.numbers)
        called.extend(client.called)
        per_server[client.server] += sum(n for s, n in client.statuses.items() if 200 <= s < 300)
    ok = sum(n for s, n in statuses.items() if 200 <= s < 300)
    return Result(
        scenario=scenario.name,
        clients=clients,
        seconds=max(seconds, last_end[0] - measure_from),
        ops=ok,
        requests=sum(c.requests for c in pool),
        latencies=latencies,
        statuses=statuses,
        empty=sum(c.empty for c in pool),
        cpu=cpu_used,
        numbers=numbers,
        called=called,
        per_server=per_server,
    )


def drive(scenario_name: str, prep: dict[str, Any], urls: list[str], **kwargs: Any) -> Result:
    scenario = SCENARIO_CLASSES[scenario_name](prep)
    return asyncio.run(_drive(scenario, urls, **kwargs))


# -- checks in the database ----------------------------------------------------------------------


def _db():
    import psycopg

    return psycopg.connect(database_url(), autocommit=True)


def pg_backends() -> dict[int, Any]:
    with _db() as conn:
        rows = conn.execute(
            "SELECT pid, backend_start FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        ).fetchall()
    return dict(rows)


def max_ids() -> dict[str, int]:
    with _db() as conn:
        return {
            table: conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            for table in ("hall_ticket", "cases_case")
        }


def tickets_check(
    *, prep: dict[str, Any], since_id: int, taken: list[str], called: list[str]
) -> tuple[bool, str]:
    """Numbering and calling of the bench queue stayed correct."""
    with _db() as conn:
        queue_id = conn.execute(
            "SELECT q.id FROM hall_queue q JOIN orgs_centre c ON c.id = q.centre_id "
            "WHERE c.code = %s AND q.code = %s",
            [prep["centre"], prep["queue"]],
        ).fetchone()[0]
        duplicates = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM hall_ticket WHERE origin_queue_id = %s "
            "GROUP BY centre_id, day, number HAVING count(*) > 1) d",
            [queue_id],
        ).fetchone()[0]
        rows = conn.execute(
            "SELECT number FROM hall_ticket WHERE origin_queue_id = %s AND id > %s",
            [queue_id, since_id],
        ).fetchall()
        in_db = {r[0] for r in rows}
        called_twice = conn.execute(
            "SELECT count(*) FROM (SELECT e.ticket_id FROM hall_ticketevent e "
            "JOIN hall_ticket t ON t.id = e.ticket_id WHERE t.origin_queue_id = %s "
            "AND t.id > %s AND e.kind = 'called' GROUP BY e.ticket_id "
            "HAVING count(DISTINCT e.id) > 1) d",
            [queue_id, since_id],
        ).fetchone()[0]
        waiting = conn.execute(
            "SELECT count(*) FROM hall_ticket WHERE origin_queue_id = %s AND status = 'waiting'",
            [queue_id],
        ).fetchone()[0]
    lost = len(set(taken) - in_db)
    given_twice = len(taken) - len(set(taken))
    called_dup = len(called) - len(set(called))
    ok = not (duplicates or lost or given_twice or called_twice or called_dup)
    text = (
        f"tickets check: {len(taken)} taken by clients, {len(in_db)} new in the database, "
        f"{duplicates} duplicate numbers per queue and day, {lost} lost, {given_twice} given "
        f"twice; {len(called)} called by clients, {called_dup} called twice (clients), "
        f"{called_twice} with two 'called' events (database); {waiting} still waiting: "
        f"{'OK' if ok else 'FAILED'}"
    )
    return ok, text


def submissions_check(*, since_id: int, numbers: list[str]) -> str:
    with _db() as conn:
        rows = conn.execute(
            "SELECT c.status, count(*), min(ev.n) FROM cases_case c JOIN ("
            "  SELECT case_id, count(*) AS n FROM cases_caseevent WHERE case_id > %s "
            "  GROUP BY case_id) ev ON ev.case_id = c.id "
            "WHERE c.id > %s AND c.number = ANY(%s) GROUP BY c.status",
            [since_id, since_id, numbers],
        ).fetchall()
    found = sum(r[1] for r in rows)
    states = ", ".join(f"{status} {n} (≥{least} events)" for status, n, least in rows)
    ok = found == len(numbers) and all(r[0] == "submitted" and r[2] >= 2 for r in rows)
    return (
        f"submissions check: {len(numbers)} submitted by clients; in the database {found}: "
        f"{states or 'none'}: {'OK' if ok else 'FAILED'}"
    )


# -- printing ---------------------------------------------------------------------------------


def _errors_text(result: Result) -> str:
    errors = result.errors
    names = {TIMEOUT_STATUS: "timeout", BROKEN_STATUS: "broken"}
    text = ", ".join(f"{names.get(s, s)}×{n}" for s, n in sorted(errors.items())) if errors else "0"
    if result.empty:
        text += f" (+{result.empty} nobody waiting)"
    return text


HEADER = (
    f"{'scenario':<11} {'clients':>7} {'ops':>7} {'ops/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
    f"{'p99 ms':>8} {'× trivial':>9} {'client µs/req':>13}  errors"
)


def result_line(result: Result, trivial: Result | None) -> str:
    if not result.requests:
        return (
            f"{result.scenario:<11} {result.clients:>7}  no operation began after the warm-up "
            f"and ended in time (each took longer than the warm-up)"
        )
    ratio = (
        f"{result.throughput / trivial.throughput:9.2f}"
        if trivial is not None and trivial.throughput
        else f"{'—':>9}"
    )
    return (
        f"{result.scenario:<11} {result.clients:>7} {result.ops:>7} {result.throughput:>8.1f} "
        f"{result.percentile(50):>8.1f} {result.percentile(95):>8.1f} "
        f"{result.percentile(99):>8.1f} {ratio} {result.cpu_per_request_us:>13.0f}  "
        f"{_errors_text(result)}"
    )


def connections_line(before: dict[int, Any], after: dict[int, Any]) -> str:
    opened = len(set(after) - set(before))
    kept = len(set(after) & set(before))
    return (
        f"  PostgreSQL connections of the server: {len(before)} before, {len(after)} after, "
        f"{kept} kept, {opened} opened during the run"
    )


# -- the runs ---------------------------------------------------------------------------------


def run_scenarios(
    *,
    prep: dict[str, Any],
    urls: list[str],
    scenarios: list[str],
    clients_list: list[int],
    seconds: float,
    warmup: float,
    check_connections: bool = True,
) -> list[Result]:
    """Each client count in turn, each scenario in order; trivial first for the ratio."""
    results: list[Result] = []
    print(HEADER)
    for clients in clients_list:
        print(
            f"({clients} clients, {seconds:g} s each after {warmup:g} s warm-up; {_load_average()})"
        )
        trivial: Result | None = None
        taken: list[str] = []
        called: list[str] = []
        before_ids = max_ids()
        for name in scenarios:
            if name in {"inbox_html", "inbox_session"} and not prep.get("redis"):
                print(f"{name:<11} {clients:>7}  skipped: needs Redis (BENCH_REDIS_URL)")
                continue
            pending = prep["inbox"]["pending_tasks"]
            if name == "inbox_html" and pending > HTML_INBOX_MAX_TASKS:
                # Each page would hold a server thread for many seconds, long after the
                # client gave up, and slow every scenario after it.
                print(
                    f"{name:<11} {clients:>7}  skipped: the page lists all {pending:,} pending "
                    f"tasks of the department, unpaged (measured up to {HTML_INBOX_MAX_TASKS:,})"
                )
                continue
            backends = pg_backends() if check_connections else {}
            result = drive(name, prep, urls, clients=clients, seconds=seconds, warmup=warmup)
            results.append(result)
            if name == "trivial":
                trivial = result
            print(result_line(result, trivial), flush=True)
            if check_connections and name in {"inbox", "lookup", "submit"}:
                print(connections_line(backends, pg_backends()))
            taken += result.numbers if name in {"take", "take_call"} else []
            called += result.called
            if name == "submit":
                print(
                    "  "
                    + submissions_check(since_id=before_ids["cases_case"], numbers=result.numbers)
                )
        if {"take", "call", "take_call"} & set(scenarios):
            _ok, text = tickets_check(
                prep=prep, since_id=before_ids["hall_ticket"], taken=taken, called=called
            )
            print("  " + text)
    return results


def _load_average() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def run_compare(
    *,
    prep: dict[str, Any],
    seconds: float,
    warmup: float,
    clients: int = 16,
    rounds: int = 2,
    configs: list[str] | None = None,
) -> dict[str, dict[str, list[Result]]]:
    """Each configuration in turn, `rounds` times over (A B C A B C), so that a change in
    the machine's background load falls on every configuration alike; medians printed."""
    names = ", ".join(COMPARE_SCENARIOS)
    print(f"\nserver comparison: {names} at {clients} clients, {seconds:g} s each, {rounds} rounds")
    chosen = {label: CONFIGS[label] for label in (configs or CONFIGS)}
    table: dict[str, dict[str, list[Result]]] = {label: {} for label in chosen}
    for round_number in range(1, rounds + 1):
        for label, args in chosen.items():
            print(f"\n-- round {round_number}, {label}: yichuang serve {' '.join(args)}")
            print(f"   ({_load_average()})")
            with Server(args, label=label) as server:
                results = run_scenarios(
                    prep=prep,
                    urls=[server.url],
                    scenarios=list(COMPARE_SCENARIOS),
                    clients_list=[clients],
                    seconds=seconds,
                    warmup=warmup,
                )
            for result in results:
                table[label].setdefault(result.scenario, []).append(result)
    print(f"\nmedians of {rounds} rounds, {clients} clients (ops/s; p50 and p99 in ms)")
    print(
        f"{'configuration':<22}"
        + "".join(f" {s + ' ops/s':>14} {'p50':>7} {'p99':>7}" for s in COMPARE_SCENARIOS)
    )
    for label, row in table.items():
        cells = ""
        for name in COMPARE_SCENARIOS:
            runs = row[name]
            cells += f" {_median([r.throughput for r in runs]):>14.1f}"
            cells += f" {_median([r.percentile(50) for r in runs]):>7.1f}"
            cells += f" {_median([r.percentile(99) for r in runs]):>7.1f}"
        print(f"{label:<22}{cells}")
    return table


def run_scale_out(
    *, prep: dict[str, Any], seconds: float, warmup: float, clients: int = 16
) -> bool:
    args = shlex.split(os.environ.get("BENCH_SERVER_ARGS", ""))
    print(
        f"\nscale-out: two `yichuang serve {' '.join(args)}` processes, one PostgreSQL, "
        f"Redis {'on' if prep.get('redis') else 'OFF'}; {clients} clients round robin"
    )
    with Server(args) as first, Server(args) as second:
        urls = [first.url, second.url]
        before = max_ids()
        results = {}
        print(HEADER)
        # The session made by the preparation: both processes answering 200 (not 401)
        # shows that they share the session store (Redis).
        shared_session = ("inbox_session",) if prep.get("redis") else ()
        for name in ("trivial", *shared_session, "take", "call", "take_call"):
            result = drive(name, prep, urls, clients=clients, seconds=seconds, warmup=warmup)
            results[name] = result
            print(result_line(result, results.get("trivial")))
            for server in (0, 1):
                print(
                    f"  process {server + 1} ({urls[server]}): {result.per_server[server]} ops, "
                    f"{result.per_server[server] / result.seconds:.1f} ops/s"
                )
    ok, text = tickets_check(
        prep=prep,
        since_id=before["hall_ticket"],
        taken=results["take"].numbers + results["take_call"].numbers,
        called=results["call"].called + results["take_call"].called,
    )
    print("  " + text)
    return ok


GROWTH_SCENARIOS = ("trivial", "inbox", "lookup")


@contextlib.contextmanager
def _on_database(url: str) -> Iterator[None]:
    """Run the preparation and servers started inside against `url` (BENCH_DATABASE_URL)."""
    saved = os.environ.get("BENCH_DATABASE_URL")
    os.environ["BENCH_DATABASE_URL"] = url
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("BENCH_DATABASE_URL", None)
        else:
            os.environ["BENCH_DATABASE_URL"] = saved


def run_growth(
    *,
    small_url: str,
    seconds: float,
    warmup: float,
    clients_list: list[int],
    rounds: int = 2,
) -> None:
    """The same scenarios on a small and on the large database, in interleaved rounds
    (small, large, small, large) so that the machine's background load falls on both;
    prints each median and the ratio large ÷ small of the median latencies."""
    large_url = database_url()
    preps: dict[str, dict[str, Any]] = {}
    for label, url in (("small", small_url), ("large", large_url)):
        with _on_database(url):
            preps[label] = _prepare(cases=0, clients=max(clients_list))
    sizes = {label: prep["counts"]["cases_case"] for label, prep in preps.items()}
    args = shlex.split(os.environ.get("BENCH_SERVER_ARGS", ""))
    runs: dict[tuple[str, str, int], list[Result]] = {}
    for round_number in range(1, rounds + 1):
        for label, url in (("small", small_url), ("large", large_url)):
            print(f"\n-- growth round {round_number}, {sizes[label]:,} cases ({_load_average()})")
            with _on_database(url), Server(args) as server:
                results = run_scenarios(
                    prep=preps[label],
                    urls=[server.url],
                    scenarios=list(GROWTH_SCENARIOS),
                    clients_list=clients_list,
                    seconds=seconds,
                    warmup=warmup,
                    check_connections=False,
                )
            for result in results:
                runs.setdefault((label, result.scenario, result.clients), []).append(result)
    print(
        f"\ngrowth from {sizes['small']:,} to {sizes['large']:,} cases: medians of {rounds} "
        "rounds (p50 ms; ratio = large ÷ small; the bar is at most 1.5 for inbox and lookup)"
    )
    print(
        f"{'scenario':<10} {'clients':>7} {'small p50':>10} {'large p50':>10} {'ratio':>6}"
        f" {'small ops/s':>12} {'large ops/s':>12}"
    )
    for clients in clients_list:
        for name in GROWTH_SCENARIOS:
            small, large = runs[("small", name, clients)], runs[("large", name, clients)]
            small_p50 = _median([r.percentile(50) for r in small])
            large_p50 = _median([r.percentile(50) for r in large])
            print(
                f"{name:<10} {clients:>7} {small_p50:>10.2f} {large_p50:>10.2f}"
                f" {large_p50 / small_p50:>6.2f} {_median([r.throughput for r in small]):>12.1f}"
                f" {_median([r.throughput for r in large]):>12.1f}"
            )


def _prepare(*, cases: int, clients: int) -> dict[str, Any]:
    started = time.perf_counter()
    prep = prepare(cases=cases, clients=clients)
    prep["redis"] = bool(redis_url())
    counts = prep["counts"]
    print(
        f"data: {counts['cases_case']:,} cases, {counts['cases_task']:,} tasks, "
        f"{counts['cases_caseevent']:,} case events, {counts['hall_ticket']:,} tickets; inbox of "
        f"{prep['inbox']['department']} ({prep['inbox']['pending_tasks']} pending tasks); "
        f"{len(prep['lookup'])} lookup pairs; {len(prep['items'])} online items "
        f"(prepared in {time.perf_counter() - started:.1f} s"
        + (f", generated {prep['generated']:,} cases" if prep.get("generated") else "")
        + ")"
    )
    print(
        f"database {urlsplit(database_url()).path.lstrip('/')}, Redis {redis_url() or 'off'}; "
        f"{os.cpu_count()} CPUs, {_load_average()}"
    )
    return prep


def run(quick: bool) -> None:
    """`make bench`: quick (about a minute) or full (BENCH_FULL=1)."""
    if quick:
        cases, clients_list, seconds, warmup = 2_000, [1, 16], 2.0, 0.5
    else:
        cases = int(os.environ.get("BENCH_CASES", "1000000"))
        clients_list, seconds, warmup = [1, 16], 15.0, 2.0
    prep = _prepare(cases=cases, clients=max(clients_list))
    args = shlex.split(os.environ.get("BENCH_SERVER_ARGS", ""))
    with Server(args) as server:
        print(f"server: yichuang serve {' '.join(args) or '(defaults)'} at {server.url}")
        run_scenarios(
            prep=prep,
            urls=[server.url],
            scenarios=list(SCENARIOS),
            clients_list=clients_list,
            seconds=seconds,
            warmup=warmup,
        )
    if not quick:
        run_compare(prep=prep, seconds=seconds, warmup=warmup)
        run_scale_out(prep=prep, seconds=seconds, warmup=warmup)
        small = os.environ.get("BENCH_GROWTH_DATABASE_URL")
        if small:
            run_growth(small_url=small, seconds=seconds, warmup=warmup, clients_list=[1, 16])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scenario", default=",".join(SCENARIOS), help="comma-separated")
    parser.add_argument("--clients", default="1,16", help="comma-separated client counts")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--url", help="an already running server (on BENCH_DATABASE_URL)")
    parser.add_argument("--server-args", default=os.environ.get("BENCH_SERVER_ARGS", ""))
    parser.add_argument("--cases", type=int, default=0, help="top the cases up to this many")
    parser.add_argument("--compare", action="store_true", help="server configurations side by side")
    parser.add_argument("--scale-out", action="store_true", help="two serve processes")
    parser.add_argument("--rounds", type=int, default=2, help="--compare: rounds over the configs")
    parser.add_argument(
        "--configs", default=",".join(CONFIGS), help=f"--compare: some of {', '.join(CONFIGS)}"
    )
    parser.add_argument(
        "--growth",
        metavar="SMALL_DATABASE_URL",
        help="trivial, inbox and lookup on this small database and on BENCH_DATABASE_URL, "
        "side by side in rounds; prints the latency ratio",
    )
    args = parser.parse_args(argv)
    scenarios = [s.strip() for s in args.scenario.split(",") if s.strip()]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(
            f"unknown scenario(s) {', '.join(sorted(unknown))}; known: {', '.join(SCENARIOS)}"
        )
    clients_list = [int(c) for c in args.clients.split(",")]
    if args.growth:
        run_growth(
            small_url=args.growth,
            seconds=args.seconds,
            warmup=args.warmup,
            clients_list=clients_list,
            rounds=args.rounds,
        )
        return 0
    prep = _prepare(cases=args.cases, clients=max([*clients_list, 16]))
    if args.compare:
        run_compare(
            prep=prep,
            seconds=args.seconds,
            warmup=args.warmup,
            clients=max(clients_list),
            rounds=args.rounds,
            configs=[c.strip() for c in args.configs.split(",") if c.strip()],
        )
        return 0
    if args.scale_out:
        os.environ["BENCH_SERVER_ARGS"] = args.server_args
        return (
            0
            if run_scale_out(
                prep=prep, seconds=args.seconds, warmup=args.warmup, clients=max(clients_list)
            )
            else 1
        )
    kwargs = dict(
        scenarios=scenarios, clients_list=clients_list, seconds=args.seconds, warmup=args.warmup
    )
    if args.url:
        run_scenarios(prep=prep, urls=[args.url], **kwargs)
        return 0
    server_args = shlex.split(args.server_args)
    with Server(server_args) as server:
        print(f"server: yichuang serve {args.server_args or '(defaults)'} at {server.url}")
        run_scenarios(prep=prep, urls=[server.url], **kwargs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
