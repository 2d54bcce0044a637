"""A commune's report as the official BÁO CÁO: Word, PDF and a print view in HTML.

Anyone who can see the report may download it; the tenant guard scopes the lookup, so a
report outside the user's units is a 404. The writers (python-docx, fpdf2) load on first use.
"""
from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.errors import or_404
from app.plans.document import DOCX_MIMETYPE, PDF_MIMETYPE, download, print_page
from app.reports import document, queries

report_documents = Blueprint("report_documents", __name__, url_prefix="/reports")


@report_documents.route("/<int:report_id>/document.docx")
@login_required
def docx(report_id: int):
    report = or_404(queries.get_report(report_id))
    return download(document.render_docx(report), DOCX_MIMETYPE, document.document_filename(report, "docx"))


@report_documents.route("/<int:report_id>/document.pdf")
@login_required
def pdf(report_id: int):
    report = or_404(queries.get_report(report_id))
    return download(document.render_pdf(report), PDF_MIMETYPE, document.document_filename(report, "pdf"))


@report_documents.route("/<int:report_id>/print")
@login_required
def print_view(report_id: int):
    report = or_404(queries.get_report(report_id))
    return print_page(
        document.describe(report), _("Use your browser's Print command to print this report on A4 paper."),
        [(_("Download as Word"), url_for(".docx", report_id=report.id)),
         (_("Download as PDF"), url_for(".pdf", report_id=report.id))])
