"""Public portal pages: thin views over the catalogue, orgs and portal selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.catalog import selectors as catalog_selectors
from yichuang.catalog.errors import BundleNotFound, ItemNotFound
from yichuang.catalog.models import MaterialSource
from yichuang.web import selectors
from yichuang.web.case_display import online_intake
from yichuang.web.forms import ItemFilterForm
from yichuang.web.preferences import large_text_set

PAGE_SIZE = 20
HOT_WORDS = ["营业执照", "不动产登记", "公积金提取", "低保", "无犯罪记录证明", "驾驶证"]


def home(request: HttpRequest) -> HttpResponse:
    centre = selectors.portal_centre()
    context = {
        "centre": centre,
        "nav_section": "home",
        "counts": selectors.portal_counts(),
        "departments": selectors.departments_with_items(),
        "bundles": selectors.bundles_published(centre=centre),
        "hot_words": HOT_WORDS,
    }
    return render(request, "web/home.html", context)


def item_list(request: HttpRequest) -> HttpResponse:
    form = ItemFilterForm(request.GET, departments=selectors.departments_with_items())
    filters = form.filters()
    page = Paginator(selectors.portal_item_search(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "centre": selectors.portal_centre(),
        "form": form,
        "page": page,
        "q": filters.q,
        "heading": _heading(filters),
        "nav_section": {"natural": "natural", "legal": "legal"}.get(
            filters.service_object or "", "items"
        ),
    }
    template = "web/_results.html" if request.htmx else "web/item_list.html"
    return render(request, template, context)


def item_guide(request: HttpRequest, code: str) -> HttpResponse:
    try:
        version = catalog_selectors.item_get_published(code=code)
    except ItemNotFound:
        return _not_found(request, message=_("未找到该事项，它可能已调整或下线。"))
    materials = list(version.materials.all())
    context = {
        "centre": selectors.portal_centre(),
        "version": version,
        "materials": materials,
        "has_pendable": any(m.pendable for m in materials),
        "has_shared": any(m.source == MaterialSource.DATA_SHARING for m in materials),
        "stages": catalog_selectors.stages_of(version),
        "windows": list(version.windows.all()),
        "can_apply_online": online_intake(version),
        "nav_section": "items",
    }
    return render(request, "web/item_guide.html", context)


def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        bundle, versions = selectors.bundle_get_published(code=code)
    except BundleNotFound:
        return _not_found(request, message=_("未找到该一件事，它可能已调整或下线。"))
    context = {"centre": selectors.portal_centre(), "bundle": bundle, "versions": versions}
    return render(request, "web/bundle_detail.html", context)


@require_POST
def large_text(request: HttpRequest) -> HttpResponse:
    """Switch the large-text (适老化) mode without JavaScript, then go back."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    large_text_set(response=response, enabled=request.POST.get("large_text") == "1")
    return response


def _not_found(request: HttpRequest, *, message: str) -> HttpResponse:
    context = {"centre": selectors.portal_centre(), "not_found_message": message}
    return render(request, "404.html", context, status=404)


def _heading(filters: selectors.ItemFilters) -> str:
    if filters.service_object == "natural":
        return _("个人办事")
    if filters.service_object == "legal":
        return _("法人办事")
    return _("办事事项")
