"""Setting up a centre's queues (排队队列): a letter, a name and the windows that serve it.

Used by the admin and the demo seed. The letter is one capital A–Z, once per centre (the
database enforces both too); a queue is served only by windows of its own centre.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from yichuang.hall.errors import HallConflict, HallError
from yichuang.hall.models import Queue
from yichuang.orgs.models import Centre, Window

_CODE = re.compile(r"^[A-Z]$")
_FIELDS = ("name", "description", "service_minutes", "slot_capacity", "sort_order", "is_active")


def check_queue(
    *, centre: Centre, code: str, name: str, windows: Iterable[Window], queue: Queue | None = None
) -> str:
    """The queue's letter, normalised; `HallError` / `HallConflict` where a rule is broken."""
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        raise HallError(
            code="queue_code_invalid", message=_("队列字母须为一个大写字母 A–Z"), field="code"
        )
    if not (name or "").strip():
        raise HallError(code="queue_name_missing", message=_("请填写队列名称"), field="name")
    taken = Queue.objects.filter(centre=centre, code=code)
    if queue is not None:
        taken = taken.exclude(pk=queue.pk)
    if taken.exists():
        raise HallConflict(
            code="queue_code_taken",
            message=_("本中心已有字母为%(code)s的队列") % {"code": code},
            field="code",
        )
    if any(w.centre_id != centre.pk for w in windows):
        raise HallError(
            code="queue_window_elsewhere",
            message=_("只能选择本中心的窗口"),
            field="windows",
        )
    return code


def queue_create(
    *,
    centre: Centre,
    code: str,
    name: str,
    windows: Iterable[Window] = (),
    description: str = "",
    service_minutes: int = 10,
    slot_capacity: int = 0,
    sort_order: int = 0,
    is_active: bool = True,
) -> Queue:
    """A new queue of the centre, served by `windows`."""
    windows = list(windows)
    code = check_queue(centre=centre, code=code, name=name, windows=windows)
    try:
        with transaction.atomic():
            queue = Queue.objects.create(
                centre=centre,
                code=code,
                name=name.strip(),
                description=description,
                service_minutes=service_minutes,
                slot_capacity=slot_capacity,
                sort_order=sort_order,
                is_active=is_active,
            )
            queue.windows.set(windows)
    except IntegrityError:  # a simultaneous creation of the same letter
        raise HallConflict(
            code="queue_code_taken",
            message=_("本中心已有字母为%(code)s的队列") % {"code": code},
            field="code",
        ) from None
    return queue


def queue_update(*, queue: Queue, code: str, windows: Iterable[Window], **values: object) -> Queue:
    """Change a queue's letter, windows and settings (`_FIELDS`); the centre stays."""
    unknown = set(values) - set(_FIELDS)
    if unknown:
        raise TypeError(f"unknown queue fields: {sorted(unknown)}")
    windows = list(windows)
    name = str(values.get("name", queue.name))
    code = check_queue(centre=queue.centre, code=code, name=name, windows=windows, queue=queue)
    with transaction.atomic():
        queue = Queue.objects.select_for_update().get(pk=queue.pk)
        queue.code = code
        for field, value in values.items():
            setattr(queue, field, value.strip() if field == "name" else value)
        queue.save(update_fields=["code", *values, "updated_at"])
        queue.windows.set(windows)
    return queue
