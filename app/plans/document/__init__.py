"""The plan as an official document (Nghị định 30/2020/NĐ-CP): Word, PDF, and the content the
HTML print view shows. python-docx and fpdf2 are imported only when a document is rendered,
so the rest of the app and the workers do not load them."""
import re

from app.plans.models import Plan
from app.text import ascii_fold

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIMETYPE = "application/pdf"


def render_docx(plan: Plan) -> bytes:
    from app.plans.document import docx

    return docx.render(plan)


def render_pdf(plan: Plan) -> bytes:
    from app.plans.document import pdf

    return pdf.render(plan)


def document_filename(plan: Plan, ext: str) -> str:
    """`ke-hoach-2023-binh-luong.docx`: ASCII only, safe in any download header."""
    name = ascii_fold(plan.unit.short_name).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-") or str(plan.unit.code)
    return f"ke-hoach-{plan.year}-{slug}.{ext}"
