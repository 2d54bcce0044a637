"""The report's edit form as the tests send it and read back what it saved (shared by
test_views.py and test_validation.py)."""
from dataclasses import dataclass

from app.reports.models import Report
from tenants import system_scope


@dataclass
class Draft:
    id: int
    version: int
    activity_ids: list[int]


def follow(client, response):
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client.get(response.headers["Location"]).get_data(as_text=True)


def saved(db, report_id: int) -> Report:
    with system_scope("test reads the saved report"):
        db.session.expire_all()
        return db.session.get(Report, report_id)


def saved_values(db, report_id: int) -> dict[tuple[str, str | None], float]:
    with system_scope("test reads the saved report"):
        report = saved(db, report_id)
        return {(row.indicator.code, row.sex): float(row.value) for row in report.values}


def form_of(report, version=None, counts=(), **typed) -> dict:
    """The edit form as a browser sends it: every input, empty unless given (`counts`: the
    codes of the template's indicators beyond the three of `make_template`, a total each)."""
    data = {"version": report.version if version is None else version}
    inputs = [("TT01", ("total", "male", "female")), ("CB01", ("total",)), ("TR01", ("total",))]
    for code, keys in inputs + [(code, ("total",)) for code in counts]:
        for key in keys:
            data[f"values.{code}.{key}"] = ""
    for activity_id in report.activity_ids:
        data.update({f"activities.{activity_id}.progress": "not_started",
                     f"activities.{activity_id}.note": "", f"activities.{activity_id}.budget_spent": ""})
    data.update({name.replace("__", "."): value for name, value in typed.items()})
    return data


def refused_in(language: str, message: str, client, login_as, report, **typed) -> str:
    """The editor's save of the form with `typed`, in `language`: refused (422) with `message`.
    Returns the page."""
    login_as("editor")
    client.post("/language", data={"locale": language, "next": "/"})
    response = client.post(f"/reports/{report.id}/edit", data=form_of(report, **typed))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    return page
