"""Handing in materials: PDF, JPEG or PNG, typed from the content, stored through storage."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.cases.errors import CaseError
from yichuang.cases.history import case_event_record
from yichuang.cases.locks import case_lock
from yichuang.cases.models import Case, MaterialOrigin, SubmittedMaterial
from yichuang.cases.services._base import acts_for_applicant, case_not_found, staff_acting
from yichuang.cases.services.pending import commitments_check
from yichuang.cases.workflow import FINAL_STATUSES, Actor, Status
from yichuang.catalog.models import Material
from yichuang.common import clock
from yichuang.orgs.selectors import staff_for_user

# Magic numbers → (content type, extension). The name a file arrives with is not trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
CLOSED = FINAL_STATUSES | {Status.APPROVED, Status.REFUSED}
ACCEPTED_ONWARDS = frozenset(
    {Status.ACCEPTED, Status.IN_REVIEW, Status.SUSPENDED, Status.PENDING_DECISION}
)


def upload_limit() -> int:
    return settings.YICHUANG["UPLOAD_MAX_BYTES"]


def upload_size_check(*, size: int) -> None:
    """`file_too_large` when a file is over the upload limit (forms call it before reading
    the file into memory)."""
    if size > upload_limit():
        raise CaseError(
            code="file_too_large",
            message=_("文件不能超过 %(mb)d MB") % {"mb": upload_limit() // (1024 * 1024)},
            field="file",
        )


def sniff(content: bytes) -> tuple[str, str]:
    """(content type, extension) from the first bytes; `file_type_not_allowed` otherwise."""
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return content_type, extension
    raise CaseError(
        code="file_type_not_allowed",
        message=_("只能上传 PDF、JPEG 或 PNG 文件"),
        field="file",
    )


def case_material_add(
    *, user: Any, case: Case, content: bytes, material: Material | None = None
) -> SubmittedMaterial:
    """Attach a file to the case, optionally as one of the item's catalogue materials.

    The applicant (or agent) uploads; a window officer of the case's centre scans. After
    acceptance an upload is a supplement.
    """
    if acts_for_applicant(user, case=case):
        by = Actor.APPLICANT
    elif staff_for_user(user) is not None:
        staff_acting(user, centre=case.centre)
        by = Actor.STAFF
    else:
        raise case_not_found()
    if material is not None and material.version_id != case.item_version_id:
        raise CaseError(
            code="material_not_of_item", message=_("该材料不属于本事项"), field="material"
        )
    if not content:
        raise CaseError(code="file_empty", message=_("文件为空"), field="file")
    upload_size_check(size=len(content))
    content_type, extension = sniff(content)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        locked = case_lock(case_id=case.pk)
        # An approval whose result is held for pending materials (容缺) still takes them.
        held = (
            locked.status == Status.APPROVED
            and locked.commitments.filter(fulfilled_at__isnull=True).exists()
        )
        if locked.status in CLOSED and not held:
            raise CaseError(code="case_closed", message=_("办件已结束，不能再提交材料"))
        if locked.status in ACCEPTED_ONWARDS or held:
            origin = MaterialOrigin.SUPPLEMENT
        else:
            origin = (
                MaterialOrigin.APPLICANT_UPLOAD
                if by == Actor.APPLICANT
                else MaterialOrigin.WINDOW_SCAN
            )
        row = SubmittedMaterial(
            case=locked,
            material=material,
            sha256=digest,
            content_type=content_type,
            size=len(content),
            origin=origin,
            uploaded_at=clock.now(),
            uploaded_by=user,
        )
        row.file.save(f"{digest[:32]}.{extension}", ContentFile(content), save=False)
        # If anything below fails, the transaction rolls back and the stored file must not
        # stay behind without its row.
        try:
            row.save()
            case_event_record(
                case=locked,
                actor=user,
                actor_kind=by,
                kind="material_added",
                data={
                    "material": material.pk if material else None,
                    "name": material.name if material else "",
                    "sha256": digest,
                    "size": len(content),
                    "origin": origin,
                },
            )
            if origin == MaterialOrigin.SUPPLEMENT:
                commitments_check(case=locked, user=user)
        except BaseException:
            row.file.storage.delete(row.file.name)
            raise
    return row
