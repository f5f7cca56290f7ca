"""Setting up queues: one letter per centre, windows of the centre only."""

from __future__ import annotations

import pytest

from yichuang.hall.errors import HallConflict, HallError
from yichuang.hall.services.queues import queue_create, queue_update
from yichuang.hall.tests import factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


def test_a_queue_is_created_with_its_windows_and_an_upper_case_letter():
    centre = orgs_factories.centre()
    window = factories.window(centre=centre, number=1)

    queue = queue_create(centre=centre, code=" f ", name="出件", windows=[window])

    assert queue.code == "F"
    assert list(queue.windows.all()) == [window]


@pytest.mark.parametrize("code", ["", "AB", "1", "é"])
def test_a_letter_must_be_one_capital(code):
    with pytest.raises(HallError) as error:
        queue_create(centre=orgs_factories.centre(), code=code, name="综合受理")
    assert error.value.code == "queue_code_invalid"


def test_a_letter_is_used_once_per_centre_but_again_elsewhere():
    centre = orgs_factories.centre()
    queue_create(centre=centre, code="A", name="综合受理")

    with pytest.raises(HallConflict):
        queue_create(centre=centre, code="A", name="又一个")
    assert queue_create(centre=orgs_factories.centre(), code="A", name="综合受理").code == "A"


def test_a_window_of_another_centre_is_refused():
    centre = orgs_factories.centre()
    elsewhere = factories.window(centre=orgs_factories.centre(), number=1)

    with pytest.raises(HallError) as error:
        queue_create(centre=centre, code="A", name="综合受理", windows=[elsewhere])
    assert error.value.code == "queue_window_elsewhere"


def test_an_update_changes_letter_windows_and_settings():
    centre = orgs_factories.centre()
    first, second = (factories.window(centre=centre, number=n) for n in (1, 2))
    queue = queue_create(centre=centre, code="A", name="综合受理", windows=[first])

    queue = queue_update(queue=queue, code="B", windows=[second], name="不动产", slot_capacity=3)

    queue.refresh_from_db()
    assert (queue.code, queue.name, queue.slot_capacity) == ("B", "不动产", 3)
    assert list(queue.windows.all()) == [second]
