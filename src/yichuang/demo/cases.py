"""Demo cases in every status, made through the case services with the clock set back.

Each scenario is a short story told in working days before today ("opened 8 working days
ago, accepted the same day, …"): the services run at those moments (`clock.frozen`), so
the numbers, notices, history chains, due dates and warning lights are exactly what real
use would have produced — some cases are on time, some near their limit, one overdue.
A scenario is keyed by `form_data["demo"]`; a second run skips the keys already there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from yichuang.cases import services
from yichuang.cases.models import Case, Task
from yichuang.cases.services.pending import cases_sweep
from yichuang.catalog.models import Material, ServiceItemVersion, VersionStatus
from yichuang.common import clock
from yichuang.demo import data
from yichuang.identity.models import Applicant, ApplicantKind, User
from yichuang.identity.validation import resident_id_check_character
from yichuang.workdays.selectors import calendar_get

# A one-page PDF: what a scanned material looks like to the platform (type from content).
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# Walk-in applicants (no login): name, resident ID body (17 digits), phone.
WALK_INS = (
    ("李桂兰", "15042219460915204", "13947600101"),  # 80 years old: 高龄津贴
    ("王建国", "15042219701103213", "13947600102"),
    ("孙丽华", "15042219850221302", "13947600103"),
    ("刘志强", "15042219920517411", "13947600104"),
    ("陈秀梅", "15042219780709526", "13947600105"),
    ("杨海军", "15042219880830617", "13947600106"),
    ("赵丽娟", "15042219951012728", "13947600107"),
    ("周福顺", "15042219660304839", "13947600108"),
)


@dataclass
class Story:
    """What a scenario needs: the people and a way to set the clock."""

    today: dt.date
    officer: User
    leader: User
    citizen: User
    company: User
    walk_ins: list[Applicant]

    def day(self, workdays_ago: int) -> dt.date:
        """The working day `workdays_ago` working days before today (0: the last working
        day up to today; negative: working days after it)."""
        calendar = calendar_get()
        day = self.today
        while not calendar.is_workday(day):
            day -= dt.timedelta(days=1)
        step = dt.timedelta(days=-1 if workdays_ago > 0 else 1)  # negative: days ahead
        for _ in range(abs(workdays_ago)):
            day += step
            while not calendar.is_workday(day):
                day += step
        return day

    def at(self, workdays_ago: int, hour: int = 10) -> Any:
        """Freeze the clock at `hour` o'clock that day — never later than a moment ago, so
        nothing in the demo happened in the future."""
        moment = timezone.make_aware(dt.datetime.combine(self.day(workdays_ago), dt.time(hour)))
        return clock.frozen(min(moment, timezone.now() - dt.timedelta(minutes=5)))


def _version(base_code: str) -> ServiceItemVersion:
    return ServiceItemVersion.objects.select_related("item").get(
        item__base_code=base_code, status=VersionStatus.PUBLISHED
    )


def _materials(version: ServiceItemVersion, *, pendable: bool | None = None) -> list[Material]:
    rows = version.materials.filter(required=True).exclude(source="data_sharing")
    if pendable is not None:
        rows = rows.filter(pendable=pendable)
    return list(rows.order_by("position"))


def _window_case(
    story: Story, key: str, base_code: str, applicant: Applicant, *, ago: int, pending=False
) -> Case:
    """Opened at the window `ago` working days ago with every material (but the pendable
    ones when `pending`)."""
    version = _version(base_code)
    with story.at(ago, 9):
        case = services.case_open(
            user=story.officer,
            item_version=version,
            applicant=applicant,
            form_data={"demo": key},
        )
        skip = {m.pk for m in _materials(version, pendable=True)} if pending else set()
        for material in _materials(version):
            if material.pk not in skip:
                services.case_material_add(
                    user=story.officer, case=case, content=SCAN, material=material
                )
    return case


def _online_case(story: Story, key: str, base_code: str, owner: User, *, ago: int) -> Case:
    version = _version(base_code)
    with story.at(ago, 20):  # in the evening, from home
        case = services.case_open(
            user=owner,
            item_version=version,
            applicant=owner.applicant,
            form_data={"demo": key, "说明": "网上申请"},
        )
        for material in _materials(version):
            services.case_material_add(user=owner, case=case, content=SCAN, material=material)
    return case


def _accept(story: Story, case: Case, *, ago: int, pending: bool = False, supply_in: int = 0):
    with story.at(ago, 11):
        if not pending:
            return services.case_accept(user=story.officer, case=case)
        signer = case.applicant
        signer_id = (
            signer.legal_representative_id
            if signer.kind == ApplicantKind.LEGAL_PERSON
            else signer.id_number
        )
        supply_by = story.day(ago - supply_in) if supply_in else None
        return services.case_accept(
            user=story.officer,
            case=case,
            pending=_materials(case.item_version, pendable=True),
            signed_by_name=signer.legal_representative or signer.name,
            signed_by_id_number=signer_id,
            supply_by=supply_by,
        )


def _reviewer(task: Task) -> User:
    return User.objects.get(staff__department=task.department, staff__roles__role="reviewer")


def _approve_stage(story: Story, case: Case, *, ago: int, only: int | None = None) -> None:
    """Every pending task of the current stage approves (`only`: just the first N)."""
    tasks = list(Task.objects.filter(case=case, status="pending").order_by("id"))
    for task in tasks[:only] if only is not None else tasks:
        with story.at(ago, 15):
            services.task_approve(user=_reviewer(task), task=task, opinion="材料齐全，符合条件")


def _approve_all_stages(story: Story, case: Case, *, ago: int) -> None:
    while Task.objects.filter(case=case, status="pending").exists():
        _approve_stage(story, case, ago=ago)


def _conclude(story: Story, case: Case, *, ago: int, **result: Any) -> Case:
    with story.at(ago, 16):
        return services.case_conclude(
            user=story.officer, case=Case.objects.get(pk=case.pk), **result
        )


def _sweep(story: Story, *, ago: int) -> None:
    with story.at(ago, 1):
        cases_sweep(today=story.day(ago))


# --- the scenarios, one per status (and the interesting variants) ------------------------


def s_draft(story: Story) -> None:
    version = _version("000101005000")  # 食品经营许可
    with story.at(0, 9):
        case = services.case_open(
            user=story.citizen,
            item_version=version,
            applicant=story.citizen.applicant,
            form_data={"demo": "draft", "说明": "小吃店食品经营许可"},
        )
        first = _materials(version)[0]
        services.case_material_add(user=story.citizen, case=case, content=SCAN, material=first)


def s_submitted(story: Story) -> None:
    case = _online_case(story, "submitted", "000702003000", story.citizen, ago=0)  # 失业保险金
    with story.at(0, 21):
        case = services.case_submit(user=story.citizen, case=case)


def s_correction_requested(story: Story) -> None:
    case = _online_case(story, "correction", "001201001000", story.citizen, ago=3)  # 医师执业注册
    with story.at(3, 21):
        case = services.case_submit(user=story.citizen, case=case)
    first = _materials(case.item_version)[0]
    with story.at(2, 10):
        services.case_request_correction(
            user=story.officer,
            case=case,
            items=[(first, "扫描件不完整，缺少第2页"), (None, "申请表未填写执业范围")],
        )


def s_awaiting_materials(story: Story) -> None:
    version = _version("000602001000")  # 最低生活保障审批
    with story.at(1, 9):
        case = services.case_open(
            user=story.officer,
            item_version=version,
            applicant=story.walk_ins[1],
            form_data={"demo": "awaiting"},
        )
        services.case_material_add(
            user=story.officer, case=case, content=SCAN, material=_materials(version)[0]
        )
        services.case_issue_one_time_notice(user=story.officer, case=case)


def s_not_accepted(story: Story) -> None:
    case = _window_case(story, "not_accepted", "000605002000", story.walk_ins[2], ago=5)
    with story.at(5, 9):
        services.case_refuse(
            user=story.officer,
            case=case,
            reason="申请人户籍不在本旗，婚姻登记档案不在本机关，请到原登记机关办理",
        )


def s_accepted_immediate(story: Story) -> None:
    case = _window_case(story, "accepted", "000305003000", story.walk_ins[3], ago=0)
    _accept(story, case, ago=0)


def s_in_review(story: Story) -> None:
    case = _window_case(story, "in_review", "000602005000", story.walk_ins[0], ago=1)  # 高龄津贴
    _accept(story, case, ago=1)


def s_parallel_half_done(story: Story) -> None:
    # 建筑工程施工许可证核发: 住建局, 自然资源局 and 人社局 in parallel; one has approved.
    case = _window_case(story, "parallel", "000901001000", story.company.applicant, ago=2)
    _accept(story, case, ago=2)
    _approve_stage(story, case, ago=1, only=1)


def s_overdue(story: Story) -> None:
    case = _window_case(story, "overdue", "001101001000", story.walk_ins[4], ago=8)  # 道路货运
    _accept(story, case, ago=8)


def s_pending_materials(story: Story) -> None:
    case = _window_case(
        story, "pending", "001201002000", story.walk_ins[5], ago=1, pending=True
    )  # 护士执业注册
    _accept(story, case, ago=1, pending=True, supply_in=3)


def s_special_procedure(story: Story) -> None:
    case = _window_case(story, "special", "001001001000", story.company.applicant, ago=4)
    _accept(story, case, ago=4)  # 建设用地规划许可证核发
    task = Task.objects.get(case=case, status="pending")
    with story.at(2, 14):
        services.case_suspend(
            user=_reviewer(task),
            task=task,
            kind="expert_review",
            reason="用地规模较大，需组织专家评审",
        )


def s_review_correction(story: Story) -> None:
    case = _window_case(story, "review_correction", "000805003000", story.walk_ins[6], ago=3)
    _accept(story, case, ago=3)  # 门诊慢特病待遇认定
    task = Task.objects.get(case=case, status="pending")
    with story.at(1, 15):
        services.task_request_correction(
            user=_reviewer(task),
            task=task,
            items=[(_materials(case.item_version)[0], "病历资料须加盖医院公章")],
        )


def s_pending_overdue(story: Story) -> None:
    case = _window_case(
        story, "pending_overdue", "001101002000", story.walk_ins[7], ago=6, pending=True
    )
    _accept(story, case, ago=6, pending=True, supply_in=2)
    _sweep(story, ago=3)  # the night after the supplement deadline


def s_returned(story: Story) -> None:
    owner = story.walk_ins[1]
    case = _window_case(story, "returned", "001201003000", owner, ago=25, pending=True)
    _accept(story, case, ago=25, pending=True, supply_in=3)  # 公共场所卫生许可
    _sweep(story, ago=21)
    _sweep(story, ago=6)  # 15 working days later: returned


def s_pending_decision(story: Story) -> None:
    case = _window_case(story, "pending_decision", "000520001000", story.walk_ins[2], ago=2)
    _accept(story, case, ago=2)  # 住房公积金提取（购买自住住房）
    _approve_all_stages(story, case, ago=1)


def s_extension_requested(story: Story) -> None:
    case = _window_case(story, "extension", "000802004000", story.walk_ins[3], ago=12)
    _accept(story, case, ago=12)  # 医疗费用零星报销, 20 working days
    task = Task.objects.get(case=case, status="pending")
    with story.at(0, 10):
        services.extension_request(
            user=_reviewer(task),
            task=task,
            workdays=5,
            reason="异地就医票据需向就医地医保部门核实",
        )


def s_approved(story: Story) -> None:
    case = _window_case(story, "approved", "000101006000", story.company.applicant, ago=6)
    _accept(story, case, ago=6)  # 特种设备使用登记
    _approve_all_stages(story, case, ago=2)
    with story.at(1, 10):
        services.case_decide(
            user=story.leader, case=Case.objects.get(pk=case.pk), outcome="approved"
        )


def s_refused(story: Story) -> None:
    case = _window_case(story, "refused", "001001003000", story.walk_ins[4], ago=7)
    _accept(story, case, ago=7)  # 乡村建设规划许可证核发
    task = Task.objects.get(case=case, status="pending")
    with story.at(3, 11):
        services.task_reject(
            user=_reviewer(task),
            task=task,
            reason="拟建位置占用永久基本农田，不符合村庄规划",
        )


def s_withdrawn(story: Story) -> None:
    case = _online_case(story, "withdrawn", "000101002000", story.citizen, ago=4)
    with story.at(4, 21):
        case = services.case_submit(user=story.citizen, case=case)
    with story.at(3, 9):
        services.case_withdraw(user=story.citizen, case=case, reason="经营地址变更，重新申请")


def s_concluded_immediate(story: Story) -> None:
    case = _online_case(story, "concluded_online", "000320002000", story.citizen, ago=3)
    with story.at(3, 21):
        case = services.case_submit(user=story.citizen, case=case)
    _accept(story, case, ago=2)  # 无犯罪记录证明开具
    with story.at(2, 14):
        services.case_decide(
            user=story.officer, case=Case.objects.get(pk=case.pk), outcome="approved"
        )
    _conclude(story, case, ago=2, result_number="林公证〔2026〕0412号", delivery="electronic")


def s_concluded_post(story: Story) -> None:
    case = _window_case(story, "concluded_post", "000101001000", story.company.applicant, ago=5)
    _accept(story, case, ago=5)  # 企业设立登记
    _approve_all_stages(story, case, ago=4)
    with story.at(4, 15):
        services.case_decide(
            user=story.leader, case=Case.objects.get(pk=case.pk), outcome="approved"
        )
    _conclude(
        story,
        case,
        ago=4,
        result_number="91150422MA0Q7L8C1X",
        delivery="post",
        tracking_number="EMS1150422001",
    )


SCENARIOS: tuple[tuple[str, Callable[[Story], None]], ...] = (
    ("draft", s_draft),
    ("submitted", s_submitted),
    ("correction", s_correction_requested),
    ("awaiting", s_awaiting_materials),
    ("not_accepted", s_not_accepted),
    ("accepted", s_accepted_immediate),
    ("in_review", s_in_review),
    ("parallel", s_parallel_half_done),
    ("overdue", s_overdue),
    ("pending", s_pending_materials),
    ("special", s_special_procedure),
    ("review_correction", s_review_correction),
    ("pending_overdue", s_pending_overdue),
    ("returned", s_returned),
    ("pending_decision", s_pending_decision),
    ("extension", s_extension_requested),
    ("approved", s_approved),
    ("refused", s_refused),
    ("withdrawn", s_withdrawn),
    ("concluded_online", s_concluded_immediate),
    ("concluded_post", s_concluded_post),
)


def _walk_ins() -> list[Applicant]:
    people = []
    for name, body, phone in WALK_INS:
        number = body + resident_id_check_character(body)
        person, _created = Applicant.objects.get_or_create(
            kind=ApplicantKind.NATURAL_PERSON,
            id_number=number,
            defaults={"name": name, "phone": phone},
        )
        people.append(person)
    return people


def demo_cases_seed(*, today: dt.date | None = None) -> int:
    """Play every scenario not played yet; return how many cases were made."""
    done = set(
        Case.objects.filter(form_data__has_key="demo").values_list("form_data__demo", flat=True)
    )
    todo = [(key, play) for key, play in SCENARIOS if key not in done]
    if not todo:
        return 0
    story = Story(
        today=today or clock.today(),
        officer=User.objects.get(username=f"window{data.COMPREHENSIVE_WINDOWS[0]}"),
        leader=User.objects.get(username="leader"),
        citizen=User.objects.get(username="citizen1"),
        company=User.objects.get(username="company1"),
        walk_ins=_walk_ins(),
    )
    for _key, play in todo:
        with transaction.atomic():
            play(story)
    return len(todo)
