"""API schemas shared by every app: the error body every 4xx answer carries."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """`{"code": "machine_code", "message": "中文说明"}`, optionally with the field and details."""

    code: str
    message: str
    field: str | None = None
    details: Any = None
