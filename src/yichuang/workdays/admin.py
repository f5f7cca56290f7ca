"""The calendar in the Django admin (Chinese). Every save goes through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yichuang.workdays.errors import CalendarImportError
from yichuang.workdays.importing import read_holiday_text, read_holiday_upload
from yichuang.workdays.models import CalendarSource, CalendarYear, DayOverride, OverrideKind
from yichuang.workdays.services import (
    IMPORT_SOURCES,
    calendar_year_import,
    calendar_year_save,
    calendar_years_unmark,
    day_override_save,
    day_overrides_delete,
    override_problem,
)

WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


class DayOverrideForm(forms.ModelForm):
    class Meta:
        model = DayOverride
        fields = ["date", "kind", "name", "source", "note"]

    def clean(self):
        data = super().clean()
        day, kind, name = data.get("date"), data.get("kind"), data.get("name")
        if day and kind and name:
            problem = override_problem(day=day, kind=kind, name=name)
            if problem:
                self.add_error(problem[0], problem[1])
        return data


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    form = DayOverrideForm
    list_display = ["date", "weekday", "kind", "name", "source", "note"]
    list_filter = ["kind", "source"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj: DayOverride) -> str:
        return str(WEEKDAYS[obj.date.weekday()])

    def save_model(self, request, obj, form, change) -> None:
        day_override_save(override=obj)

    def delete_model(self, request, obj) -> None:
        day_overrides_delete(days=[obj.date])

    def delete_queryset(self, request, queryset) -> None:
        day_overrides_delete(days=list(queryset.values_list("date", flat=True)))


def _count_of(kind: str) -> Subquery:
    return Coalesce(
        Subquery(
            DayOverride.objects.filter(date__year=OuterRef("year"), kind=kind)
            .order_by()
            .values("date__year")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


class YearImportForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=1, max_value=9999)
    source = forms.ChoiceField(
        label=_("来源"),
        choices=[c for c in CalendarSource.choices if c[0] in IMPORT_SOURCES],
        initial=CalendarSource.STATE_COUNCIL_NOTICE,
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=300)
    file = forms.FileField(
        label=_("文件（CSV 或 .xlsx）"),
        required=False,
        help_text=_("列：日期、类型、名称、备注（可选）"),
    )
    text = forms.CharField(
        label=_("或直接粘贴"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 16,
                "cols": 60,
                "placeholder": "2027-01-01,放假,元旦\n2027-02-06,调休上班,春节",
            }
        ),
        help_text=_("每行一天：日期,类型,名称。类型为“放假”或“调休上班”。"),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴数据"))
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "holidays", "makeup_workdays", "source", "note", "updated_at"]
    list_filter = ["source"]
    ordering = ["-year"]
    change_list_template = "admin/workdays/calendaryear/change_list.html"

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                holiday_count=_count_of(OverrideKind.HOLIDAY),
                makeup_count=_count_of(OverrideKind.MAKEUP_WORKDAY),
            )
        )

    @admin.display(description=_("放假天数"), ordering="holiday_count")
    def holidays(self, obj: CalendarYear) -> int:
        return obj.holiday_count

    @admin.display(description=_("调休上班天数"), ordering="makeup_count")
    def makeup_workdays(self, obj: CalendarYear) -> int:
        return obj.makeup_count

    def save_model(self, request, obj, form, change) -> None:
        calendar_year_save(calendar_year=obj)

    def delete_model(self, request, obj) -> None:
        calendar_years_unmark(years=[obj.year])

    def delete_queryset(self, request, queryset) -> None:
        calendar_years_unmark(years=list(queryset.values_list("year", flat=True)))

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="workdays_calendaryear_import",
            )
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Type in or upload a whole year (e.g. from the State Council's notice)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        problems: list[dict] = []
        form = YearImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["file"]:
                    upload = data["file"]
                    rows = read_holiday_upload(name=upload.name, content=upload.read())
                else:
                    rows = read_holiday_text(data["text"])
                result = calendar_year_import(
                    year=data["year"], rows=rows, source=data["source"], note=data["note"]
                )
            except CalendarImportError as exc:
                problems = exc.problems
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    gettext("%(year)d 年已导入：放假 %(holidays)d 天，调休上班 %(makeup)d 天。")
                    % {
                        "year": result.year,
                        "holidays": result.holidays,
                        "makeup": result.makeup_workdays,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:workdays_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("录入整年节假日"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/workdays/calendaryear/import.html", context)
