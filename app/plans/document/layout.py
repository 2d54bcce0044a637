"""Page geometry and type sizes of the official format (Nghị định 30/2020/NĐ-CP, Phụ lục I),
shared by the Word and PDF writers (the print view's CSS repeats them)."""

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = 210, 297  # A4, mm
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm

BODY_SIZE = 14
HEADER_SIZE = 13  # issuing body and number
NATION_SIZE = 12  # CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
MOTTO_SIZE = 13  # Độc lập - Tự do - Hạnh phúc, place and date
TABLE_SIZE = 12
RECIPIENTS_HEADING_SIZE = 12
RECIPIENTS_SIZE = 11
PAGE_NUMBER_SIZE = 13

FIRST_LINE_INDENT_CM = 1.0
SPACE_AFTER = 6  # pt
LINE_SPACING = 1.15
RULE_SPACE_AFTER = 3  # pt

HEADER_WIDTHS = (65, 100)  # mm: issuing body | national title
SIGNATURE_WIDTHS = (80, 85)  # mm: recipients | signature
# Rules are centred lines; each indent is taken from both sides of its column.
LEFT_RULE_INDENT = 20  # a 25 mm line under the issuing body
RIGHT_RULE_INDENT = 20  # a 60 mm line under the motto
TITLE_RULE_INDENT = 67.5  # a 30 mm line under the summary
SIGNATURE_BLANK_LINES = 4


def column_widths(relative: tuple[int, ...]) -> tuple[float, ...]:
    """Relative column widths scaled to the text width, in mm."""
    total = sum(relative)
    return tuple(TEXT_WIDTH * part / total for part in relative)
