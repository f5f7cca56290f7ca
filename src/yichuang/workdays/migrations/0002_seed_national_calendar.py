"""Seed the override table and the known years from the `chinesecalendar` package.

Every install (not only the demo) starts with the national calendar. Later years are
typed in from the State Council's notice (admin or `yichuang import-holidays`).
"""

import uuid

from django.db import migrations

SOURCE = "chinesecalendar"


def seed(apps, schema_editor):
    from yichuang.workdays.national import PACKAGE_VERSION, national_calendar

    DayOverride = apps.get_model("workdays", "DayOverride")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")

    overrides, known_years = national_calendar()
    existing = set(DayOverride.objects.values_list("date", flat=True))
    DayOverride.objects.bulk_create(
        [
            DayOverride(date=day, kind=str(o.kind), name=o.name, source=SOURCE)
            for day, o in sorted(overrides.items())
            if day not in existing
        ],
        batch_size=500,
    )
    known = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(year=year, source=SOURCE, note=f"chinesecalendar {PACKAGE_VERSION}")
            for year in known_years
            if year not in known
        ]
    )
    CalendarRevision.objects.update_or_create(id=1, defaults={"token": uuid.uuid4().hex})


def unseed(apps, schema_editor):
    apps.get_model("workdays", "DayOverride").objects.filter(source=SOURCE).delete()
    apps.get_model("workdays", "CalendarYear").objects.filter(source=SOURCE).delete()
    apps.get_model("workdays", "CalendarRevision").objects.update(token=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
