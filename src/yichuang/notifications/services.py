"""Notifications: in-app messages always, an SMS when the applicant has a phone number.

`case_notify` runs after commit (registered per event in `hooks.py`). The in-app
messages are written first, in their own transaction; the SMS goes out afterwards and a
failing SMS backend is logged, never raised, so it can neither lose the messages nor
break the action that announced the event.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from yichuang.cases import hooks
from yichuang.cases.models import Case, MaterialCommitment
from yichuang.cases.workflow import Status
from yichuang.common import clock
from yichuang.common.masking import mask_phone
from yichuang.notifications.models import Message, Reminder
from yichuang.notifications.selectors import message_get_for
from yichuang.notifications.sms import sms_backend
from yichuang.notifications.texts import COMPOSERS
from yichuang.workdays.selectors import calendar_get

logger = logging.getLogger("yichuang.notifications")

# A commitment of a case in one of these statuses is still waiting for its materials.
OPEN_STATUSES = (Status.ACCEPTED, Status.IN_REVIEW, Status.SUSPENDED, Status.PENDING_DECISION)


def _recipients(case: Case) -> list[Any]:
    """The logins of the applicant and of the agent (each once, active ones only)."""
    users = []
    for person in (case.applicant, case.agent):
        user = getattr(person, "user", None) if person is not None else None
        if user is not None and user.is_active and user not in users:
            users.append(user)
    return users


def case_notify(*, event: str, case_id: int) -> list[Message]:
    """Tell the applicant (and the agent) about `event` on the case: in-app messages to
    their logins, an SMS to the applicant's phone. Returns the messages written."""
    case = (
        Case.objects.select_related("applicant__user", "agent__user", "item_version", "centre")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        logger.warning("notification %s: case %s not found", event, case_id)
        return []
    text = COMPOSERS[event](case)
    now = clock.now()
    with transaction.atomic():
        messages = Message.objects.bulk_create(
            Message(
                recipient=user,
                case=case,
                kind=event,
                title=text.title,
                body=text.body,
                created_at=now,
            )
            for user in _recipients(case)
        )
    phone = case.applicant.phone.strip()
    if phone:
        sms_send(phone=phone, text=f"【{case.centre.name}】{text.body}")
    return messages


def sms_send(*, phone: str, text: str) -> bool:
    """Send one SMS through the configured backend; a failure is logged, not raised."""
    try:
        sms_backend().send(phone=phone, text=text)
    except Exception:
        logger.exception("SMS to %s failed", mask_phone(phone))
        return False
    return True


def message_mark_read(*, user: Any, message_id: int) -> Message:
    """Mark one of the user's messages read (the first reading time is kept)."""
    message = message_get_for(user=user, message_id=message_id)
    if message.read_at is None:
        message.read_at = clock.now()
        message.save(update_fields=["read_at"])
    return message


def _remind_before(*, today: dt.date, days: int) -> dt.date:
    """The first day more than `days` working days after today: every supply date before
    it has at most `days` working days left (`deadlines.working_days_left`)."""
    return calendar_get().add_workdays(today, days + 1).deadline


def commitments_due_soon(*, today: dt.date) -> list[MaterialCommitment]:
    """Open commitments (neither fulfilled nor broken, case still running) whose supply
    date is today or at most `PENDING_REMIND_DAYS` working days away."""
    days = settings.YICHUANG["PENDING_REMIND_DAYS"]
    return list(
        MaterialCommitment.objects.filter(
            fulfilled_at__isnull=True,
            broken_at__isnull=True,
            case__status__in=OPEN_STATUSES,
            supply_by__gte=today,
            supply_by__lt=_remind_before(today=today, days=days),
        ).order_by("supply_by", "id")
    )


def reminder_key(commitment: MaterialCommitment) -> str:
    return f"{hooks.PENDING_DUE_SOON}:commitment:{commitment.pk}"


def pending_reminders_send(*, today: dt.date) -> int:
    """Announce `PENDING_DUE_SOON` once per commitment due soon; returns how many.

    Each reminder is claimed by inserting its `Reminder` row (unique key) in its own
    transaction, and the notification runs after that commit: of two concurrent runs,
    only the one whose insert succeeds sends.
    """
    sent = 0
    due = {reminder_key(c): c for c in commitments_due_soon(today=today)}
    reminded = set(Reminder.objects.filter(key__in=due).values_list("key", flat=True))
    for key, commitment in due.items():
        if key in reminded:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    key=key,
                    case_id=commitment.case_id,
                    event=hooks.PENDING_DUE_SOON,
                    sent_at=clock.now(),
                )
                hooks.hooks_schedule(event=hooks.PENDING_DUE_SOON, case_id=commitment.case_id)
        except IntegrityError:
            continue  # another run claimed it
        sent += 1
    return sent
