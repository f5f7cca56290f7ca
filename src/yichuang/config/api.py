"""The JSON API at /api/v1/, documented by OpenAPI at /api/docs and /api/openapi.json.

Each domain app contributes one router from its `api.py`. Errors always answer with a
machine `code` and a Chinese `message`; a caller never sees a 500 for bad input.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from yichuang.common.errors import DomainError


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese text as is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="一窗 yichuang API",
    version="1.0.0",
    description="政务服务平台接口：服务中心、事项目录、工作日历、身份核验。",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


_LOCATION_ROOTS = {"body", "query", "path"}


def _explain(error: dict) -> str:
    location = ".".join(str(p) for p in error.get("loc", ()) if p not in _LOCATION_ROOTS)
    kind = error.get("type", "")
    messages = {
        "missing": _("必填项缺失"),
        "int_parsing": _("应为整数"),
        "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"),
        "date_parsing": _("日期格式应为 YYYY-MM-DD"),
        "date_from_datetime_inexact": _("日期格式应为 YYYY-MM-DD"),
        "date_nonexistent": _("日期不存在（请检查月份和日）"),
        "literal_error": _("取值不在允许范围内"),
        "enum": _("取值不在允许范围内"),
        "string_type": _("应为文本"),
        "json_invalid": _("请求体不是合法的 JSON"),
        "model_attributes_type": _("请求体格式有误"),
        "greater_than_equal": _("数值过小"),
        "less_than_equal": _("数值过大"),
        "string_too_long": _("文本过长"),
        "string_too_short": _("文本过短"),
    }
    message = messages.get(kind, _("取值无效"))
    return f"{location}: {message}" if location else message


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [
        {"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type"), "message": _explain(e)}
        for e in exc.errors
    ]
    message = "；".join(d["message"] for d in details) or _("请求参数有误")
    return api.create_response(
        request, {"code": "invalid_input", "message": message, "details": details}, status=422
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_found", "message": _("未找到请求的资源")}, status=404
    )


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"code": "unauthenticated", "message": _("请先登录")}, status=401
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # ninja's answer to a body that is not JSON: same format as any invalid input.
        return api.create_response(
            request, {"code": "invalid_input", "message": _("请求体不是合法的 JSON")}, status=422
        )
    return api.create_response(
        request, {"code": "http_error", "message": str(exc)}, status=exc.status_code
    )


class HealthOut(Schema):
    status: str = Field(description="固定为 ok")


@api.get("/v1/health", response=HealthOut, auth=None, tags=["运行状态"], summary="健康检查")
def health(request: HttpRequest):
    """The process answers requests: for load balancers and monitoring. It touches neither
    the database nor the cache, so a slow database does not take every server out of a
    load balancer at once."""
    return {"status": "ok"}


def _register_routers() -> None:
    from yichuang.cases.api import router as cases_router
    from yichuang.cases.api import tasks_router
    from yichuang.catalog.api import router as catalog_router
    from yichuang.hall.api import router as hall_router
    from yichuang.identity.api import router as identity_router
    from yichuang.identity.auth_api import router as auth_router
    from yichuang.notifications.api import router as messages_router
    from yichuang.orgs.api import router as orgs_router
    from yichuang.workdays.api import router as calendar_router

    api.add_router("/v1/calendar", calendar_router)
    api.add_router("/v1/identity", identity_router)
    api.add_router("/v1/orgs", orgs_router)
    api.add_router("/v1/catalog", catalog_router)
    api.add_router("/v1/cases", cases_router)
    api.add_router("/v1/tasks", tasks_router)
    api.add_router("/v1/auth", auth_router)
    api.add_router("/v1/messages", messages_router)
    api.add_router("/v1/hall", hall_router)


_register_routers()
