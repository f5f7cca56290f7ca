"""Opening a case (window and online), submitting it, and handing in materials."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases import services
from yichuang.cases.errors import CaseError, CaseForbidden, CaseNotFound
from yichuang.cases.history import history_verify
from yichuang.cases.models import Channel, MaterialOrigin
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Status
from yichuang.catalog.models import VersionStatus
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

MONDAY_MORNING = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)  # 09:30 in Shanghai


@pytest.fixture
def version():
    centre = orgs_factories.centre(code="blzq")
    department = orgs_factories.department(centre=centre)
    return catalog_factories.published_item(department=department, handled_online=True)


@pytest.fixture
def officer(version):
    return orgs_factories.staff(centre=version.item.centre, roles=(Role.WINDOW_OFFICER,)).user


def test_a_window_officer_opens_a_submitted_case_with_a_number_and_an_event(version, officer):
    person = factories.applicant()

    with clock.frozen(MONDAY_MORNING):
        case = services.case_open(user=officer, item_version=version, applicant=person)

    assert case.number == "blzq-20260302-000001"
    assert (case.status, case.channel, case.centre) == (
        Status.SUBMITTED,
        Channel.WINDOW,
        version.item.centre,
    )
    assert case.submitted_at == MONDAY_MORNING
    event = case.events.get()
    assert (event.kind, event.from_status, event.to_status, event.actor_kind) == (
        "opened",
        "",
        "submitted",
        "staff",
    )
    assert history_verify(case=case) is None


def test_an_officer_of_a_township_opens_an_item_of_the_county_above():
    county = orgs_factories.centre()
    township = orgs_factories.centre(parent=county)
    version = catalog_factories.published_item(department=orgs_factories.department(centre=county))
    officer = orgs_factories.staff(centre=township).user

    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())

    assert case.centre == township


def test_an_officer_may_not_open_an_item_of_another_county(version):
    officer = orgs_factories.staff(centre=orgs_factories.centre()).user

    with pytest.raises(CaseError, match="item_not_offered"):
        services.case_open(user=officer, item_version=version, applicant=factories.applicant())


def test_a_reviewer_may_not_open_a_case_at_the_window(version):
    reviewer = orgs_factories.staff(centre=version.item.centre, roles=(Role.REVIEWER,)).user

    with pytest.raises(CaseForbidden, match="not_window_officer"):
        services.case_open(user=reviewer, item_version=version, applicant=factories.applicant())


def test_a_helper_opens_an_assisted_case_but_not_a_window_case(version):
    helper = orgs_factories.staff(centre=version.item.centre, roles=(Role.HELPER,)).user
    person = factories.applicant()

    case = services.case_open(
        user=helper, item_version=version, applicant=person, channel=Channel.ASSISTED
    )

    assert case.channel == Channel.ASSISTED
    with pytest.raises(CaseForbidden):
        services.case_open(user=helper, item_version=version, applicant=person)


@pytest.mark.parametrize("status", [VersionStatus.DRAFT, VersionStatus.ARCHIVED])
def test_only_a_published_version_can_be_opened(officer, version, status):
    version.status = status
    version.save(update_fields=["status"])

    with pytest.raises(CaseError, match="item_not_published"):
        services.case_open(user=officer, item_version=version, applicant=factories.applicant())


def test_an_item_for_legal_persons_only_refuses_a_natural_person(officer, version):
    version.for_natural_persons, version.for_legal_persons = False, True
    version.save(update_fields=["for_natural_persons", "for_legal_persons"])

    with pytest.raises(CaseError, match="applicant_not_served"):
        services.case_open(user=officer, item_version=version, applicant=factories.applicant())


def test_an_applicant_opens_an_online_draft_at_the_items_centre(version):
    user = factories.applicant_user()

    case = services.case_open(user=user, item_version=version, applicant=user.applicant)

    assert (case.status, case.channel, case.submitted_at) == (Status.DRAFT, Channel.ONLINE, None)
    assert case.events.get().actor_kind == "applicant"


def test_an_item_not_offered_online_cannot_be_opened_online(version):
    version.handled_online = False
    version.save(update_fields=["handled_online"])
    user = factories.applicant_user()

    with pytest.raises(CaseError, match="item_not_online"):
        services.case_open(user=user, item_version=version, applicant=user.applicant)


def test_an_agent_needs_a_power_of_attorney(version):
    agent = factories.applicant_user()
    principal = factories.applicant()

    with pytest.raises(CaseForbidden, match="no_power_of_attorney"):
        services.case_open(user=agent, item_version=version, applicant=principal)

    case = services.case_open(
        user=agent, item_version=version, applicant=principal, power_of_attorney=True
    )
    assert (case.applicant, case.agent, case.agent_name) == (
        principal,
        agent.applicant,
        agent.applicant.name,
    )


def test_an_account_that_is_neither_staff_nor_applicant_cannot_open(version):
    from yichuang.identity.models import User

    nobody = User.objects.create_user(username="nobody", password="x-long-password")

    with pytest.raises(CaseForbidden, match="not_an_applicant"):
        services.case_open(user=nobody, item_version=version, applicant=factories.applicant())


def test_the_applicant_submits_a_draft_and_resubmits_after_correction(version):
    user = factories.applicant_user()
    case = services.case_open(user=user, item_version=version, applicant=user.applicant)

    with clock.frozen(MONDAY_MORNING):
        case = services.case_submit(user=user, case=case)

    assert (case.status, case.submitted_at) == (Status.SUBMITTED, MONDAY_MORNING)
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "submitted"]


def test_someone_else_cannot_submit_an_applicants_draft(version):
    user = factories.applicant_user()
    case = services.case_open(user=user, item_version=version, applicant=user.applicant)

    with pytest.raises(CaseNotFound):
        services.case_submit(user=factories.applicant_user(), case=case)


def test_a_submitted_case_cannot_be_submitted_again(version, officer):
    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())

    with pytest.raises(CaseError, match="transition_not_allowed"):
        services.case_submit(user=officer, case=case)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (factories.PDF, "application/pdf"),
        (factories.PNG, "image/png"),
        (factories.JPEG, "image/jpeg"),
    ],
)
def test_a_material_is_typed_from_its_content_and_hashed(version, officer, content, content_type):
    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())
    material = version.materials.first()

    row = services.case_material_add(user=officer, case=case, content=content, material=material)

    assert (row.content_type, row.size, row.origin) == (
        content_type,
        len(content),
        MaterialOrigin.WINDOW_SCAN,
    )
    assert len(row.sha256) == 64 and row.file.read() == content
    assert case.events.last().kind == "material_added"


@pytest.mark.parametrize("content", [b"GIF89a....", b"PK\x03\x04 docx", b"<html>"])
def test_anything_but_pdf_jpeg_png_is_refused(version, officer, content):
    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())

    with pytest.raises(CaseError, match="file_type_not_allowed"):
        services.case_material_add(user=officer, case=case, content=content)


def test_a_file_over_the_limit_is_refused(version, officer, settings):
    settings.YICHUANG = {**settings.YICHUANG, "UPLOAD_MAX_BYTES": 10}
    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())

    with pytest.raises(CaseError, match="file_too_large"):
        services.case_material_add(user=officer, case=case, content=factories.PDF)


def test_a_material_of_another_item_is_refused(version, officer):
    case = services.case_open(user=officer, item_version=version, applicant=factories.applicant())
    other = catalog_factories.published_item().materials.first()

    with pytest.raises(CaseError, match="material_not_of_item"):
        services.case_material_add(user=officer, case=case, content=factories.PDF, material=other)


def test_a_failed_upload_leaves_no_file_behind(settings, monkeypatch):
    from yichuang.cases.services import materials as materials_module

    officer_member = orgs_factories.staff()
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=officer_member.centre)
    )
    case = services.case_open(
        user=officer_member.user, item_version=version, applicant=factories.applicant()
    )

    def broken(**kwargs):
        raise RuntimeError("the history could not be written")

    monkeypatch.setattr(materials_module, "case_event_record", broken)
    with pytest.raises(RuntimeError):
        services.case_material_add(user=officer_member.user, case=case, content=factories.PDF)

    media = settings.MEDIA_ROOT
    stored = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert stored == []
    assert not case.materials.exists()
