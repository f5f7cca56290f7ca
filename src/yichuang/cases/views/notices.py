"""A notice (告知文书) as PDF, rendered on request for whoever may read the case (the staff
pages link here; the applicant pages have their own address in `web`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from yichuang.cases.models import Notice
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
    try:
        return notice_pdf_response(request=request, notice=notice)
    except PdfFontMissing as error:
        context = {"message": error.message}
        return render(request, "cases/pdf_unavailable.html", context, status=error.status)


def notice_pdf_response(*, request: HttpRequest, notice: Notice) -> HttpResponse:
    """The notice as an inline PDF named after its number; its QR code points at the
    public status lookup of its case. Raises `PdfFontMissing` without a Chinese font.

    The one way the pages and the API serve a notice; the caller has checked access.
    """
    lookup = reverse("web:case_lookup") + "?" + urlencode({"number": notice.case.number})
    content = notice_pdf(notice=notice, status_url=request.build_absolute_uri(lookup))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{notice.number}.pdf"
    )
    return response
