"""A rebuild recomputes every rollup below a unit, level by level, and shows its progress;
that it gives what the refreshes give is tests/rollups/test_engine.py's."""
import pytest
from sqlalchemy import inspect

from app.database import utcnow
from app.extensions import db as _db
from app.org_units.models import Level
from app.rollups import completeness, rebuild
from app.task_runs.models import RunState
from app.task_runs.queries import get_run
from app.task_runs.services import create_run
from tasks.rollups import rebuild_rollups
from tenants import system_scope
from tests.factories import OrgUnitFactory
from tests.rollups.engine_data import (
    make_province_of_communes,
    rebuild_below,
    report,
    rows_of,
    state_row,
)

# Each of Như Xuân's three communes' figures.
FIGURES = [{"TR01": 10 * number, ("TT01", "male"): number, ("TT01", "female"): 1} for number in (1, 2, 3)]



@pytest.mark.postgresql
def test_a_rebuild_of_the_whole_tree_leaves_the_tables_keys_as_they_were(nhu_xuan, tree, db):
    """On PostgreSQL it writes the rows without the keys, then builds them again."""
    def keys():
        found = inspect(db.engine)
        return (found.get_pk_constraint("rollups"), found.get_unique_constraints("rollups"),
                found.get_foreign_keys("rollups"))

    for commune, figures in zip(nhu_xuan.communes, FIGURES, strict=True):
        report(nhu_xuan, commune, "2023Q1", figures)
    before = keys()
    rebuild_below(None)

    assert keys() == before and before[0]["name"] and before[1]
    assert before[2] == []  # no foreign key to drop, which would lock the units' table (migration 0014)
    assert rows_of(db, tree.district, "2023Q1")[("TR01", "total")].value == sum(
        figures["TR01"] for figures in FIGURES)


def test_a_rebuild_marks_a_unit_with_nothing_below_it_computed_too(nhu_xuan, tree, db):
    with system_scope("test"):
        empty = OrgUnitFactory(parent=tree.province, level=Level.DISTRICT, division_type="huyện")
        db.session.flush()
        completeness.mark_requested(empty.id, "2023Q1", utcnow())
        db.session.commit()
    rebuild_below(None)
    assert rows_of(db, empty, "2023Q1") == {}
    assert not state_row(db, empty, "2023Q1").stale


def test_the_rebuild_task_records_its_progress(nhu_xuan, tree, db):
    for commune, figures in zip(nhu_xuan.communes, FIGURES, strict=True):
        report(nhu_xuan, commune, "2023Q3", figures)
    with system_scope("test"):
        run = create_run("rebuild_rollups", tree.province.id, None, tree.province.code)
        db.session.commit()
        run_id = run.id
    rebuild_rollups.run(run_id, tree.province.id)
    with system_scope("test"):
        run = get_run(run_id)
        # the districts from their communes' reports, then the province from the districts
        assert run.state == RunState.DONE and run.done == run.total == 2
    district = rows_of(db, tree.district, "2023Q3")
    assert district[("TR01", "total")].value == 10 + 20 + 30
    state = state_row(db, tree.district, "2023Q2")  # expected though nobody reported it yet
    assert (state.expected, state.received, state.on_time) == (3, 0, 0)


def test_the_rebuild_names_each_level_it_has_computed_in_its_requesters_language(nhu_xuan, tree, db):
    report(nhu_xuan, nhu_xuan.communes[0], "2023Q3", FIGURES[0])
    with system_scope("test"):
        run = create_run("rebuild_rollups", tree.province.id, None, tree.province.code)
        shown = []
        summary = rebuild.rebuild(tree.province, run, after_step=lambda: shown.append(run.message))
        assert shown == ["", "Đã tính xong số liệu tổng hợp cấp huyện.", "Đã tính xong số liệu tổng hợp cấp tỉnh."]
        assert run.message == (f"{summary.rows} dòng số liệu tổng hợp cho {summary.units} đơn vị, "
                               f"{len(summary.periods)} kỳ.")


def test_a_rebuild_names_the_communes_parents_by_their_level_or_as_such_when_they_are_of_two(nhu_xuan, tree, db):
    new_tree = make_province_of_communes(db, {"18000": "Xã Mới Một"})
    report(new_tree, new_tree.communes[0], "2023Q3", FIGURES[0])
    with system_scope("test"):
        shown = {}
        for unit in (None, _db.session.merge(new_tree.unit)):  # the whole tree; the new province alone
            run = create_run("rebuild_rollups", unit.id if unit else None, None)
            shown[unit.code if unit else "all"] = messages = []
            rebuild.rebuild(unit, run, after_step=lambda run=run, messages=messages: messages.append(run.message))
    assert shown == {
        "all": ["", "Đã tính xong số liệu tổng hợp của các đơn vị trực tiếp quản lý xã.",
                "Đã tính xong số liệu tổng hợp cấp tỉnh."],
        # The province is its communes' parent, computed with the unit itself, after the step.
        "99": ["", "Đã tính xong số liệu tổng hợp của các đơn vị trực tiếp quản lý xã."],
    }


def test_a_rebuild_of_a_tree_with_no_plan_yet_computes_nothing_and_finishes(tree, db):
    with system_scope("test"):
        summary = rebuild.rebuild(None)
        db.session.commit()
    assert (summary.rows, summary.periods) == (0, [])
    assert rows_of(db, tree.district, "2023") == {}
