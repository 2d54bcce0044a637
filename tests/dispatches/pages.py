"""What the dispatch page tests read: pages, their parts and messages, and the rows saved."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import lxml.html
from flask_babel import force_locale, gettext

from app.dispatches.models import Dispatch
from tenants import system_scope
from tests.dispatches.conftest import RECIPIENT_EMAIL, RECIPIENT_NAME

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
VALID_FORM = {"period_type": "quarter", "days_after_deadline": "5", "recipient_name": RECIPIENT_NAME,
              "recipient_emails": f"{RECIPIENT_EMAIL}, bdg@thanhhoa.gov.vn", "formats": ["xlsx", "docx"],
              "mode": "review", "active": "y"}


def vi(message: str, **variables) -> str:
    """The message as a Vietnamese reader gets it (the users' language)."""
    with force_locale("vi"):
        return gettext(message, **variables)


def en(message: str, **variables) -> str:
    with force_locale("en"):
        return gettext(message, **variables)


def in_viet_nam(moment: datetime) -> datetime:
    """A stored time (UTC) as a clock in Viet Nam shows it."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:500]
    return lxml.html.fromstring(response.get_data(as_text=True))


def text(element) -> str:
    return " ".join(element.text_content().split())


def alerts(document) -> list[str]:
    return [text(alert) for alert in document.xpath("//div[@role='alert']")]


def state_of(document, period: str | None = None) -> str:
    scope = f"//tr[@data-testid='dispatch-{period}']" if period else ""
    return document.xpath(f"{scope}//*[@data-testid='dispatch-state']/@data-state")[0]


def shown_files(document, period: str) -> dict[str, tuple[str, str]]:
    """On the list: each file's name → (its link, the SHA-256 shown beside it)."""
    files = {}
    for link in document.xpath(f"//tr[@data-testid='dispatch-{period}']//a[starts-with(@data-testid, 'file-')]"):
        files[text(link)] = (link.get("href"), link.getnext().xpath(".//code/@title")[0])
    return files


def field_errors(document) -> dict[str, str]:
    """The schedule form's messages, by the name of the field they stand under."""
    errors = {}
    for feedback in document.xpath("//form[@data-testid='schedule-form']//div[contains(@class, 'invalid-feedback')]"):
        name = feedback.getparent().xpath(".//*[@name]")[0].get("name")
        errors[name] = text(feedback)
    return errors


def saved(db, model, row_id: int, read=lambda row: row):
    """`read(row)` on the row as the database has it now."""
    with system_scope("test reads what was saved"):
        db.session.expire_all()
        return read(db.session.get(model, row_id))


def count(db, model) -> int:
    with system_scope("test counts rows"):
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def file_hashes(db, dispatch_id: int) -> dict[str, str]:
    return saved(db, Dispatch, dispatch_id, lambda dispatch: {file.name: file.sha256 for file in dispatch.files})
