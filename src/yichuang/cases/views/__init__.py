"""The staff back office: window desk, department inbox, leader overview (Chinese pages)."""

from yichuang.cases.views.department_inbox import inbox, task_action, task_page
from yichuang.cases.views.files import material_file
from yichuang.cases.views.leader_overview import extension_decide, overview
from yichuang.cases.views.window_desk import (
    accept,
    accept_pending,
    case_open,
    desk,
    desk_case,
    material_upload,
    one_time_notice,
    refuse,
)

__all__ = [
    "accept",
    "accept_pending",
    "case_open",
    "desk",
    "desk_case",
    "extension_decide",
    "inbox",
    "material_file",
    "material_upload",
    "one_time_notice",
    "overview",
    "refuse",
    "task_action",
    "task_page",
]
