"""The locks that order the rollups' transactions on PostgreSQL: a refresh waits for a request
still being committed, a plan's approval takes the years' locks last, a request waits while
a rebuild's step writes, and so does an answer, which then reads the rows the step wrote."""
import threading
import time

import pytest
from sqlalchemy import select, text, update

from app.extensions import db as _db
from app.home import views as home_views
from app.org_units.models import OrgUnit
from app.plan_templates.models import TemplateIndicator
from app.reports.models import ReportValue
from app.rollups import comparison, engine, locks, queries, services
from tasks.rollups import refresh_rollups
from tenants import system_scope
from tests.rollups.engine_data import refresh, report, rows_of, state_row


def whole_tree_rebuild_step(app, errors: list, staging: threading.Event | None = None) -> threading.Thread:
    """The first step of a rebuild of the whole tree, in a thread of its own (not started): it
    empties the rollups and drops and rebuilds their keys (`engine.rows_replaced`; its rows are
    not the point, its locks are), then commits. With `staging`, it first takes the rebuild's
    lock, sets the event and stages its rows for half a second. Its error goes to `errors`."""
    def step():
        try:
            with app.app_context(), system_scope("test"):
                if staging is not None:
                    locks.lock(*locks.REBUILD_LOCK)
                    staging.set()
                    time.sleep(0.5)
                with engine.rows_replaced(lambda column: column.is_not(None), whole_table=True):
                    pass
                _db.session.commit()
        except Exception as error:  # reported in the test's thread
            errors.append(error)

    return threading.Thread(target=step)

@pytest.mark.postgresql
def test_a_refresh_waits_for_a_request_still_being_committed(nhu_xuan, tree, db, app):
    commune = nhu_xuan.communes[0]
    accepted = report(nhu_xuan, commune, "2023Q1", {"TR01": 10})
    refresh(commune.unit, "2023Q1")
    marked, commit_now = threading.Event(), threading.Event()

    def correct_the_report_slowly():
        """A new figure and its request, in a transaction that commits late."""
        with app.app_context(), system_scope("test"):
            _db.session.execute(update(ReportValue).where(
                ReportValue.report_id == accepted.id, ReportValue.indicator_id.in_(
                    select(TemplateIndicator.id).where(TemplateIndicator.code == "TR01"))).values(
                value=ReportValue.value + 5))
            services.request_refresh(_db.session.get(OrgUnit, commune.unit.id), "2023Q1")
            marked.set()
            commit_now.wait(10)
            _db.session.commit()

    def refresh_in_a_worker():
        with app.app_context():
            refresh_rollups.run(commune.unit.id, "2023Q1")

    request, worker = threading.Thread(target=correct_the_report_slowly), threading.Thread(target=refresh_in_a_worker)
    request.start()
    assert marked.wait(10)
    worker.start()
    worker.join(timeout=0.5)
    assert worker.is_alive()  # waiting for the request's commit
    commit_now.set()
    request.join(timeout=10)
    worker.join(timeout=10)

    district = rows_of(db, tree.district, "2023Q1")[("TR01", "total")]
    assert district.value == 10 + 5
    assert not state_row(db, tree.district, "2023Q1").stale


@pytest.mark.postgresql
def test_a_request_for_several_quarters_takes_the_years_locks_last(nhu_xuan, tree, db, app):
    """A plan's approval asks for its four quarters at once while a refresh holds one quarter
    and then wants the year: the approval must not hold the year while it waits."""
    commune = nhu_xuan.communes[0]
    quarter_held, approval_waiting, year_taken = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def refresh_holding_a_quarter():
        try:
            with app.app_context():
                locks.lock(tree.district.id, "2023Q2")
                quarter_held.set()
                approval_waiting.wait(10)
                _db.session.execute(text("SET LOCAL lock_timeout = '3s'"))
                locks.lock(tree.district.id, "2023")  # times out if the approval holds it
                year_taken.set()
                _db.session.commit()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    def approval_asking_for_every_quarter():
        try:
            with app.app_context(), system_scope("test"):
                services.request_refresh(_db.session.get(OrgUnit, commune.unit.id), "2023Q1", "2023Q2", "2023Q3",
                                         "2023Q4")
                _db.session.commit()
        except Exception as error:  # a deadlock: PostgreSQL aborts one of the two
            errors.append(error)

    refresh, approval = (threading.Thread(target=refresh_holding_a_quarter),
                         threading.Thread(target=approval_asking_for_every_quarter))
    refresh.start()
    assert quarter_held.wait(10)
    approval.start()
    approval.join(timeout=0.5)  # it waits for 2023Q2
    approval_waiting.set()
    refresh.join(timeout=10)
    approval.join(timeout=10)
    assert errors == [] and year_taken.is_set()
    assert not approval.is_alive()


@pytest.mark.postgresql
def test_a_request_waits_while_a_rebuilds_step_writes(nhu_xuan, tree, db, app):
    """A step of a rebuild writes whole levels of states: a report's request made meanwhile
    waits for the step's commit instead of locking the same rows in another order."""
    commune = nhu_xuan.communes[0]
    step_running, step_done = threading.Event(), threading.Event()

    def rebuild_step():
        with app.app_context():
            locks.lock(*locks.REBUILD_LOCK)
            step_running.set()
            step_done.wait(10)
            _db.session.commit()

    def request():
        with app.app_context(), system_scope("test"):
            services.request_refresh(_db.session.get(OrgUnit, commune.unit.id), "2023Q1")
            _db.session.commit()

    step, requesting = threading.Thread(target=rebuild_step), threading.Thread(target=request)
    step.start()
    assert step_running.wait(10)
    requesting.start()
    requesting.join(timeout=0.5)
    assert requesting.is_alive()
    step_done.set()
    step.join(timeout=10)
    requesting.join(timeout=10)
    assert not requesting.is_alive()
    assert state_row(db, tree.district, "2023Q1").stale


@pytest.mark.postgresql
def test_figures_read_while_a_rebuild_of_the_whole_tree_writes_are_its_new_rows(nhu_xuan, tree, client, as_user,
                                                                                db):
    """A rebuild of the whole tree empties the table with TRUNCATE, which a snapshot taken
    before it commits would see as empty: an answer waits for the rebuild's step before its
    snapshot is taken, and reads the rows the step wrote."""
    commune = nhu_xuan.communes[0]
    report(nhu_xuan, commune, "2023Q1", {"TR01": 10})
    refresh(commune.unit, "2023Q1")
    headers = as_user("officer")
    rebuild = db.engine.connect()
    step = rebuild.begin()
    rebuild.execute(text("CREATE TEMPORARY TABLE rows_computed AS SELECT * FROM rollups"))
    rebuild.execute(text("UPDATE rows_computed SET value = value + 1"))
    rebuild.execute(text("TRUNCATE rollups"))  # as engine.rows_replaced does
    rebuild.execute(text("INSERT INTO rollups SELECT * FROM rows_computed"))
    committed = threading.Timer(0.5, step.commit)
    committed.start()

    body = client.get("/api/v1/rollups?unit=402&period=2023Q1", headers=headers).get_json()

    committed.join()
    rebuild.close()
    [leaflets] = [item for item in body["indicators"] if (item["indicator"], item["sex"]) == ("TR01", None)]
    assert leaflets["value"] == 10 + 1


@pytest.mark.postgresql
@pytest.mark.parametrize("url, reader, read", [
    ("/api/v1/rollups?unit=402&period=2023Q1", queries, "rollup_rows"),
    ("/compare?unit=402&period=2023Q1", comparison, "period_choices"),
    ("/", home_views, "period_choices"),  # the district's home links to its year's comparison
])
def test_a_page_and_a_rebuild_of_the_whole_tree_never_wait_for_each_other(nhu_xuan, tree, client, login_as, as_user,
                                                                          db, app, monkeypatch, url, reader, read):
    """The rebuild's step empties the rollups' table and drops its keys, one of which names the
    units' table: it waits for the pages reading rollups, and they for it, but in one order.
    Had a page read the units before it locked the rollups, the step would hold the rollups
    while waiting for the units, and PostgreSQL would end one of them as a deadlock."""
    commune = nhu_xuan.communes[0]
    report(nhu_xuan, commune, "2023Q1", {"TR01": 10})
    refresh(commune.unit, "2023Q1")
    headers = as_user("officer")
    login_as("officer")
    errors = []
    step = whole_tree_rebuild_step(app, errors)
    read_rollups = getattr(reader, read)

    def read_once_the_rebuild_has_begun(*args):
        step.start()
        step.join(timeout=0.5)  # it waits for this page to end
        return read_rollups(*args)

    monkeypatch.setattr(reader, read, read_once_the_rebuild_has_begun)
    response = client.get(url, headers=headers)
    step.join(timeout=10)

    assert (response.status_code, errors) == (200, [])
    assert not step.is_alive()


@pytest.mark.postgresql
def test_a_refresh_and_a_rebuild_of_the_whole_tree_never_wait_for_each_other(nhu_xuan, tree, db, app):
    """A refresh that comes while the rebuild stages its rows waits for the rebuild's step, which
    holds the rebuild's lock while it waits for the units' table (it drops the rollups' keys):
    had the refresh read the units before asking for that lock, PostgreSQL would end one of
    them as a deadlock."""
    commune = nhu_xuan.communes[0]
    report(nhu_xuan, commune, "2023Q1", {"TR01": 10})
    refresh(commune.unit, "2023Q1")
    commune_id = commune.unit.id
    _db.session.commit()  # as a worker's task, the refresh begins a transaction of its own
    errors, lock_held = [], threading.Event()
    step = whole_tree_rebuild_step(app, errors, staging=lock_held)
    step.start()
    assert lock_held.wait(10)
    try:
        refresh_rollups.run(commune_id, "2023Q1")
    except Exception as error:
        errors.append(error)
    step.join(timeout=10)

    assert errors == [] and not step.is_alive()
    assert rows_of(db, tree.district, "2023Q1")[("TR01", "total")].value == 10  # computed after the step


@pytest.mark.postgresql
def test_a_report_accepted_while_a_rebuild_of_the_whole_tree_runs_waits_for_it(nhu_xuan, tree, db, app, client,
                                                                                as_user):
    """The step reads the officer's unit before it asks for the rebuild's lock; the rebuild's
    step, holding that lock, no longer waits for the units' table (the rollups have no key to
    it), so the two never wait for each other."""
    commune = nhu_xuan.communes[0]
    submitted = report(nhu_xuan, commune, "2023Q1", {"TR01": 10}, accept=False)
    report_id, version = submitted.id, submitted.version
    headers = as_user("officer")
    _db.session.commit()
    errors, lock_held = [], threading.Event()
    step = whole_tree_rebuild_step(app, errors, staging=lock_held)
    step.start()
    assert lock_held.wait(10)
    response = client.post(f"/api/v1/reports/{report_id}/accept", json={"version": version}, headers=headers)
    step.join(timeout=10)

    assert (response.status_code, errors) == (200, []) and not step.is_alive()
