"""The plan as an official document: Word, PDF and a print view in HTML.

Anyone who can see the plan may download it; the tenant guard scopes the lookup, so a plan
outside the user's units is a 404. The writers (python-docx, fpdf2) load on first use.
"""
from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.errors import or_404
from app.plans import document, queries
from app.plans.document.content import describe
from app.plans.models import Plan

plan_documents = Blueprint("plan_documents", __name__, url_prefix="/plans")


def _plan(plan_id: int) -> Plan:
    return or_404(queries.get_plan(plan_id))


@plan_documents.route("/<int:plan_id>/document.docx")
@login_required
def docx(plan_id: int):
    plan = _plan(plan_id)
    return document.download(document.render_docx(plan), document.DOCX_MIMETYPE,
                             document.document_filename(plan, "docx"))


@plan_documents.route("/<int:plan_id>/document.pdf")
@login_required
def pdf(plan_id: int):
    plan = _plan(plan_id)
    return document.download(document.render_pdf(plan), document.PDF_MIMETYPE,
                             document.document_filename(plan, "pdf"))


@plan_documents.route("/<int:plan_id>/print")
@login_required
def print_view(plan_id: int):
    plan = _plan(plan_id)
    return document.print_page(
        describe(plan), _("Use your browser's Print command to print this plan on A4 paper."),
        [(_("Download as Word"), url_for(".docx", plan_id=plan.id)),
         (_("Download as PDF"), url_for(".pdf", plan_id=plan.id))])
