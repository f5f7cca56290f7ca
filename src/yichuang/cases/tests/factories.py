"""Test factories for cases. `case()` writes a row directly (any status), `history` included
only when events are recorded through `cases.history`."""

from __future__ import annotations

import itertools

from stdnum.cn import ric

from yichuang.cases.models import Case, Channel
from yichuang.cases.workflow import Status
from yichuang.catalog.models import ServiceItemVersion
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.identity.models import Applicant, ApplicantKind, User
from yichuang.orgs.models import Centre

_seq = itertools.count(1)


def resident_id(n: int) -> str:
    """A valid resident ID number, distinct for each `n` (address 150422, born 1990-03-07)."""
    body = f"15042219900307{n % 1000:03d}"
    return body + ric.calc_check_digit(body)


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
