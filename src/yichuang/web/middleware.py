"""Answers Django leaves in English or empty, given in Chinese.

A 405 (a GET to a form's address, a wrong method on the API) comes from
`require_POST` and django-ninja with an empty or English body; it is answered with the
Chinese page `405.html`, or on the API with `{"code", "message"}` like every API error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class MethodNotAllowedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        if request.path.startswith("/api/"):
            answer: HttpResponse = JsonResponse(
                {"code": "method_not_allowed", "message": _("不支持此请求方法")}, status=405
            )
        else:
            answer = render(request, "405.html", status=405)
        answer["Allow"] = response.get("Allow", "")
        return answer
