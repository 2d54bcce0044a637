"""Checking addresses and sending e-mail: over SMTP when SMTP_HOST is set, else as .eml files in OUTBOX_DIR, so that
`make run` shows what would be sent. Errors reach the caller (a task retries them)."""
import os
import smtplib
import tempfile
from email.message import EmailMessage
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app


def normalized_address(address: str) -> str | None:
    """The address as it should be stored, or None when it is not one. Deliverability is not
    checked: the server may not reach DNS."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def uses_outbox() -> bool:
    return not current_app.config["SMTP_HOST"]


def outbox_path(name: str) -> Path:
    return Path(current_app.config["OUTBOX_DIR"]) / f"{name}.eml"


def new_message(subject: str, to: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = ", ".join(to)
    return message


def send(message: EmailMessage, outbox_name: str) -> str:
    """Send the message; returns where it went, for the log. `outbox_name` names its file in
    the outbox (one per message: a second send of the same name replaces it)."""
    if uses_outbox():
        path = outbox_path(outbox_name)
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
