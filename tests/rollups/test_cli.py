"""`flask rollups rebuild`: sends a task with a run, or runs it here with --now."""
from app.rollups.models import Rollup
from app.task_runs.models import RunState, TaskRun
from tenants import system_scope
from tests.factories import approve_plan, make_plan, make_report, make_template


def test_rebuild_now_recomputes_below_a_unit_and_reports_the_run(app, db, tree, users):
    with system_scope("test data"):
        plan = approve_plan(make_plan(make_template(tree.district), tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        make_report(plan, "2023Q2", {"TR01": 12}, users["editor"], users["leader"], users["officer"])
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["rollups", "rebuild", "--unit", "402", "--now"])

    assert result.exit_code == 0, result.output
    assert "402: run" in result.output and "done" in result.output
    db.session.rollback()
    with system_scope("test"):
        value = db.session.execute(db.select(Rollup.value).where(
            Rollup.unit_id == tree.province.id, Rollup.period == "2023",
            Rollup.indicator_code == "TR01")).scalar_one()
        assert value == 12
        run = db.session.execute(db.select(TaskRun)).scalar_one()
        assert (run.name, run.state, run.unit_id) == ("rebuild_rollups", RunState.DONE, tree.district.id)


def test_rebuild_sends_the_task_and_an_unknown_unit_is_refused(app, db, tree):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["rollups", "rebuild", "--unit", "99999"]).exit_code != 0
    result = runner.invoke(args=["rollups", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "all: run" in result.output and "sent to the workers" in result.output
    run_id = result.output.split("run ")[1].split()[0]
    assert f"follow it at /tasks/{run_id} or GET /api/v1/tasks/{run_id}" in result.output


def test_a_rebuild_the_broker_cannot_take_is_said_to_have_failed(app, db, tree, broker_down):
    with broker_down():
        result = app.test_cli_runner().invoke(args=["rollups", "rebuild", "--unit", "402"])
    assert result.exit_code == 1
    assert "402: run" in result.output and "failed: Không kết nối được với tiến trình chạy nền" in result.output
    assert "sent to the workers" not in result.output
