"""The case engine's actions. One use case, one function, one transaction."""

from yichuang.cases.services.acceptance import (
    case_accept,
    case_issue_one_time_notice,
    case_refuse,
    case_request_correction,
)
from yichuang.cases.services.conclusion import case_conclude, case_decide, case_withdraw
from yichuang.cases.services.extensions import extension_decide, extension_request
from yichuang.cases.services.materials import case_material_add
from yichuang.cases.services.opening import case_open, case_submit
from yichuang.cases.services.pending import cases_sweep
from yichuang.cases.services.review import (
    stage_start,
    task_approve,
    task_reject,
    tasks_deem_consent,
)
from yichuang.cases.services.suspensions import (
    case_resume,
    case_supplement_submit,
    case_suspend,
    task_request_correction,
)
from yichuang.cases.services.timing import case_due_refresh, case_light, task_light

__all__ = [
    "case_accept",
    "case_conclude",
    "case_decide",
    "case_due_refresh",
    "case_issue_one_time_notice",
    "case_light",
    "case_material_add",
    "case_open",
    "case_refuse",
    "case_request_correction",
    "case_resume",
    "case_submit",
    "case_supplement_submit",
    "case_suspend",
    "case_withdraw",
    "cases_sweep",
    "extension_decide",
    "extension_request",
    "stage_start",
    "task_approve",
    "task_light",
    "task_reject",
    "task_request_correction",
    "tasks_deem_consent",
]
