"""The plan as an official document (Nghị định 30/2020/NĐ-CP): Word, PDF, and the content the
HTML print view shows. python-docx and fpdf2 are imported only when a document is rendered,
so the rest of the app and the workers do not load them."""
import re

from flask import Response, render_template

from app.plans.models import Plan
from app.text import ascii_fold

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIMETYPE = "application/pdf"
MIMETYPES = {"docx": DOCX_MIMETYPE, "pdf": PDF_MIMETYPE}  # by file extension


def render_docx(plan: Plan) -> bytes:
    from app.plans.document import docx

    return docx.render(plan)


def render_pdf(plan: Plan) -> bytes:
    from app.plans.document import pdf

    return pdf.render(plan)


def unit_slug(unit) -> str:
    """`binh-luong`: the unit's short name in ASCII, for a file name safe in any download header."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(unit.short_name).lower()).strip("-")
    return slug or str(unit.code)


def document_filename(plan: Plan, ext: str) -> str:
    """`ke-hoach-2023-binh-luong.docx`."""
    return f"ke-hoach-{plan.year}-{unit_slug(plan.unit)}.{ext}"


def download(data: bytes, mimetype: str, filename: str) -> Response:
    """A document file to save: never cached, since it holds the commune's own figures."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def print_page(document, hint: str, downloads: list[tuple[str, str]]) -> Response:
    """The document for the browser's Print command (templates/document_print.html)."""
    response = Response(render_template("document_print.html", document=document, hint=hint, downloads=downloads))
    response.headers["Cache-Control"] = "private, no-store"
    return response
