"""The case engine's actions. One use case, one function, one transaction."""

from yichuang.cases.services.acceptance import (
    case_accept,
    case_issue_one_time_notice,
    case_refuse,
    case_request_correction,
)
from yichuang.cases.services.conclusion import case_conclude, case_decide, case_withdraw
from yichuang.cases.services.materials import case_material_add
from yichuang.cases.services.opening import case_open, case_submit
from yichuang.cases.services.pending import cases_sweep

__all__ = [
    "case_accept",
    "case_conclude",
    "case_decide",
    "case_issue_one_time_notice",
    "case_material_add",
    "case_open",
    "case_refuse",
    "case_request_correction",
    "case_submit",
    "case_withdraw",
    "cases_sweep",
]
