"""Taking a number on the portal (网上取号): works on a phone and without JavaScript.

Anonymous takers are limited per client address (`HALL_ANONYMOUS_TICKETS_PER_HOUR`); a
signed-in applicant takes with their own record, so the window sees their name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall import selectors
from yichuang.hall.models import PRIORITY_CLAIMABLE, Priority, TakenVia
from yichuang.hall.services import tickets
from yichuang.orgs.models import Centre

# The tickets taken in this browser today, newest first (a visitor finds theirs again).
SESSION_KEY = "hall_tickets"
SESSION_KEEP = 5


class TakeForm(forms.Form):
    queue = forms.ChoiceField(
        label=_("办理业务"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择要办理的业务"),
            "invalid_choice": _("请选择要办理的业务"),
        },
    )
    priority = forms.ChoiceField(
        label=_("绿色通道（可选）"),
        required=False,
        choices=[("", _("不需要"))] + [(p.value, p.label) for p in PRIORITY_CLAIMABLE],
        error_messages={"invalid_choice": _("优先原因不在允许范围内")},
    )
    id_number = forms.CharField(
        label=_("身份证号码"),
        required=False,
        max_length=18,
        help_text=_("老年人绿色通道须填写，用于核验年龄；填写后窗口可直接调取您的信息"),
        error_messages={"max_length": _("身份证号码为18位")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )

    def __init__(self, *args: Any, queues: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queues = queues
        self.fields["queue"].choices = [(q.code, q.name) for q in queues]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("priority") == Priority.ELDERLY and not data.get("id_number"):
            self.add_error("id_number", _("老年人优先须提供身份证号码以核验年龄"))
        return data


def _centre(request: HttpRequest) -> Centre:
    code = (request.GET.get("centre") or request.POST.get("centre") or "")[:40]
    return selectors.hall_centre(code or None)


def _remember(request: HttpRequest, token: str) -> None:
    kept = [t for t in request.session.get(SESSION_KEY, []) if t != token]
    request.session[SESSION_KEY] = [token, *kept][:SESSION_KEEP]


def _take(request: HttpRequest, centre: Centre, data: dict[str, Any]) -> Any:
    user = request.user
    applicant = getattr(user, "applicant", None) if user.is_authenticated else None
    if not user.is_authenticated:
        tickets.anonymous_take_check(client=request.META.get("REMOTE_ADDR", "") or "unknown")
    return tickets.ticket_take(
        centre=centre,
        queue_code=data["queue"],
        via=TakenVia.PORTAL,
        priority=data["priority"],
        id_number=data["id_number"].strip().upper(),
        applicant=applicant,
    )


def _mine(request: HttpRequest) -> list[Any]:
    """The tickets of today taken in this browser, newest first, read in one query."""
    tokens = [str(t) for t in request.session.get(SESSION_KEY, [])[:SESSION_KEEP]]
    found = selectors.tickets_get_public(tokens=tokens)
    return [found[t] for t in tokens if t in found and found[t].day == clock.today()]


def take_page(request: HttpRequest) -> HttpResponse:
    """Choose a queue (with the people waiting), optionally a priority reason, take."""
    try:
        centre = _centre(request)
    except DomainError as error:
        return render(request, "hall/take/take.html", {"fatal": error.message}, status=404)
    queues = list(selectors.queues_with_waiting(centre=centre))
    form = TakeForm(request.POST if request.method == "POST" else None, queues=queues)
    status, error = 200, None
    if request.method == "POST" and form.is_valid():
        try:
            ticket = _take(request, centre, form.cleaned_data)
        except DomainError as failure:
            status = failure.status
            if failure.field in form.fields:
                form.add_error(failure.field, failure.message)
            else:
                error = failure
        else:
            _remember(request, ticket.public_token)
            return HttpResponseRedirect(reverse("hall:ticket", args=[ticket.public_token]))
    elif request.method == "POST":
        status = 422
    context = {
        "centre": centre,
        "queues": queues,
        "form": form,
        "error": error,
        "nav_section": "take",
        "mine": _mine(request),
    }
    return render(request, "hall/take/take.html", context, status=status)
