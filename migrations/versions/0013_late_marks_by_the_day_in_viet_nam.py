"""reports submitted after their deadline in Việt Nam, though before it in UTC, are late

A deadline is a day in Việt Nam. Until this revision a submission was judged late by its UTC
date, so a report submitted between 00:00 and 07:00 there on the day after its deadline was
not marked late. Its mark is set now; the rollups that counted it on time are marked as
waiting, and beat refreshes them (`resend_overdue_refreshes`). The mark is kept on a
downgrade: it is right either way.

Self-contained (no app code): the period ids and their ends are DESIGN.md's.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 15:00:00

"""
import calendar
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

VIET_NAM = ZoneInfo("Asia/Ho_Chi_Minh")
LAST_MONTH = {"Q": 3, "S": 6}  # a quarter's or a half-year's number × its months


def period_end(period_id: str) -> date | None:
    """The last day of a period id (2023, 2023S1, 2023Q3, 202304); None for anything else."""
    match = re.fullmatch(r"(\d{4})(?:([QS])(\d)|(\d{2}))?", period_id)
    if match is None:
        return None
    year, kind, part, month = match.groups()
    last_month = int(month) if month else LAST_MONTH[kind] * int(part) if kind else 12
    if not 1 <= last_month <= 12:
        return None
    return date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])


def upgrade():
    connection = op.get_bind()
    submitted = connection.execute(sa.text(
        "SELECT report.id, report.period, report.submitted_at, template.report_deadline_days, unit.path "
        "FROM reports AS report JOIN plans AS plan ON plan.id = report.plan_id "
        "JOIN plan_templates AS template ON template.id = plan.template_id "
        "JOIN org_units AS unit ON unit.id = report.unit_id "
        "WHERE report.late = false AND report.submitted_at IS NOT NULL")).all()
    late = []
    for report_id, period_id, submitted_at, deadline_days, path in submitted:
        end = period_end(period_id)
        if isinstance(submitted_at, str):  # SQLite hands back text
            submitted_at = datetime.fromisoformat(submitted_at)
        local_day = submitted_at.replace(tzinfo=UTC).astimezone(VIET_NAM).date()
        if end is not None and local_day > end + timedelta(days=deadline_days):
            late.append((report_id, period_id, path))
    now = datetime.now(UTC).replace(tzinfo=None)
    for report_id, period_id, path in late:
        connection.execute(sa.text("UPDATE reports SET late = true WHERE id = :id"), {"id": report_id})
        ancestors = path.strip("/").split("/")[:-1]
        connection.execute(sa.text(
            "UPDATE rollup_states SET requested_at = :now WHERE period IN (:period, :year) "
            "AND unit_id IN (SELECT id FROM org_units WHERE code IN :codes)").bindparams(
            sa.bindparam("codes", expanding=True)),
            {"now": now, "period": period_id, "year": period_id[:4], "codes": ancestors})


def downgrade():
    pass
