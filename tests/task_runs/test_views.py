"""A run's page names its task in the reader's language."""
from app.task_runs import services as runs
from tenants import system_scope
from tests.conftest import login


def test_a_run_page_names_the_rebuild_of_the_rollups(client, users, tree, db):
    with system_scope("test"):
        run = runs.create_run("rebuild_rollups", tree.district.id, users["officer"].id, tree.district.code)
        db.session.commit()
    login(client, "officer")

    page = client.get(f"/tasks/{run.id}").get_data(as_text=True)

    assert "Tính lại số liệu tổng hợp" in page and "rebuild_rollups" not in page
