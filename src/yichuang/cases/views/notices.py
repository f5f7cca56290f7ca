"""A notice (告知文书) as PDF, rendered on request for whoever may read the case (the staff
pages link here; the applicant pages have their own address in `web`)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from yichuang.cases.pdf import PdfFontMissing, notice_pdf
from yichuang.cases.selectors import case_get_for
from yichuang.cases.views._common import raise_http
from yichuang.common.errors import DomainError


@login_required
def notice_file(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The notice's PDF inline; its QR code points at the public status lookup."""
    try:
        case = case_get_for(user=request.user, number=number)
    except DomainError as error:
        raise_http(error)
        raise
    notice = case.notices.filter(pk=pk).first()
    if notice is None:
        raise Http404(_("未找到该文书"))
    notice.case = case
    status_url = request.build_absolute_uri(f"/cases/lookup/?number={quote(case.number)}")
    try:
        content = notice_pdf(notice=notice, status_url=status_url)
    except PdfFontMissing as error:
        context = {"message": error.message}
        return render(request, "cases/pdf_unavailable.html", context, status=error.status)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{notice.number}.pdf"
    )
    return response
