"""The case engine's actions. One use case, one function, one transaction."""

from yichuang.cases.services.acceptance import (
    case_accept,
    case_issue_one_time_notice,
    case_refuse,
)
from yichuang.cases.services.materials import case_material_add
from yichuang.cases.services.opening import case_open, case_submit

__all__ = [
    "case_accept",
    "case_issue_one_time_notice",
    "case_material_add",
    "case_open",
    "case_refuse",
    "case_submit",
]
