"""Delivering a prepared report: one e-mail with its files attached, over SMTP (configured by
environment), or, with no SMTP server configured, as an .eml file in the outbox folder so that
a newcomer sees what would be sent. Errors are left to the caller (the task retries them)."""
import os
import smtplib
import tempfile
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from app.dispatches.figures import period_label
from app.dispatches.models import Dispatch


def message_for(dispatch: Dispatch) -> EmailMessage:
    schedule = dispatch.schedule
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = f"Báo cáo bình đẳng giới {period_label(dispatch.period)} — {dispatch.unit.name}"
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(schedule.emails)
    # One id per dispatch: a receiving server that sees it twice knows it is the same report.
    message["Message-ID"] = make_msgid(idstring=f"dispatch-{dispatch.id}", domain="kehoach")
    message.set_content(
        f"Kính gửi: {schedule.recipient_name}\n\n"
        f"{dispatch.unit.name} gửi báo cáo tổng hợp công tác bình đẳng giới {period_label(dispatch.period)}"
        f" (tệp đính kèm).\n\nTệp và mã kiểm tra SHA-256:\n"
        + "".join(f"- {file.name}: {file.sha256}\n" for file in dispatch.files))
    for file in dispatch.files:
        main, sub = file.content_type.split("/", 1)
        message.add_attachment(file.content, maintype=main, subtype=sub, filename=file.name)
    return message


def outbox_path(dispatch: Dispatch) -> Path:
    return Path(current_app.config["OUTBOX_DIR"]) / f"dispatch-{dispatch.id}-{dispatch.unit.code}-{dispatch.period}.eml"


def uses_outbox() -> bool:
    return not current_app.config["SMTP_HOST"]


def deliver(dispatch: Dispatch) -> str:
    """Send the e-mail; returns where it went, for the log."""
    message = message_for(dispatch)
    if uses_outbox():
        path = outbox_path(dispatch)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole then renamed: the outbox never holds half a message.
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".part") as part:
            part.write(bytes(message))
        os.replace(part.name, path)
        return str(path)
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT_SECONDS"]) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
    return f"{config['SMTP_HOST']}:{config['SMTP_PORT']}"
