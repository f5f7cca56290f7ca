"""Excel import and export pages of the catalogue admin.

`CatalogExcelAdminMixin` is mixed into the ServiceItem admin. It adds three admin URLs
(import page, export download, blank template) and the buttons on the change list. Only a
user with the add and change permissions on service items may import, and only into a
centre they manage (a superuser picks any centre, a centre admin one of their subtree).
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yichuang.catalog import excel
from yichuang.common import clock
from yichuang.orgs.models import Centre
from yichuang.orgs.selectors import centres_managed_by

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"


def excel_centres_for(user: Any) -> QuerySet[Centre]:
    """Centres whose catalogue `user` may import or export in the admin: the centres they
    manage (a superuser: all; a centre admin: their centre and the centres below it)."""
    return centres_managed_by(user).order_by("path")


class CatalogExportForm(forms.Form):
    """The centre, among those the user manages."""

    centre = forms.ModelChoiceField(
        label=_("服务中心"), queryset=Centre.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, centres: QuerySet[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


class CatalogImportForm(CatalogExportForm):
    """The centre, the workbook and whether to publish."""

    file = forms.FileField(
        label=_("Excel 文件"), help_text=_("按事项目录模板填写的 .xlsx 文件，不超过 10 MB")
    )
    publish = forms.BooleanField(
        label=_("导入后立即发布"),
        required=False,
        initial=True,
        help_text=_("不勾选则新版本只保存为草稿"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 10 MB"))
        head = upload.read(len(_ZIP_MAGIC))
        upload.seek(0)
        if head != _ZIP_MAGIC:
            raise forms.ValidationError(_("文件内容不是 Excel 工作簿（.xlsx）"))
        return upload


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class CatalogExcelAdminMixin:
    """Mixed into ServiceItemAdmin: adds the import and export pages."""

    change_list_template = "admin/catalog/serviceitem/change_list.html"

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        extra = [
            path("excel/import/", view(self.excel_import_view), name=f"{prefix}_excel_import"),
            path("excel/export/", view(self.excel_export_view), name=f"{prefix}_excel_export"),
            path(
                "excel/template/", view(self.excel_template_view), name=f"{prefix}_excel_template"
            ),
        ]
        return extra + super().get_urls()

    def excel_import_allowed(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        extra_context = {
            **(extra_context or {}),
            "excel_import_allowed": self.excel_import_allowed(request),
        }
        return super().changelist_view(request, extra_context)

    def _excel_context(self, request: HttpRequest, **extra: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def _excel_centres(self, request: HttpRequest) -> QuerySet[Centre]:
        centres = excel_centres_for(request.user)
        if not centres.exists():
            raise PermissionDenied
        return centres

    def excel_import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.excel_import_allowed(request):
            raise PermissionDenied
        centres = self._excel_centres(request)
        errors: list[excel.RowError] = []
        report = None
        if request.method == "POST":
            form = CatalogImportForm(request.POST, request.FILES, centres=centres)
            if form.is_valid():
                try:
                    report = excel.import_catalog(
                        form.cleaned_data["file"],
                        centre=form.cleaned_data["centre"],
                        actor=request.user,
                        publish=form.cleaned_data["publish"],
                    )
                except excel.ImportRejected as exc:
                    errors = exc.errors
                except excel.ImportFileInvalid as exc:
                    form.add_error("file", exc.message)
                else:
                    messages.success(request, report.summary())
        else:
            form = CatalogImportForm(centres=centres)
        context = self._excel_context(
            request,
            title=gettext("从 Excel 导入事项目录"),
            form=form,
            errors=errors,
            report=report,
        )
        status = 422 if errors else 200
        return TemplateResponse(
            request, "admin/catalog/serviceitem/excel_import.html", context, status=status
        )

    def excel_export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        centres = self._excel_centres(request)
        form = CatalogExportForm(request.GET or None, centres=centres)
        if len(centres) == 1:
            centre = centres.first()
        elif form.is_valid():
            centre = form.cleaned_data["centre"]
        else:
            context = self._excel_context(request, title=gettext("导出事项目录到 Excel"), form=form)
            return TemplateResponse(request, "admin/catalog/serviceitem/excel_export.html", context)
        buffer = io.BytesIO()
        excel.export_catalog(centre=centre, file=buffer)
        filename = f"catalog-{centre.code}-{clock.today():%Y%m%d}.xlsx"
        return _xlsx_response(buffer.getvalue(), filename)

    def excel_template_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        buffer = io.BytesIO()
        excel.export_template(file=buffer)
        return _xlsx_response(buffer.getvalue(), "catalog-template.xlsx")
