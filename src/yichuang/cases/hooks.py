"""After-commit hooks: what runs once a case change is committed (notifications, webhooks).

Services call `hooks_schedule(event=…, case_id=…)` inside their transaction; the functions
registered for that event run only after the commit, never for a rolled-back change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

Hook = Callable[..., None]

# The events services announce.
SUBMITTED = "submitted"
CORRECTION_REQUESTED = "correction_requested"  # 补正: before acceptance or during review
ONE_TIME_NOTICE = "one_time_notice"
NOT_ACCEPTED = "not_accepted"
ACCEPTED = "accepted"  # also with pending materials (容缺受理)
PENDING_DUE_SOON = "pending_due_soon"  # the supplement deadline of a commitment is near
PENDING_OVERDUE = "pending_overdue"  # not supplied in time: suspended (or terminated)
SUSPENDED = "suspended"  # special procedure (特别程序) or correction during review
RESUMED = "resumed"
EXTENSION_REQUESTED = "extension_requested"
EXTENSION_APPROVED = "extension_approved"
STAGE_STARTED = "stage_started"
DECIDED = "decided"
CONCLUDED = "concluded"
WITHDRAWN = "withdrawn"
RETURNED = "returned"

_hooks: dict[str, list[Hook]] = defaultdict(list)


def hook_register(*, event: str, hook: Hook) -> None:
    """Call `hook(case_id=…)` after every committed change announcing `event`."""
    if hook not in _hooks[event]:
        _hooks[event].append(hook)


def hook_unregister(*, event: str, hook: Hook) -> None:
    if hook in _hooks[event]:
        _hooks[event].remove(hook)


def hooks_schedule(*, event: str, case_id: int) -> None:
    def run() -> None:
        for hook in list(_hooks.get(event, ())):
            hook(case_id=case_id)

    transaction.on_commit(run)
