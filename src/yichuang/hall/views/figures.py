"""The hall's figures page (大厅运行统计) and its Excel export, for leaders and centre
admins: per queue, per window and per day, for a centre they may see and a range of days."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from yichuang.cases.views._common import OVERVIEW_ROLES, nav_context, raise_http, staff_member
from yichuang.common.errors import DomainError
from yichuang.hall.figures_excel import figures_workbook
from yichuang.hall.selectors_figures import (
    HallFigures,
    centres_for_figures,
    figures_centre_for,
    figures_range,
    hall_figures,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FiguresForm(forms.Form):
    centre = forms.ChoiceField(label=_("服务中心"), required=False)
    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, centres: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(c.code, c.name) for c in centres]


def _figures(request: HttpRequest) -> tuple[FiguresForm, HallFigures | None, str | None]:
    """The filled form and the figures, or the reason there are none (a 422 message)."""
    form = FiguresForm(request.GET or None, centres=centres_for_figures(request.user))
    if form.is_bound and not form.is_valid():
        return form, None, None
    data = form.cleaned_data if form.is_bound else {}
    try:
        centre = figures_centre_for(user=request.user, code=data.get("centre") or None)
        start, end = figures_range(start=data.get("start"), end=data.get("end"))
    except DomainError as error:
        raise_http(error)
        return form, None, error.message
    return form, hall_figures(centre=centre, start=start, end=end), None


def _page(request: HttpRequest, member: Any, form, figures, error) -> HttpResponse:
    context = {
        **nav_context(member),
        "nav_section": "hall_figures",
        "form": form,
        "figures": figures,
        "error": error,
        "query": request.GET.urlencode(),
        "queue_rows": [figures.total, *figures.queues] if figures else [],
        "max_taken": max((d.taken for d in figures.days), default=0) if figures else 0,
    }
    status = 200 if figures is not None else 422
    return render(request, "hall/figures/page.html", context, status=status)


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    member = staff_member(request, roles=OVERVIEW_ROLES)
    form, figures, error = _figures(request)
    return _page(request, member, form, figures, error)


@login_required
def figures_export(request: HttpRequest) -> HttpResponse:
    """The same figures as an .xlsx download."""
    member = staff_member(request, roles=OVERVIEW_ROLES)
    form, figures, error = _figures(request)
    if figures is None:
        return _page(request, member, form, figures, error)
    response = HttpResponse(figures_workbook(figures), content_type=XLSX)
    name = f"hall-figures-{figures.centre.code}-{figures.start:%Y%m%d}-{figures.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
