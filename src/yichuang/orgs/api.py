"""Public read API of the centres: the tree, and one centre with departments and windows.

No personal data of staff is exposed here.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from yichuang.common.schemas import ErrorOut
from yichuang.orgs.selectors import centres_public, public_centre_detail

router = Router(tags=["服务中心"])


class CentreOut(Schema):
    name: str
    code: str
    level: str
    level_label: str
    parent_code: str | None
    depth: int
    address: str
    phone: str
    complaint_phone: str
    opening_hours: str


class DepartmentOut(Schema):
    name: str
    short_name: str
    uscc: str
    phone: str


class WindowOut(Schema):
    number: int
    name: str
    kind: str
    kind_label: str
    departments: list[str]


class CentreDetailOut(CentreOut):
    departments: list[DepartmentOut]
    windows: list[WindowOut]


def _centre(centre) -> dict:
    return {
        "name": centre.name,
        "code": centre.code,
        "level": centre.level,
        "level_label": str(centre.get_level_display()),
        "parent_code": centre.parent.code if centre.parent_id else None,
        "depth": centre.path.count("/") - 2,
        "address": centre.address,
        "phone": centre.phone,
        "complaint_phone": centre.complaint_phone,
        "opening_hours": centre.opening_hours,
    }


@router.get("/centres", response=list[CentreOut], summary="服务中心列表（按层级树顺序）")
def list_centres(request: HttpRequest):
    """Active centres in tree order (parents before children); `parent_code` links the tree."""
    return [_centre(c) for c in centres_public()]


@router.get(
    "/centres/{code}",
    response={200: CentreDetailOut, 404: ErrorOut},
    summary="服务中心详情（进驻部门与窗口）",
)
def get_centre(request: HttpRequest, code: str):
    centre, departments, windows = public_centre_detail(code=code)
    return {
        **_centre(centre),
        "departments": [
            {"name": d.name, "short_name": d.short_name, "uscc": d.uscc, "phone": d.phone}
            for d in departments
        ],
        "windows": [
            {
                "number": w.number,
                "name": w.name,
                "kind": w.kind,
                "kind_label": str(w.get_kind_display()),
                "departments": [d.short_name or d.name for d in w.departments.all()],
            }
            for w in windows
        ],
    }
