"""Public identity check: is this resident ID / USCC well-formed? No personal data is logged."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from yichuang.common.schemas import ErrorOut
from yichuang.identity.validation import check

router = Router(tags=["身份核验"])

# Longer input is a malformed request (422), not a number to check.
MAX_NUMBER_LENGTH = 64


class CheckIn(Schema):
    kind: Literal["resident_id", "uscc"] = Field(
        description="resident_id：公民身份号码；uscc：统一社会信用代码"
    )
    number: str = Field(max_length=MAX_NUMBER_LENGTH, description="待校验的号码")


class CheckOut(Schema):
    valid: bool
    code: str = Field(description="ok，或失败原因代码（wrong_length、bad_check_digit 等）")
    message: str
    normalized: str | None = Field(description="有效时为规范化后的号码，否则为 null")


@router.post(
    "/check",
    response={200: CheckOut, 422: ErrorOut},
    summary="校验身份证号码或统一社会信用代码",
    auth=None,
)
def check_number(request: HttpRequest, payload: CheckIn):
    """An invalid number is still a 200 answer with `valid: false` and the reason."""
    result = check(kind=payload.kind, number=payload.number)
    return {
        "valid": result.valid,
        "code": result.code,
        "message": result.message,
        "normalized": result.normalized,
    }
