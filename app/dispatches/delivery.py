"""A prepared report as one e-mail with its files attached (sent by app/mail.py)."""
from email.utils import make_msgid
from pathlib import PurePath

from flask_babel import lazy_gettext as _l

from app import mail
from app.dispatches.figures import period_label
from app.dispatches.models import Dispatch
from app.task_runs.services import short_cause


def message_for(dispatch: Dispatch):
    schedule = dispatch.schedule
    message = mail.new_message(
        f"Báo cáo bình đẳng giới {period_label(dispatch.period)} — {dispatch.unit.name}", schedule.emails)
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


def deliver(dispatch: Dispatch):
    """Send the e-mail; returns where it went, as the officer reads it (a lazy string)."""
    where = mail.send(message_for(dispatch), f"dispatch-{dispatch.id}-{dispatch.unit.code}-{dispatch.period}")
    recipients = ", ".join(dispatch.schedule.emails)
    if mail.uses_outbox():  # `make run`: the file's name, not the server's folders
        return _l("No mail server is set up: the e-mail to %(emails)s is kept in the outbox as %(file)s.",
                  emails=recipients, file=PurePath(where).name)
    return _l("Sent to %(emails)s.", emails=recipients)


def failure(error: Exception):
    """Why a send failed, as the officer reads it: the mail library's words stay as they are."""
    return _l("The e-mail could not be sent (%(cause)s).", cause=short_cause(error))
