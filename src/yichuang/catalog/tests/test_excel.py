"""Excel import and export of the catalogue: round trip, bad files, the commands, the admin."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from yichuang.catalog import admin_excel, excel
from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    CrossRegionScope,
    HandlingKind,
    ItemType,
    LimitUnit,
    Material,
    MaterialForm,
    MaterialSource,
    ProcessStageTask,
    RejectionPolicy,
    ResultType,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
    depth_mask,
)
from yichuang.catalog.tests import factories
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


# --- helpers --------------------------------------------------------------------------------------


@pytest.fixture
def centre():
    return orgs_factories.centre(code="excel-centre")


@pytest.fixture
def departments(centre):
    return [
        orgs_factories.department(centre=centre, name="市场监督管理局"),
        orgs_factories.department(centre=centre, name="税务局"),
    ]


@pytest.fixture
def windows(centre):
    return [orgs_factories.window(centre=centre, number=n) for n in (1, 2, 3)]


def build_catalogue(departments, windows) -> None:
    """Three published items with every kind of column filled, and one bundle."""
    market, tax = departments
    licence = factories.published_item(
        department=market,
        materials=0,
        name="企业设立登记",
        item_type=ItemType.LICENCE,
        for_natural_persons=False,
        for_legal_persons=True,
        handled_online=True,
        handled_by_post=True,
        conditions="申请人应当具备……\n第二行",
        fee_charged=True,
        fee_basis="《收费管理办法》",
        fee_standard="每件 10 元",
        online_depth=depth_mask([1, 2, 3, 4]),
        booking_supported=True,
        cross_region_scope=CrossRegionScope.PROVINCE,
        result_name="营业执照",
        result_type=ResultType.CERTIFICATE,
        rejection_policy=RejectionPolicy.RETURN_TO_PREVIOUS_STAGE,
        keywords="营业执照,开办企业",
        promised_limit_unit=LimitUnit.NATURAL_DAY,
        business_code="000123",
    )
    licence.windows.set(windows[:2])
    Material.objects.create(
        version=licence,
        position=1,
        name="公司登记申请书",
        required=True,
        pendable=False,
        form=MaterialForm.ORIGINAL,
        copies=2,
        acceptance_standard="签字盖章",
    )
    Material.objects.create(
        version=licence,
        position=2,
        name="营业执照复印件",
        required=False,
        source=MaterialSource.DATA_SHARING,
        form=MaterialForm.COPY,
        issuing_body="市场监督管理局",
        note="可免提交",
    )
    Material.objects.create(
        version=licence,
        position=3,
        name="住所使用证明",
        required=True,
        pendable=True,
        source=MaterialSource.OTHER_BODY,
        form=MaterialForm.ORIGINAL_AND_COPY,
    )
    for department, limit in ((tax, 2), (market, 1)):
        ProcessStageTask.objects.create(
            version=licence,
            stage=2,
            stage_name="联审",
            department=department,
            limit_workdays=limit,
            deemed_consent_on_timeout=True,
        )
    immediate = factories.published_item(
        department=tax,
        name="个体工商户税务登记",
        item_type=ItemType.PUBLIC_SERVICE,
        handling_kind=HandlingKind.IMMEDIATE,
        promised_limit=0,
        trips=0,
        fully_online=True,
        handled_online=True,
        online_depth=depth_mask([1, 2, 3, 4, 5, 6]),
        kiosk_handling=True,
    )
    immediate.windows.set([windows[2]])
    immediate.stage_tasks.update(limit_workdays=0)
    factories.published_item(department=market, name="食品经营许可", materials=1)
    bundle = Bundle.objects.create(
        centre=market.centre, code="kaiban", name="企业开办一件事", description="一次办完"
    )
    for position, version in enumerate((licence, immediate), start=1):
        BundleItem.objects.create(bundle=bundle, item=version.item, position=position)


def snapshot(centre) -> dict:
    """Everything the workbook carries, keyed by implementation and bundle code."""
    items = {}
    for item in ServiceItem.objects.filter(centre=centre):
        published = item.versions.get(status=VersionStatus.PUBLISHED)
        items[item.implementation_code] = (
            item.base_code,
            item.department_id,
            excel.version_content(published),
        )
    bundles = {b.code: excel.bundle_content(b) for b in Bundle.objects.filter(centre=centre)}
    return {"items": items, "bundles": bundles}


def wipe_catalogue() -> None:
    BundleItem.objects.all().delete()
    Bundle.objects.all().delete()
    ServiceItemVersion.objects.all().delete()
    ServiceItem.objects.all().delete()


def exported(centre) -> io.BytesIO:
    buffer = io.BytesIO()
    excel.export_catalog(centre=centre, file=buffer)
    buffer.seek(0)
    return buffer


def workbook_with(rows: dict[str, list[dict[str, object]]]) -> io.BytesIO:
    """A workbook made from the blank template with `rows` (by sheet, cells by header)."""
    buffer = io.BytesIO()
    excel.export_template(file=buffer)
    buffer.seek(0)
    workbook = load_workbook(buffer)
    for sheet, sheet_rows in rows.items():
        headers = [c.value for c in workbook[sheet][1]]
        for row in sheet_rows:
            workbook[sheet].append([row.get(h) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def item_row(department, **overrides) -> dict[str, object]:
    """A 事项 row that may be published as it is: an immediate public service."""
    code = overrides.pop("code", "000000000901")
    row = {
        "实施编码": f"{department.uscc}4{code}",
        "基本编码": code,
        "事项名称": "测试导入事项",
        "事项类型": "公共服务",
        "行使层级": "县级",
        "实施主体": department.name,
        "服务对象": "自然人",
        "办理形式": "窗口办理",
        "办件类型": "即办件",
        "法定办结时限": 20,
        "承诺办结时限": 0,
        "到办事现场次数": 1,
        "是否收费": "否",
    }
    row.update(overrides)
    return row


# --- round trip ----------------------------------------------------------------------------------


def test_export_writes_the_template_headers_and_chinese_labels(centre, departments, windows):
    build_catalogue(departments, windows)

    workbook = load_workbook(exported(centre), read_only=True)

    assert workbook.sheetnames == ["事项", "材料", "流程", "一件事"]
    rows = list(workbook["事项"].iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in excel.ITEM_COLUMNS]
    by_name = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    licence = by_name["企业设立登记"]
    assert licence["事项类型"] == "行政许可"
    assert licence["服务对象"] == "法人"
    assert licence["办理形式"] == "窗口办理,网上办理,快递申请"
    assert licence["网办深度"] == "1,2,3,4"
    assert licence["办理窗口"] == "1,2"
    assert licence["是否收费"] == "是"
    assert licence["承诺时限单位"] == "自然日"
    bundles = list(workbook["一件事"].iter_rows(values_only=True))
    assert bundles[1][:3] == ("kaiban", "企业开办一件事", "一次办完")


def test_export_then_import_on_an_empty_catalogue_round_trips(centre, departments, windows):
    build_catalogue(departments, windows)
    before = snapshot(centre)
    file = exported(centre)
    wipe_catalogue()

    report = excel.import_catalog(file, centre=centre)

    assert snapshot(centre) == before
    assert len(report.created) == 3
    assert report.bundles_created == ["kaiban"]


def test_export_then_import_on_the_same_catalogue_changes_nothing(centre, departments, windows):
    build_catalogue(departments, windows)
    versions_before = ServiceItemVersion.objects.count()

    report = excel.import_catalog(exported(centre), centre=centre)

    assert report.counts() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "bundles_created": 0,
        "bundles_updated": 0,
        "bundles_unchanged": 1,
    }
    assert ServiceItemVersion.objects.count() == versions_before


def test_a_changed_row_publishes_a_new_version_and_archives_the_old(centre, departments):
    version = factories.published_item(department=departments[0], name="旧名称")
    file = exported(centre)
    workbook = load_workbook(file)
    workbook["事项"]["C2"] = "新名称"
    changed = io.BytesIO()
    workbook.save(changed)

    report = excel.import_catalog(changed, centre=centre)

    assert report.updated == [version.item.implementation_code]
    statuses = dict(version.item.versions.values_list("name", "status"))
    assert statuses == {"旧名称": VersionStatus.ARCHIVED, "新名称": VersionStatus.PUBLISHED}


def test_draft_import_leaves_the_new_version_unpublished(centre, departments):
    file = workbook_with({"事项": [item_row(departments[0])]})

    report = excel.import_catalog(file, centre=centre, publish=False)

    assert len(report.created) == 1
    version = ServiceItemVersion.objects.get()
    assert version.status == VersionStatus.DRAFT


def test_a_row_breaking_the_publish_rules_is_reported_at_its_cell(centre, departments):
    row = item_row(departments[0], 全程网办="是", 到办事现场次数=1)

    with pytest.raises(excel.ImportRejected) as caught:
        excel.import_catalog(workbook_with({"事项": [row]}), centre=centre)

    assert ("事项", 2, "到办事现场次数") in {
        (e.sheet, e.row, e.column) for e in caught.value.errors
    }


def test_a_material_breaking_the_publish_rules_is_reported_on_its_row(centre, departments):
    row = item_row(departments[0])
    code = row["实施编码"]
    materials = [
        {"实施编码": code, "材料名称": "身份证", "必要": "是"},
        {"实施编码": code, "材料名称": "户口簿", "必要": "否", "可容缺": "是"},
    ]

    with pytest.raises(excel.ImportRejected) as caught:
        excel.import_catalog(workbook_with({"事项": [row], "材料": materials}), centre=centre)

    [error] = caught.value.errors
    assert (error.sheet, error.row) == ("材料", 3)
    assert "户口簿" in error.message


def test_a_draft_import_does_not_apply_the_publish_rules(centre, departments):
    row = item_row(departments[0], 全程网办="是", 到办事现场次数=1)

    report = excel.import_catalog(workbook_with({"事项": [row]}), centre=centre, publish=False)

    assert len(report.created) == 1
    assert ServiceItemVersion.objects.get().status == VersionStatus.DRAFT


def test_an_unchanged_item_is_not_held_to_rules_added_after_it_was_published(centre, departments):
    version = factories.published_item(department=departments[0], materials=0)
    file = exported(centre)

    report = excel.import_catalog(file, centre=centre)

    assert report.unchanged == [version.item.implementation_code]


def test_blank_material_positions_follow_the_sheet_order(centre, departments):
    row = item_row(departments[0])
    code = row["实施编码"]
    file = workbook_with(
        {
            "事项": [row],
            "材料": [{"实施编码": code, "材料名称": "乙"}, {"实施编码": code, "材料名称": "甲"}],
        }
    )

    excel.import_catalog(file, centre=centre)

    assert list(Material.objects.values_list("position", "name")) == [(1, "乙"), (2, "甲")]


def test_progress_is_reported_for_every_item(centre, departments):
    rows = [item_row(departments[0], code=f"00000000090{n}") for n in range(3)]
    seen = []

    excel.import_catalog(
        workbook_with({"事项": rows}),
        centre=centre,
        progress=lambda phase, done, total: seen.append((done, total)),
    )

    assert seen == [(1, 3), (2, 3), (3, 3)]


# --- bad files -----------------------------------------------------------------------------------


def test_a_bad_workbook_reports_every_problem_and_imports_nothing(centre, departments, windows):
    market = departments[0]
    good = item_row(market, code="000000000001")
    file = workbook_with(
        {
            "事项": [
                good,
                item_row(market, code="000000000002", 事项类型="行政许可证"),
                item_row(market, code="000000000003", 承诺办结时限="五天"),
                item_row(market, code="000000000004", 实施主体="不存在的局"),
                item_row(market, code="000000000005", 办理窗口="1,9"),
                item_row(market, code="000000000001"),
                item_row(market, code="000000000006", 是否收费="是"),
                item_row(market, code="000000000007", 事项名称=None),
            ],
            "材料": [{"实施编码": "没有这个事项", "材料名称": "申请书"}],
            "流程": [
                {
                    "实施编码": good["实施编码"],
                    "环节序号": 1,
                    "环节名称": "审查",
                    "审批部门": market.name,
                    "时限（工作日）": "三",
                }
            ],
            "一件事": [{"代码": "kaiban", "名称": "开办", "包含事项实施编码": "X1"}],
        }
    )

    with pytest.raises(excel.ImportRejected) as caught:
        excel.import_catalog(file, centre=centre)

    where = {(e.sheet, e.row, e.column) for e in caught.value.errors}
    assert where >= {
        ("事项", 3, "事项类型"),
        ("事项", 4, "承诺办结时限"),
        ("事项", 5, "实施主体"),
        ("事项", 6, "办理窗口"),
        ("事项", 7, "实施编码"),
        ("事项", 8, "收费依据"),
        ("事项", 8, "收费标准"),
        ("事项", 9, "事项名称"),
        ("材料", 2, "实施编码"),
        ("流程", 2, "时限（工作日）"),
        ("一件事", 2, "包含事项实施编码"),
    }
    assert len(caught.value.errors) == len(where)
    assert ServiceItem.objects.count() == 0
    assert Bundle.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({"事项类型": "行政许可证"}, "事项类型", "不是有效选项"),
        ({"承诺办结时限": "五天"}, "承诺办结时限", "不是整数"),
        ({"到办事现场次数": 3}, "到办事现场次数", "应在 0 到 2 之间"),
        ({"是否收费": "也许"}, "是否收费", "应填“是”或“否”"),
        ({"服务对象": "外国人"}, "服务对象", "不是有效选项"),
        ({"网办深度": "1,9"}, "网办深度", "不是网办深度等级"),
        ({"办理窗口": "7"}, "办理窗口", "没有 7 号窗口"),
        ({"实施主体": "不存在的局"}, "实施主体", "没有名称或统一社会信用代码"),
        ({"事项名称": "名" * 201}, "事项名称", "不能超过 200 个字符"),
        ({"基本编码": None}, "基本编码", "必填"),
    ],
)
def test_a_bad_cell_is_reported_with_its_row_column_and_reason(
    centre, departments, overrides, column, reason
):
    file = workbook_with({"事项": [item_row(departments[0], **overrides)]})

    with pytest.raises(excel.ImportRejected) as caught:
        excel.import_catalog(file, centre=centre)

    [error] = caught.value.errors
    assert (error.sheet, error.row, error.column) == ("事项", 2, column)
    assert reason in error.message


def test_a_department_may_be_named_by_its_uscc(centre, departments):
    file = workbook_with({"事项": [item_row(departments[1], 实施主体=departments[1].uscc)]})

    excel.import_catalog(file, centre=centre)

    assert ServiceItem.objects.get().department == departments[1]


def test_an_existing_item_of_another_centre_is_not_taken_over(centre, departments):
    other = factories.published_item()
    row = item_row(departments[0])
    row["实施编码"] = other.item.implementation_code

    with pytest.raises(excel.ImportRejected) as caught:
        excel.import_catalog(workbook_with({"事项": [row]}), centre=centre)

    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "实施编码")]


@pytest.mark.parametrize(
    "content",
    [b"not an excel file", b"PK\x03\x04 broken zip", b""],
    ids=["text", "broken-zip", "empty"],
)
def test_a_file_that_is_not_xlsx_is_rejected_with_a_clear_message(centre, content):
    with pytest.raises(excel.ImportFileInvalid) as caught:
        excel.import_catalog(io.BytesIO(content), centre=centre)

    assert "xlsx" in caught.value.message


def test_a_workbook_with_no_rows_is_rejected(centre):
    with pytest.raises(excel.ImportFileInvalid) as caught:
        excel.import_catalog(workbook_with({}), centre=centre)

    assert caught.value.code == "catalog_import_empty"


def test_missing_sheets_and_columns_are_reported(centre, departments):
    file = workbook_with({"事项": [item_row(departments[0])]})
    workbook = load_workbook(file)
    del workbook["流程"]
    workbook["材料"].delete_cols(3)  # 材料名称
    broken = io.BytesIO()
    workbook.save(broken)

    with pytest.raises(excel.ImportRejected) as caught:
        excel.import_catalog(broken, centre=centre)

    assert [str(e) for e in caught.value.errors] == [
        "材料 第1行 「材料名称」：缺少此列",
        "流程：缺少工作表「流程」",
    ]


# --- commands ------------------------------------------------------------------------------------


def test_import_command_prints_the_counts(centre, departments, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(workbook_with({"事项": [item_row(departments[0])]}).getvalue())
    out, err = StringIO(), StringIO()

    call_command("import_catalog", str(path), centre=centre.code, stdout=out, stderr=err)

    assert "新增 1" in out.getvalue()
    assert ServiceItem.objects.count() == 1


def test_import_command_prints_every_bad_row_and_fails(centre, departments, tmp_path):
    path = tmp_path / "bad.xlsx"
    rows = [item_row(departments[0], 承诺办结时限="五天"), item_row(departments[0], 事项类型="x")]
    path.write_bytes(workbook_with({"事项": rows}).getvalue())
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_catalog", str(path), centre=centre.code, stderr=err)

    assert caught.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert any(line.startswith("事项 第2行 「承诺办结时限」：") for line in lines)
    assert any(line.startswith("事项 第3行 「事项类型」：") for line in lines)
    assert ServiceItem.objects.count() == 0


def test_import_command_rejects_a_file_that_is_not_xlsx(centre, tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text("实施编码,事项名称\n")

    with pytest.raises(CommandError, match="xlsx"):
        call_command("import_catalog", str(path), centre=centre.code, stderr=StringIO())


def test_import_command_needs_a_known_centre(tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(workbook_with({}).getvalue())

    with pytest.raises(CommandError, match="服务中心"):
        call_command("import_catalog", str(path), centre="nowhere", stderr=StringIO())


def test_export_command_writes_the_published_catalogue(centre, departments, windows, tmp_path):
    build_catalogue(departments, windows)
    path = tmp_path / "out.xlsx"

    call_command("export_catalog", str(path), centre=centre.code, stdout=StringIO())

    rows = list(load_workbook(path, read_only=True)["事项"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3


def test_export_command_writes_a_blank_template_with_drop_downs(tmp_path):
    path = tmp_path / "template.xlsx"

    call_command("export_catalog", str(path), template=True, stdout=StringIO())

    sheet = load_workbook(path)["事项"]
    assert sheet.max_row == 1
    lists = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any("行政许可" in formula for formula in lists)


# --- the documented template -------------------------------------------------------------------


def test_every_column_of_the_template_is_documented():
    doc = (Path(__file__).parents[4] / "docs" / "catalog-excel-template.md").read_text()

    for sheet, columns in excel.COLUMNS.items():
        assert f"## Sheet {sheet}" in doc
        for column in columns:
            assert f"| {column.header} |" in doc, column.header


# --- admin ---------------------------------------------------------------------------------------

IMPORT_URL = "admin:catalog_serviceitem_excel_import"
EXPORT_URL = "admin:catalog_serviceitem_excel_export"


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="root", password="x-pass-12345")
    client.force_login(user)
    return client


def catalogue_staff(centre, *, permissions=("add", "change", "view")):
    """A centre admin of `centre` with the given permissions on service items."""
    member = orgs_factories.staff(centre=centre, roles=(Role.CENTRE_ADMIN,))
    member.user.groups.clear()  # only the permissions given here
    member.user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="catalog",
            codename__in=[f"{p}_serviceitem" for p in permissions],
        )
    )
    return member.user


def upload(content: bytes, name: str = "catalogue.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_change_list_has_the_excel_buttons(superuser_client, centre):
    response = superuser_client.get(reverse("admin:catalog_serviceitem_changelist"))

    assert response.status_code == 200
    assert reverse(IMPORT_URL) in response.content.decode()
    assert reverse(EXPORT_URL) in response.content.decode()


def test_admin_import_shows_the_counts(superuser_client, centre, departments):
    file = workbook_with({"事项": [item_row(departments[0])]})

    response = superuser_client.post(
        reverse(IMPORT_URL),
        {"centre": centre.pk, "publish": "on", "file": upload(file.getvalue())},
    )

    assert response.status_code == 200
    assert response.context["report"].created == [ServiceItem.objects.get().implementation_code]
    assert ServiceItemVersion.objects.get().status == VersionStatus.PUBLISHED


def test_admin_import_lists_every_bad_row_and_imports_nothing(
    superuser_client, centre, departments
):
    rows = [item_row(departments[0], 承诺办结时限="五天"), item_row(departments[0], 事项类型="x")]
    file = workbook_with({"事项": rows})

    response = superuser_client.post(
        reverse(IMPORT_URL), {"centre": centre.pk, "file": upload(file.getvalue())}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "<td>事项</td><td>2</td><td>承诺办结时限</td>" in page
    assert "<td>事项</td><td>3</td><td>事项类型</td>" in page
    assert ServiceItem.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("catalogue.csv", b"a,b\n", "请上传 .xlsx 格式"),
        ("catalogue.xlsx", b"not a zip", "不是 Excel 工作簿"),
        ("catalogue.xlsx", b"PK\x03\x04 broken", "无法读取文件"),
    ],
)
def test_admin_import_rejects_a_file_that_is_not_xlsx(
    superuser_client, centre, name, content, reason
):
    response = superuser_client.post(
        reverse(IMPORT_URL), {"centre": centre.pk, "file": upload(content, name)}
    )

    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].errors["file"])


def test_admin_import_refuses_a_file_over_the_size_limit(superuser_client, centre, monkeypatch):
    monkeypatch.setattr(admin_excel, "MAX_UPLOAD_BYTES", 10)

    response = superuser_client.post(
        reverse(IMPORT_URL),
        {"centre": centre.pk, "file": upload(workbook_with({}).getvalue())},
    )

    assert "不能超过" in " ".join(response.context["form"].errors["file"])


def test_admin_import_needs_the_add_and_change_permissions(client, centre):
    client.force_login(catalogue_staff(centre, permissions=("view", "change")))

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 403


def test_staff_import_only_into_their_own_centre(client, centre, departments):
    other = orgs_factories.centre()
    client.force_login(catalogue_staff(other))
    file = workbook_with({"事项": [item_row(departments[0])]})

    page = client.get(reverse(IMPORT_URL))
    response = client.post(
        reverse(IMPORT_URL), {"centre": centre.pk, "file": upload(file.getvalue())}
    )

    assert list(page.context["form"].fields["centre"].queryset) == [other]
    assert "centre" in response.context["form"].errors
    assert ServiceItem.objects.count() == 0


def test_admin_export_downloads_the_users_centre(client, centre, departments, windows):
    build_catalogue(departments, windows)
    client.force_login(catalogue_staff(centre, permissions=("view",)))

    response = client.get(reverse(EXPORT_URL))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = list(load_workbook(io.BytesIO(response.content))["事项"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3


def test_a_superuser_picks_the_centre_to_export(superuser_client, centre, departments):
    orgs_factories.centre()
    factories.published_item(department=departments[0])

    picker = superuser_client.get(reverse(EXPORT_URL))
    response = superuser_client.get(reverse(EXPORT_URL), {"centre": centre.pk})

    assert picker["Content-Type"].startswith("text/html")
    assert response["Content-Type"] == XLSX
