"""The plan as a PDF (fpdf2), with the vendored Liberation Serif (metrically compatible with
Times New Roman, with every Vietnamese glyph; SIL OFL, see fonts/LICENSE)."""
import io
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from app.plans.document import layout
from app.plans.document.content import (
    Document,
    Header,
    Image,
    Paragraph,
    Signature,
    Table,
    describe,
)

FONTS = Path(__file__).parent / "fonts"
FAMILY = "LiberationSerif"
FONT_FILES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
PT = 25.4 / 72  # mm per point
ALIGN = {"left": "L", "centre": "C", "right": "R"}


def line_height(size: float, spacing: float = layout.LINE_SPACING) -> float:
    return size * PT * spacing


class PlanPDF(FPDF):
    def header(self) -> None:
        """Page numbers at the top centre from page 2."""
        if self.page_no() > 1:
            self.set_font(FAMILY, "", layout.PAGE_NUMBER_SIZE)
            self.set_y(10)
            self.cell(0, line_height(layout.PAGE_NUMBER_SIZE, 1), str(self.page_no()), align="C")
            self.set_y(layout.MARGIN_TOP)


def render(plan) -> bytes:
    return write(describe(plan))


def new_pdf(title: str, author: str) -> PlanPDF:
    pdf = PlanPDF(format="A4", unit="mm")
    for style, name in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(FONTS / f"LiberationSerif-{name}.ttf"))
    pdf.set_margins(layout.MARGIN_LEFT, layout.MARGIN_TOP, layout.MARGIN_RIGHT)
    pdf.set_auto_page_break(True, layout.MARGIN_BOTTOM)
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_lang("vi")
    pdf.add_page()
    return pdf


def write(content: Document) -> bytes:
    return bytes(build(content).output())


def build(content: Document) -> PlanPDF:
    pdf = new_pdf(content.summary, content.header.issuing_body)
    _header(pdf, content.header)
    _title(pdf, content)
    for block in content.blocks:
        if isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Image):
            _image(pdf, block)
        else:
            _body_paragraph(pdf, block)
    _signature(pdf, content.signature)
    return pdf


def _lines(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, float, str]]) -> float:
    """Centred (or aligned) lines in a column starting at the current y; returns the end y.
    Each line is (text, style, size, align); an empty text with style "rule" draws a rule."""
    for text, style, size, align in lines:
        if style == "rule":
            y = pdf.get_y() + 0.5
            pdf.line(x + size, y, x + width - size, y)
            pdf.set_y(y + 1.5)
            continue
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, line_height(size, 1.1), text, align=align, new_x="LEFT", new_y="NEXT")
    return pdf.get_y()


def _two_columns(pdf: FPDF, widths, left_lines, right_lines) -> None:
    top = pdf.get_y()
    left_x = layout.MARGIN_LEFT
    left_end = _lines(pdf, left_x, widths[0], left_lines)
    pdf.set_y(top)
    right_end = _lines(pdf, left_x + widths[0], widths[1], right_lines)
    pdf.set_y(max(left_end, right_end))


def _header(pdf: FPDF, header: Header) -> None:
    left = [(header.issuing_body, "B", layout.HEADER_SIZE, "C"),
            ("", "rule", layout.LEFT_RULE_INDENT, ""),
            (header.number, "", layout.HEADER_SIZE, "C")]
    if header.parent_body:
        left.insert(0, (header.parent_body, "", layout.HEADER_SIZE, "C"))
    right = [(header.nation, "B", layout.NATION_SIZE, "C"),
             (header.motto, "B", layout.MOTTO_SIZE, "C"),
             ("", "rule", layout.RIGHT_RULE_INDENT, ""),
             (header.place_date, "I", layout.MOTTO_SIZE, "C")]
    _two_columns(pdf, layout.HEADER_WIDTHS, left, right)
    pdf.ln(6)


def _title(pdf: FPDF, content: Document) -> None:
    _lines(pdf, layout.MARGIN_LEFT, layout.TEXT_WIDTH, [
        (content.document_type, "B", layout.BODY_SIZE, "C"),
        (content.summary, "B", layout.BODY_SIZE, "C"),
        ("", "rule", layout.TITLE_RULE_INDENT, ""),
    ])
    pdf.ln(3)


def _body_paragraph(pdf: FPDF, block: Paragraph) -> None:
    style = {"heading1": "B", "heading2": "B", "subheading": "BI"}.get(block.style, "")
    pdf.set_font(FAMILY, style, layout.BODY_SIZE)
    with pdf.text_columns(text_align="J", line_height=layout.LINE_SPACING) as columns:
        with columns.paragraph(first_line_indent=layout.FIRST_LINE_INDENT_CM * 10,
                               bottom_margin=layout.SPACE_AFTER * PT) as paragraph:
            paragraph.write(block.text)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FAMILY, "", layout.TABLE_SIZE)
    aligns = tuple("C" if column in block.centre else "R" if column in block.right else "L"
                   for column in range(len(block.columns)))
    pdf.set_x(layout.MARGIN_LEFT)
    with pdf.table(col_widths=layout.column_widths(block.widths), width=layout.TEXT_WIDTH, align="L",
                   text_align=aligns, line_height=line_height(layout.TABLE_SIZE, 1.1),
                   headings_style=FontFace(emphasis="BOLD"), padding=1) as table:
        heading = table.row()
        for name in block.columns:
            heading.cell(name, align="C")
        for values in block.rows:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(3)


def _image(pdf: FPDF, block: Image) -> None:
    """Centred on the text width, moved whole to the next page if it does not fit; caption below."""
    width = min(block.width_mm, layout.TEXT_WIDTH)
    pdf.image(io.BytesIO(block.png), x=layout.MARGIN_LEFT + (layout.TEXT_WIDTH - width) / 2, w=width)
    if block.caption:
        pdf.ln(1)
        _lines(pdf, layout.MARGIN_LEFT, layout.TEXT_WIDTH, [(block.caption, "I", layout.TABLE_SIZE, "C")])
    pdf.ln(3)


def _signature(pdf: FPDF, signature: Signature) -> None:
    left = [(signature.recipients_heading, "BI", layout.RECIPIENTS_HEADING_SIZE, "L")]
    left += [(line, "", layout.RECIPIENTS_SIZE, "L") for line in signature.recipients]
    right = [(signature.authority, "B", layout.BODY_SIZE, "C"),
             (signature.title, "B", layout.BODY_SIZE, "C")]
    right += [(" ", "", layout.BODY_SIZE, "C")] * layout.SIGNATURE_BLANK_LINES
    right.append((signature.name, "B", layout.BODY_SIZE, "C"))
    # The block is not split across pages: move it whole to the next page if it does not fit.
    needed = max(len(left) * line_height(layout.RECIPIENTS_SIZE, 1.1) + 2,
                 len(right) * line_height(layout.BODY_SIZE, 1.1)) + 4
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(3)
    _two_columns(pdf, layout.SIGNATURE_WIDTHS, left, right)
