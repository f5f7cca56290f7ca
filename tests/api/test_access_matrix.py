"""Who may do what with a case through the API: every role × every endpoint (issue 3, item 8).

The world: a township centre (the case's centre) under a county centre, and a second
township under the same county. The item is offered by the township; its review stage
belongs to one department there ("reviewer with a task"); another department of the same
township has no part in it. The applicant acts through an agent holding a power of
attorney. A department task exists only once a case is accepted, so before acceptance
the reviewer of the item's department sees nothing of it.

Expected answers: 200/201 when allowed; 401 for an anonymous caller; 404 when the caller may
not see the case (forbidden and missing look the same); 403 when a known staff member who
may see the case lacks the role for the action; 422 where the services refuse the request
itself (staff opening without naming the applicant, a centre that does not offer the item).
Some services answer 404 even to a reader of the case, as their docstrings say: withdrawal
is the applicant's (or agent's) alone, and a department task, like the end of its special
procedure, is acted on only by a reviewer of its department — to anyone else it does not
exist.

Adding an endpoint: add one `Endpoint` and one row to `MATRIX`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yichuang.cases import services
from yichuang.cases.models import Case, SuspensionKind
from yichuang.cases.pdf import PdfFontMissing, font_path
from yichuang.cases.tests import factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.identity.models import User
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases"
MOMENT = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)  # 10:00 in Shanghai, a Monday

ROLES = (
    "anonymous",
    "owner",
    "other_applicant",
    "agent",
    "officer",
    "officer_elsewhere",
    "reviewer_with_task",
    "reviewer_elsewhere",
    "helper",
    "leader",
    "leader_above",
    "centre_admin",
    "superuser",
)


def valid_id(n: int) -> str:
    body = f"15042219900307{n % 1000:03d}"
    return body + resident_id_check_character(body)


@dataclass
class World:
    users: dict[str, User | None]
    version: Any
    owner: Any
    agent: Any
    case: Case | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def format(self, template: str) -> str:
        return template.format(
            number=self.case.number if self.case else "",
            check=self.owner.phone[-6:],
            material=self.extra.get("material", 0),
            item=self.version.item.implementation_code,
            task=self.extra.get("task", 0),
            extension=self.extra.get("extension", 0),
            notice=self.extra.get("notice", ""),
            pendable=self.extra.get("pendable", 0),
        )


def _build_world() -> World:
    county = orgs_factories.centre()
    township = orgs_factories.centre(parent=county)
    elsewhere = orgs_factories.centre(parent=county)
    reviewing = orgs_factories.department(centre=township)
    other_department = orgs_factories.department(centre=township)
    version = catalog_factories.published_item(
        department=reviewing, materials=2, promised_limit=5, handled_online=True
    )
    version.materials.filter(position=2).update(pendable=True)
    owner = factories.applicant(with_user=True, id_number=valid_id(11))
    other = factories.applicant(with_user=True, id_number=valid_id(12))
    agent = factories.applicant(with_user=True, id_number=valid_id(13))

    def staff(centre, *roles, department=None) -> User:
        return orgs_factories.staff(centre=centre, roles=roles, department=department).user

    users = {
        "anonymous": None,
        "owner": owner.user,
        "other_applicant": other.user,
        "agent": agent.user,
        "officer": staff(township, Role.WINDOW_OFFICER),
        "officer_elsewhere": staff(elsewhere, Role.WINDOW_OFFICER),
        "reviewer_with_task": staff(township, Role.REVIEWER, department=reviewing),
        "reviewer_elsewhere": staff(township, Role.REVIEWER, department=other_department),
        "helper": staff(township, Role.HELPER),
        "leader": staff(township, Role.LEADER),
        "leader_above": staff(county, Role.LEADER),
        "centre_admin": staff(township, Role.CENTRE_ADMIN),
        "superuser": User.objects.create_superuser(username="root", password="x"),
    }
    return World(
        users=users,
        version=version,
        owner=owner,
        agent=agent,
        extra={"pendable": version.materials.get(position=2).pk},
    )


# -- the case each endpoint is tried on ----------------------------------------------------


def _submitted(world: World) -> Case:
    """Opened at the township's window for the owner, through the agent."""
    return services.case_open(
        user=world.users["officer"],
        item_version=world.version,
        applicant=world.owner,
        agent=world.agent,
        power_of_attorney=True,
    )


def _complete(world: World) -> Case:
    case = _submitted(world)
    for material in world.version.materials.all():
        row = services.case_material_add(
            user=world.users["officer"], case=case, content=factories.PDF, material=material
        )
        world.extra["material"] = row.pk
    return case


def _in_review(world: World) -> Case:
    """Accepted: the reviewing department has a task; the acceptance notice is issued."""
    case = services.case_accept(user=world.users["officer"], case=_complete(world))
    world.extra["task"] = case.tasks.get().pk
    world.extra["notice"] = case.notices.get().number
    return case


def _first_material_only(world: World) -> Case:
    """Submitted with the first material; the second, pendable, is missing."""
    case = _submitted(world)
    services.case_material_add(
        user=world.users["officer"],
        case=case,
        content=factories.PDF,
        material=world.version.materials.get(position=1),
    )
    return case


def _pending_decision(world: World) -> Case:
    """Reviewed: the department approved its task."""
    case = _in_review(world)
    services.task_approve(user=world.users["reviewer_with_task"], task=case.tasks.get())
    return Case.objects.get(pk=case.pk)


def _approved(world: World) -> Case:
    return services.case_decide(
        user=world.users["leader"], case=_pending_decision(world), outcome="approved"
    )


def _correction_supplied(world: World) -> Case:
    """Suspended for a correction the department asked for; the applicant uploaded since."""
    case = _in_review(world)
    services.task_request_correction(
        user=world.users["reviewer_with_task"], task=case.tasks.get(), items=[(None, "补充说明")]
    )
    with clock.frozen(MOMENT + dt.timedelta(minutes=5)):
        services.case_material_add(
            user=world.users["owner"], case=case, content=factories.PDF, material=None
        )
    return Case.objects.get(pk=case.pk)


def _special_procedure(world: World) -> Case:
    case = _in_review(world)
    services.case_suspend(
        user=world.users["reviewer_with_task"],
        task=case.tasks.get(),
        kind=SuspensionKind.TESTING,
        reason="送检",
    )
    return Case.objects.get(pk=case.pk)


def _extension_requested(world: World) -> Case:
    case = _in_review(world)
    extension = services.extension_request(
        user=world.users["reviewer_with_task"], task=case.tasks.get(), workdays=3, reason="核查"
    )
    world.extra["extension"] = extension.pk
    return case


def _draft(world: World) -> Case:
    """Opened online by the agent for the owner."""
    return services.case_open(
        user=world.users["agent"],
        item_version=world.version,
        applicant=world.owner,
        power_of_attorney=True,
    )


def _no_case(world: World) -> None:
    return None


def _person(channel: str) -> Callable[[World], dict[str, Any]]:
    def body(world: World) -> dict[str, Any]:
        return {
            "item": world.version.item.implementation_code,
            "channel": channel,
            "applicant": {"kind": "natural_person", "id_number": valid_id(99), "name": "王小明"},
        }

    return body


def _commitment(world: World) -> dict[str, Any]:
    return {
        "pending": [world.extra["pendable"]],
        "signed_by_name": world.owner.name,
        "signed_by_id_number": world.owner.id_number,
    }


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # formatted by World.format
    case: Callable[[World], Case | None]
    body: Callable[[World], dict[str, Any]] | None = None
    multipart: bool = False
    root: str = URL


ENDPOINTS = {
    "lookup": Endpoint("GET", "/lookup?number={number}&check={check}", _in_review),
    "list": Endpoint("GET", "", _in_review),
    "detail": Endpoint("GET", "/{number}", _in_review),
    "events": Endpoint("GET", "/{number}/events", _in_review),
    "material_file": Endpoint("GET", "/{number}/materials/{material}/file", _in_review),
    "open_self": Endpoint("POST", "", _no_case, body=lambda w: {"item": w.format("{item}")}),
    "open_at_window": Endpoint("POST", "", _no_case, body=_person("window")),
    "open_assisted": Endpoint("POST", "", _no_case, body=_person("assisted")),
    "submit": Endpoint("POST", "/{number}/submit", _draft),
    "upload": Endpoint("POST", "/{number}/materials", _submitted, multipart=True),
    "accept": Endpoint("POST", "/{number}/accept", _complete),
    "one_time_notice": Endpoint("POST", "/{number}/one-time-notice", _submitted, body=lambda w: {}),
    "refuse": Endpoint("POST", "/{number}/refuse", _submitted, body=lambda w: {"reason": "不符"}),
    "accept_pending": Endpoint("POST", "/{number}/accept", _first_material_only, body=_commitment),
    "request_correction": Endpoint(
        "POST",
        "/{number}/request-correction",
        _submitted,
        body=lambda w: {"items": [{"material": None, "note": "申请表未签字"}]},
    ),
    "withdraw": Endpoint("POST", "/{number}/withdraw", _in_review),
    "decide": Endpoint(
        "POST", "/{number}/decide", _pending_decision, body=lambda w: {"outcome": "approved"}
    ),
    "conclude": Endpoint(
        "POST", "/{number}/conclude", _approved, body=lambda w: {"result_name": "准予许可决定书"}
    ),
    "supplement": Endpoint("POST", "/{number}/supplement", _correction_supplied),
    "resume": Endpoint("POST", "/{number}/resume", _special_procedure),
    "task_approve": Endpoint("POST", "/{number}/tasks/{task}/approve", _in_review),
    "task_reject": Endpoint(
        "POST", "/{number}/tasks/{task}/reject", _in_review, body=lambda w: {"reason": "不符"}
    ),
    "task_correction": Endpoint(
        "POST",
        "/{number}/tasks/{task}/request-correction",
        _in_review,
        body=lambda w: {"items": [{"material": None, "note": "补充说明"}]},
    ),
    "task_suspend": Endpoint(
        "POST",
        "/{number}/tasks/{task}/suspend",
        _in_review,
        body=lambda w: {"kind": "testing", "reason": "送检"},
    ),
    "task_extension": Endpoint(
        "POST",
        "/{number}/tasks/{task}/extensions",
        _in_review,
        body=lambda w: {"workdays": 3, "reason": "核查"},
    ),
    "extension_decide": Endpoint(
        "POST",
        "/{number}/extensions/{extension}/decide",
        _extension_requested,
        body=lambda w: {"approve": True},
    ),
    "task_inbox": Endpoint("GET", "?status=pending", _in_review, root="/api/v1/tasks"),
    "notice_pdf": Endpoint("GET", "/{number}/notices/{notice}.pdf", _in_review),
}

# fmt: off
MATRIX = {
    #                  anon owner other agent offcr offEl revTk revEl helpr leadr ldAbv admin super
    "lookup":          (200, 200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    "list":            (401, 200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    "detail":          (401, 200,  404,  200,  200,  404,  200,  404,  200,  200,  200,  200,  200),
    "events":          (401, 200,  404,  200,  200,  404,  200,  404,  200,  200,  200,  200,  200),
    "material_file":   (401, 200,  404,  200,  200,  404,  200,  404,  200,  200,  200,  200,  200),
    "open_self":       (401, 201,  201,  201,  422,  422,  422,  422,  422,  422,  422,  422,  403),
    "open_at_window":  (401, 403,  403,  403,  201,  422,  403,  403,  403,  403,  403,  403,  403),
    "open_assisted":   (401, 403,  403,  403,  201,  422,  403,  403,  201,  403,  403,  403,  403),
    "submit":          (401, 200,  404,  200,  404,  404,  404,  404,  404,  404,  404,  404,  404),
    "upload":          (401, 201,  404,  201,  201,  404,  404,  404,  403,  403,  404,  403,  404),
    "accept":          (401, 404,  404,  404,  200,  404,  404,  404,  403,  403,  404,  403,  404),
    "one_time_notice": (401, 404,  404,  404,  200,  404,  404,  404,  403,  403,  404,  403,  404),
    "refuse":          (401, 404,  404,  404,  200,  404,  404,  404,  403,  403,  404,  403,  404),
    "accept_pending":  (401, 404,  404,  404,  200,  404,  404,  404,  403,  403,  404,  403,  404),
    "request_correction": (
                        401, 404,  404,  404,  200,  404,  404,  404,  403,  403,  404,  403,  404),
    "withdraw":        (401, 200,  404,  200,  404,  404,  404,  404,  404,  404,  404,  404,  404),
    "decide":          (401, 404,  404,  404,  403,  404,  200,  404,  403,  200,  200,  403,  404),
    "conclude":        (401, 404,  404,  404,  200,  404,  200,  404,  403,  200,  200,  403,  404),
    "supplement":      (401, 200,  404,  200,  200,  404,  403,  404,  403,  403,  404,  403,  404),
    "resume":          (401, 404,  404,  404,  404,  404,  200,  404,  404,  404,  404,  404,  404),
    "task_approve":    (401, 404,  404,  404,  404,  404,  200,  404,  404,  404,  404,  404,  404),
    "task_reject":     (401, 404,  404,  404,  404,  404,  200,  404,  404,  404,  404,  404,  404),
    "task_correction": (401, 404,  404,  404,  404,  404,  200,  404,  404,  404,  404,  404,  404),
    "task_suspend":    (401, 404,  404,  404,  404,  404,  200,  404,  404,  404,  404,  404,  404),
    "task_extension":  (401, 404,  404,  404,  404,  404,  201,  404,  404,  404,  404,  404,  404),
    "extension_decide": (
                        401, 404,  404,  404,  403,  404,  403,  404,  403,  200,  200,  403,  404),
    "task_inbox":      (401, 200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    "notice_pdf":      (401, 200,  404,  200,  200,  404,  200,  404,  200,  200,  200,  200,  200),
}
# fmt: on

CELLS = [
    pytest.param(endpoint, role, statuses[i], id=f"{endpoint}-{role}")
    for endpoint, statuses in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_matrix_covers_every_endpoint_and_role():
    assert set(MATRIX) == set(ENDPOINTS)
    assert {len(row) for row in MATRIX.values()} == {len(ROLES)}


def _call(client, endpoint: Endpoint, world: World):
    path = endpoint.root + world.format(endpoint.path)
    if endpoint.method == "GET":
        return client.get(path)
    if endpoint.multipart:
        return client.post(path, {"file": SimpleUploadedFile("scan.pdf", factories.PDF)})
    body = endpoint.body(world) if endpoint.body else {}
    return client.post(path, body, content_type="application/json")


def _font_installed() -> bool:
    try:
        font_path()
    except PdfFontMissing:
        return False
    return True


@pytest.mark.parametrize(("endpoint", "role", "expected"), CELLS)
def test_each_role_gets_the_answer_its_access_allows(client, endpoint, role, expected):
    if endpoint == "notice_pdf" and expected == 200 and not _font_installed():
        # Without a CJK font a reader gets 503 (tested in cases/tests/test_api_review.py).
        if os.environ.get("YICHUANG_REQUIRE_BROWSER"):
            pytest.fail("a CJK font (fonts-noto-cjk) is required but missing")
        pytest.skip("no CJK font to render the notice")
    with clock.frozen(MOMENT):
        world = _build_world()
        world.case = ENDPOINTS[endpoint].case(world)
        user = world.users[role]
        if user is not None:
            client.force_login(user)

        answer = _call(client, ENDPOINTS[endpoint], world)

    assert answer.status_code == expected, answer.content[:300]


# Who finds the accepted case in their list (GET /api/v1/cases).
LISTED = {
    "owner",
    "agent",
    "officer",
    "reviewer_with_task",
    "helper",
    "leader",
    "leader_above",
    "centre_admin",
    "superuser",
}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_list_shows_the_case_exactly_to_those_who_may_read_it(client, role):
    with clock.frozen(MOMENT):
        world = _build_world()
        case = _in_review(world)
        client.force_login(world.users[role])

        numbers = [c["number"] for c in client.get(URL).json()["items"]]

    assert (case.number in numbers) == (role in LISTED)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_task_inbox_shows_the_task_only_to_its_departments_reviewer(client, role):
    with clock.frozen(MOMENT):
        world = _build_world()
        case = _in_review(world)
        client.force_login(world.users[role])

        numbers = [t["case_number"] for t in client.get("/api/v1/tasks").json()["items"]]

    assert (case.number in numbers) == (role == "reviewer_with_task")
