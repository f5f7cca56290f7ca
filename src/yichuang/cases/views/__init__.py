"""The staff back office: window desk, department inbox, leader overview (Chinese pages)."""

from yichuang.cases.views.department_inbox import inbox, inbox_decide, task_action, task_page
from yichuang.cases.views.files import material_file
from yichuang.cases.views.leader_overview import extension_decide, overview, overview_decide
from yichuang.cases.views.notices import notice_file
from yichuang.cases.views.window_desk import (
    accept,
    accept_pending,
    case_open,
    desk,
    desk_case,
    material_upload,
    one_time_notice,
    refuse,
    request_correction,
)
from yichuang.cases.views.window_result import (
    result_issue,
    supplement_received,
    window_conclude,
    window_refuse,
)

__all__ = [
    "accept",
    "accept_pending",
    "case_open",
    "desk",
    "desk_case",
    "extension_decide",
    "inbox",
    "inbox_decide",
    "material_file",
    "material_upload",
    "notice_file",
    "one_time_notice",
    "overview",
    "overview_decide",
    "refuse",
    "request_correction",
    "result_issue",
    "supplement_received",
    "task_action",
    "task_page",
    "window_conclude",
    "window_refuse",
]
