"""The plan as a Word document (python-docx): A4, Times New Roman, the official margins."""
import io

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

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

# A Word file's properties hold 255 characters; a plan's title may hold 500.
CORE_PROPERTY_LENGTH = 255
FONT = layout.FONT
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)


def render(plan) -> bytes:
    return write(describe(plan))


def write(content: Document) -> bytes:
    document = new_document()
    _set_up_page(document)
    _set_up_normal_style(document)
    _page_numbers(document.sections[0])
    _header(document, content.header)
    _title(document, content)
    for block in content.blocks:
        if isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Image):
            _image(document, block)
        else:
            _body_paragraph(document, block)
    _signature(document, content.signature)
    document.core_properties.title = content.summary[:CORE_PROPERTY_LENGTH]
    document.core_properties.author = content.header.issuing_body[:CORE_PROPERTY_LENGTH]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_up_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(layout.PAGE_WIDTH), Mm(layout.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(layout.MARGIN_TOP), Mm(layout.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(layout.MARGIN_LEFT), Mm(layout.MARGIN_RIGHT)
    section.header_distance = section.footer_distance = Mm(10)


def _set_fonts(element_rpr) -> None:
    """All four rFonts slots, so Word does not substitute a font for Vietnamese text."""
    fonts = element_rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element_rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _set_up_normal_style(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(layout.BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr())
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    normal.element.get_or_add_rPr().append(language)
    paragraph = normal.paragraph_format
    paragraph.alignment = JUSTIFY
    paragraph.first_line_indent = Cm(layout.FIRST_LINE_INDENT_CM)
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(layout.SPACE_AFTER)
    paragraph.line_spacing = layout.LINE_SPACING


def _paragraph(container, text: str = "", *, size: float = layout.BODY_SIZE, bold=False, italic=False,
               align=CENTER, indent=False, after: float = 0):
    """A paragraph in a cell or the body; `indent` keeps the body's first-line indent."""
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if not indent:
        paragraph.paragraph_format.first_line_indent = Cm(0)
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _run(paragraph, text: str, *, size: float, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    _set_fonts(run._element.get_or_add_rPr())
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    return run


def _rule(container, indent_mm: float) -> None:
    """A short centred line: an empty paragraph with a bottom border, narrowed by indents."""
    paragraph = _paragraph(container, size=2, after=layout.RULE_SPACE_AFTER)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(indent_mm)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _empty_cell(cell):
    """A cell's built-in first paragraph is removed, so `_paragraph` can add every line."""
    first = cell.paragraphs[0]
    first._element.getparent().remove(first._element)
    return cell


def _layout_table(document, widths_mm: tuple[float, ...], style: str | None = None):
    table = document.add_table(rows=1, cols=len(widths_mm))
    if style:
        table.style = document.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_widths(table, widths_mm)
    return table


def _set_widths(table, widths_mm) -> None:
    """Widths on the grid and on every cell: Word reads the cells, LibreOffice the grid."""
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=True):
        column.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _header(document, header: Header) -> None:
    table = _layout_table(document, layout.HEADER_WIDTHS)
    left, right = (_empty_cell(cell) for cell in table.rows[0].cells)
    if header.parent_body:
        _paragraph(left, header.parent_body, size=layout.HEADER_SIZE)
    _paragraph(left, header.issuing_body, size=layout.HEADER_SIZE, bold=True)
    _rule(left, layout.LEFT_RULE_INDENT)
    _paragraph(left, header.number, size=layout.HEADER_SIZE)
    _paragraph(right, header.nation, size=layout.NATION_SIZE, bold=True)
    _paragraph(right, header.motto, size=layout.MOTTO_SIZE, bold=True)
    _rule(right, layout.RIGHT_RULE_INDENT)
    _paragraph(right, header.place_date, size=layout.MOTTO_SIZE, italic=True)
    _paragraph(document, after=0)


def _title(document, content: Document) -> None:
    _paragraph(document, content.document_type, bold=True)
    _paragraph(document, content.summary, bold=True)
    _rule(document, layout.TITLE_RULE_INDENT)


def _body_paragraph(document, block: Paragraph) -> None:
    bold = block.style in ("heading1", "heading2", "subheading")
    italic = block.style == "subheading"
    _paragraph(document, block.text, bold=bold, italic=italic, align=JUSTIFY, indent=True,
               after=layout.SPACE_AFTER)


def _table(document, block: Table) -> None:
    widths = layout.column_widths(block.widths)
    table = _layout_table(document, widths, style="Table Grid")
    _fill_row(table.rows[0], block.columns, block, bold=True, header=True)
    for values in block.rows:
        row = table.add_row()
        _fill_row(row, values, block)
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    _repeat_header_row(table.rows[0])
    _paragraph(document, after=0)


def _image(document, block: Image) -> None:
    """The picture inline in a centred paragraph, no wider than the text; the caption in italics."""
    paragraph = _paragraph(document, after=0 if block.caption else layout.SPACE_AFTER)
    paragraph.paragraph_format.keep_with_next = bool(block.caption)
    width = Mm(min(block.width_mm, layout.TEXT_WIDTH))
    paragraph.add_run().add_picture(io.BytesIO(block.png), width=width)
    if block.caption:
        _paragraph(document, block.caption, size=layout.TABLE_SIZE, italic=True, after=layout.SPACE_AFTER)


def _fill_row(row, values, block: Table, *, bold=False, header=False) -> None:
    for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        if header or column in block.centre:
            align = CENTER
        else:
            align = RIGHT if column in block.right else LEFT
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.first_line_indent = Cm(0)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        if value:
            _run(paragraph, value, size=layout.TABLE_SIZE, bold=bold)


def _repeat_header_row(row) -> None:
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _signature(document, signature: Signature) -> None:
    table = _layout_table(document, layout.SIGNATURE_WIDTHS)
    left, right = (_empty_cell(cell) for cell in table.rows[0].cells)
    _paragraph(left, signature.recipients_heading, size=layout.RECIPIENTS_HEADING_SIZE,
               bold=True, italic=True, align=LEFT)
    for line in signature.recipients:
        _paragraph(left, line, size=layout.RECIPIENTS_SIZE, align=LEFT)
    for line in (signature.authority, signature.title):
        _paragraph(right, line, bold=True)
    for _ in range(layout.SIGNATURE_BLANK_LINES):
        _paragraph(right)
    _paragraph(right, signature.name, bold=True)


def _page_numbers(section) -> None:
    """Page numbers at the top centre from page 2: the first page has its own, empty header."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_after = Pt(0)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = _run(paragraph, "", size=layout.HEADER_SIZE)
        if kind:
            field_char = OxmlElement("w:fldChar")
            field_char.set(qn("w:fldCharType"), kind)
            run._r.append(field_char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text
