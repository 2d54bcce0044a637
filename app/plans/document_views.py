"""The plan as an official document: Word, PDF and a print view in HTML.

Anyone who can see the plan may download it; the tenant guard scopes the lookup, so a plan
outside the user's units is a 404. The writers (python-docx, fpdf2) load on first use.
"""
from flask import Blueprint, Response, render_template
from flask_login import login_required

from app.errors import or_404
from app.extensions import db
from app.plans import document
from app.plans.document.content import describe
from app.plans.models import Plan

plan_documents = Blueprint("plan_documents", __name__, url_prefix="/plans", template_folder="templates")


def _plan(plan_id: int) -> Plan:
    # A query, not session.get: an object already in the identity map would skip the guard.
    return or_404(db.session.execute(db.select(Plan).where(Plan.id == plan_id)).scalar_one_or_none())


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@plan_documents.route("/<int:plan_id>/document.docx")
@login_required
def docx(plan_id: int):
    plan = _plan(plan_id)
    return _download(document.render_docx(plan), document.DOCX_MIMETYPE,
                     document.document_filename(plan, "docx"))


@plan_documents.route("/<int:plan_id>/document.pdf")
@login_required
def pdf(plan_id: int):
    plan = _plan(plan_id)
    return _download(document.render_pdf(plan), document.PDF_MIMETYPE,
                     document.document_filename(plan, "pdf"))


@plan_documents.route("/<int:plan_id>/print")
@login_required
def print_view(plan_id: int):
    plan = _plan(plan_id)
    response = Response(render_template("plans/print.html", plan=plan, document=describe(plan)))
    response.headers["Cache-Control"] = "private, no-store"
    return response
