"""A submitted material's file, streamed from storage to whoever may read the case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _

from yichuang.cases.selectors import case_get_for
from yichuang.cases.views._common import raise_http
from yichuang.common.errors import DomainError


@login_required
def material_file(request: HttpRequest, number: str, pk: int) -> FileResponse:
    try:
        case = case_get_for(user=request.user, number=number)
    except DomainError as error:
        raise_http(error)
        raise
    row = case.materials.filter(pk=pk).exclude(file="").first()
    if row is None:
        raise Http404(_("未找到该材料"))
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("未找到该材料")) from None
    extension = row.file.name.rsplit(".", 1)[-1]
    name = f"{case.number}-{row.material.name if row.material else row.pk}.{extension}"
    return FileResponse(handle, content_type=row.content_type, filename=name)
