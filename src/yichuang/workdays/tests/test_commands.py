"""`yichuang import-holidays FILE` with CSV and .xlsx files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from yichuang.workdays.models import CalendarYear, DayOverride

pytestmark = pytest.mark.django_db


def test_a_chinese_csv_from_excel_imports_the_year(tmp_path, capsys):
    path = tmp_path / "2027.csv"
    path.write_bytes(
        "日期,类型,名称,备注\n2027-01-01,放假,元旦,\n2027-02-06,调休上班,春节,周六上班\n".encode(
            "gb18030"
        )
    )

    call_command("import_holidays", str(path), "--note", "国办发明电〔2026〕X号")

    assert CalendarYear.objects.get(year=2027).source == "state_council_notice"
    assert DayOverride.objects.get(date=dt.date(2027, 2, 6)).note == "周六上班"
    assert "2027 年已导入：放假 1 天，调休上班 1 天" in capsys.readouterr().out


def test_an_xlsx_with_english_headers_imports_the_year(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["date", "kind", "name"])
    sheet.append([dt.datetime(2027, 10, 1), "holiday", "国庆节"])
    sheet.append(["2027/10/09", "makeup_workday", "国庆节"])
    workbook.save(tmp_path / "2027.xlsx")

    call_command("import_holidays", str(tmp_path / "2027.xlsx"), "--year", "2027")

    assert list(DayOverride.objects.filter(date__year=2027).values_list("kind", flat=True)) == [
        "holiday",
        "makeup_workday",
    ]


def test_a_bad_file_prints_each_row_and_imports_nothing(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(
        "date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,元旦\n2027-01-04,x,元旦\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError):
        call_command("import_holidays", str(path), "--year", "2027")

    err = capsys.readouterr().err
    assert "第 3 行 [date]" in err
    assert "第 4 行 [kind]" in err
    assert not DayOverride.objects.filter(date__year=2027).exists()


def test_a_file_spanning_two_years_needs_the_year_given(tmp_path, capsys):
    path = tmp_path / "two.csv"
    path.write_text("2026-12-31,holiday,x\n2027-01-01,holiday,元旦\n", encoding="utf-8")

    with pytest.raises(CommandError):
        call_command("import_holidays", str(path))

    assert "--year" in capsys.readouterr().err
