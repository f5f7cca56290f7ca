"""Every event kind a service writes has a Chinese label."""

from __future__ import annotations

import re
from pathlib import Path

from yichuang.cases.events import EVENT_LABELS, event_label

SERVICES = Path(__file__).resolve().parents[1] / "services"


def test_every_kind_written_by_a_service_has_a_label():
    written = set()
    for path in SERVICES.glob("*.py"):
        written |= set(re.findall(r'kind="([a-z_]+)"', path.read_text(encoding="utf-8")))
        written |= set(re.findall(r'"([a-z_]+)" if ', path.read_text(encoding="utf-8")))
    written -= {"approved", "correction", "expert_review"}  # values compared, not event kinds

    assert written - set(EVENT_LABELS) == set()


def test_an_unknown_kind_is_shown_as_it_is():
    assert event_label("something_new") == "something_new"
    assert event_label("accepted_with_pending") == "容缺受理"
