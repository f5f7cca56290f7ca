"""Test factories for cases. `case()` writes a row directly (any status), `history` included
only when events are recorded through `cases.history`."""

from __future__ import annotations

import itertools

from yichuang.cases.models import Case, Channel
from yichuang.cases.workflow import Status
from yichuang.catalog.models import ServiceItemVersion
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.identity.models import Applicant, ApplicantKind, User
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.models import Centre

_seq = itertools.count(1)


def resident_id(n: int) -> str:
    """A valid resident ID number, distinct for each `n` (address 150422, born 1990-03-07)."""
    body = f"15042219900307{n % 1000:03d}"
    return body + resident_id_check_character(body)


def applicant(*, with_user: bool = False, **overrides) -> Applicant:
    n = next(_seq)
    values = {
        "kind": ApplicantKind.NATURAL_PERSON,
        "id_number": resident_id(n),
        "name": f"申请人{n}",
        "phone": f"138{n:08d}",
    }
    values.update(overrides)
    if with_user:
        values["user"] = User.objects.create_user(
            username=f"applicant{n}", password="correct-horse-battery", display_name=values["name"]
        )
    return Applicant.objects.create(**values)


def case(
    *,
    item_version: ServiceItemVersion | None = None,
    centre: Centre | None = None,
    status: str = Status.SUBMITTED,
    **overrides,
) -> Case:
    n = next(_seq)
    item_version = item_version or catalog_factories.published_item()
    values = {
        "number": f"test-20260302-{n:06d}",
        "item_version": item_version,
        "centre": centre or item_version.item.centre,
        "applicant": overrides.pop("applicant", None) or applicant(),
        "channel": Channel.WINDOW,
        "status": status,
    }
    values.update(overrides)
    return Case.objects.create(**values)


PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def applicant_user(**overrides) -> User:
    """The login of a new applicant."""
    return applicant(with_user=True, **overrides).user


# -- review: items with a process template, reviewers, leaders, cases in review ------------
# (imports kept local so this section stays an appendix)


def moment(day, hour: int = 10):
    """A timezone-aware moment on a Shanghai calendar day."""
    import datetime as dt

    local = dt.datetime.combine(day, dt.time(hour))
    return (local - dt.timedelta(hours=8)).replace(tzinfo=dt.UTC)


def review_item(
    *, stages=(1,), limit_workdays: int = 3, materials: int = 2, **overrides
) -> ServiceItemVersion:
    """A published version whose process template has one stage per entry of `stages`, the
    entry giving how many departments (all new, of the item's centre) review in parallel.
    The item's own department is the first department of stage 1."""
    from yichuang.catalog.models import Material, ProcessStageTask, VersionStatus
    from yichuang.orgs.tests import factories as orgs_factories

    centre = overrides.pop("centre", None) or orgs_factories.centre()
    departments = [
        [orgs_factories.department(centre=centre) for _ in range(count)] for count in stages
    ]
    version = catalog_factories.version(
        item=catalog_factories.item(department=departments[0][0]),
        status=VersionStatus.PUBLISHED,
        **overrides,
    )
    for i in range(1, materials + 1):
        Material.objects.create(version=version, position=i, name=f"申请材料{i}", required=True)
    for number, stage_departments in enumerate(departments, start=1):
        for department in stage_departments:
            ProcessStageTask.objects.create(
                version=version,
                stage=number,
                stage_name=f"第{number}环节",
                department=department,
                limit_workdays=limit_workdays,
            )
    return version


def reviewer(*, department, **overrides) -> User:
    """The login of a reviewer of `department`."""
    from yichuang.orgs.models import Role
    from yichuang.orgs.tests import factories as orgs_factories

    return orgs_factories.staff(
        roles=(Role.REVIEWER,), centre=department.centre, department=department, **overrides
    ).user


def leader(*, centre: Centre, **overrides) -> User:
    """The login of a leader of `centre`."""
    from yichuang.orgs.models import Role
    from yichuang.orgs.tests import factories as orgs_factories

    return orgs_factories.staff(roles=(Role.LEADER,), centre=centre, **overrides).user


def case_in_review(*, item_version: ServiceItemVersion, accepted_on, **overrides) -> Case:
    """A case accepted on `accepted_on` (its due date computed) whose first review stage
    started that day, as the acceptance service leaves it."""
    from django.db import transaction

    from yichuang.cases.locks import case_lock
    from yichuang.cases.services.review import stage_start
    from yichuang.cases.services.timing import case_due_refresh
    from yichuang.common import clock

    row = case(
        item_version=item_version, status=Status.ACCEPTED, accepted_on=accepted_on, **overrides
    )
    with clock.frozen(moment(accepted_on)), transaction.atomic():
        locked = case_lock(case_id=row.pk)
        case_due_refresh(case=locked)
        stage_start(case=locked, started_on=accepted_on)
    return Case.objects.get(pk=row.pk)


def notice(*, case: Case | None = None, kind: str, body: dict | None = None, **overrides):
    """A notice row of `kind` for `case`, numbered like `notice_issue` numbers them."""
    from yichuang.cases.models import Notice
    from yichuang.common import clock

    case = case or globals()["case"]()
    values = {
        "case": case,
        "kind": kind,
        "number": f"{case.number}-T{next(_seq):02d}",
        "issued_at": clock.now(),
        "body": body or {},
    }
    values.update(overrides)
    return Notice.objects.create(**values)
