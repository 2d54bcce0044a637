"""The reports API's calls, and the report as the database has it now."""
from app.extensions import db as _db
from app.reports.models import Report
from tenants import system_scope


def saved(report_id) -> Report:
    with system_scope("test reads what was saved"):
        _db.session.expire_all()
        return _db.session.get(Report, report_id)


def saved_values(report_id) -> dict:
    with system_scope("test reads what was saved"):
        return {(row.indicator.code, row.sex): row.value for row in saved(report_id).values}


def patch(client, headers, report_id, **body):
    return client.patch(f"/api/v1/reports/{report_id}", json=body, headers=headers)


def act(client, headers, report_id, action, **body):
    return client.post(f"/api/v1/reports/{report_id}/{action}", json=body, headers=headers)


def current_version(client, headers, report_id) -> int:
    return client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()["version"]
