"""The notification hook of each case event, registered with `cases.hooks` at start-up."""

from __future__ import annotations

import logging

from yichuang.cases import hooks
from yichuang.cases.hooks import Hook
from yichuang.notifications.texts import COMPOSERS

logger = logging.getLogger("yichuang.notifications")

# The events that notify the applicant: one composer each in texts.py.
EVENTS = tuple(COMPOSERS)


def _hook_for(event: str) -> Hook:
    def notify(*, case_id: int) -> None:
        from yichuang.notifications.services import case_notify

        try:
            case_notify(event=event, case_id=case_id)
        except Exception:  # after commit: log it, never break the action that announced it
            logger.exception("notification %s of case %s failed", event, case_id)

    notify.__name__ = f"notify_{event}"
    return notify


# Made once per process, so registering again (a second `ready()`) adds nothing.
HOOKS: dict[str, Hook] = {event: _hook_for(event) for event in EVENTS}


def hooks_register() -> None:
    for event, hook in HOOKS.items():
        hooks.hook_register(event=event, hook=hook)
