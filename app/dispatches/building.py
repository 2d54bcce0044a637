"""Building a dispatch's files from the rollups: the figures are read once and drawn in every
format the schedule asks for."""
from datetime import date

from app.dispatches.figures import figures_for
from app.dispatches.models import Dispatch, FileFormat
from app.dispatches.services import CONTENT_TYPES, BuiltFile, file_name

# Blank: the office writes the number from its register when it signs.
NUMBER = ""
SIGNER_TITLE = "TRƯỞNG PHÒNG"


def narrative_paragraphs(dispatch: Dispatch) -> list[str]:
    return [line.strip() for line in dispatch.narrative.split("\n") if line.strip()]


def build_files(dispatch: Dispatch, today: date) -> list[BuiltFile]:
    """Call in a system scope: the report reads every commune below the district."""
    # Imported here: python-docx, Pillow and XlsxWriter load in the worker that builds, never
    # in the web process.
    from app.dispatches import document
    from app.dispatches.workbook import workbook

    figures = figures_for(dispatch.unit, dispatch.period, today)
    built = []
    for file_format in dispatch.schedule.format_list:
        if file_format == FileFormat.XLSX:
            content = workbook(figures)
        else:
            content = document.render(figures, narrative_paragraphs(dispatch), number=NUMBER,
                             place=dispatch.unit.short_name, issued_on=today, signer_title=SIGNER_TITLE,
                             signer_name="", recipients=[f"- {dispatch.schedule.recipient_name};", "- Lưu: VT."])
        built.append(BuiltFile(file_name(dispatch, file_format), CONTENT_TYPES[file_format], content))
    return built
