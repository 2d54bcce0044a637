"""A run's page names its task, gives its last message in the reader's language and, once it is
done, links to where its work shows."""
import pytest
from flask_babel import lazy_gettext as _l

from app.task_runs import services as runs
from tenants import system_scope
from tests.conftest import login


def _finished_rebuild(db, tree, users):
    with system_scope("test"):
        run = runs.create_run("rebuild_rollups", tree.district.id, users["officer"].id, tree.district.code)
        runs.start(run, total=1)
        runs.finish(run, _l("%(rows)d rows for %(units)d units and %(periods)d periods.", rows=56, units=17,
                            periods=5))
        db.session.commit()
        return run


def test_a_run_page_names_the_rebuild_of_the_rollups_and_its_outcome(client, users, tree, db):
    run = _finished_rebuild(db, tree, users)
    login(client, "officer")

    page = client.get(f"/tasks/{run.id}").get_data(as_text=True)

    assert "Tính lại số liệu tổng hợp" in page and "rebuild_rollups" not in page
    assert "56 dòng số liệu tổng hợp cho 17 đơn vị, 5 kỳ." in page


def test_the_same_run_reads_in_english_for_a_reader_who_chose_english(client, users, tree, db):
    run = _finished_rebuild(db, tree, users)
    login(client, "officer")
    client.post("/language", data={"locale": "en", "next": "/"})

    page = client.get(f"/tasks/{run.id}").get_data(as_text=True)

    assert "Rebuild of the rollups" in page and "56 rows for 17 units and 5 periods." in page


def test_a_finished_rebuild_links_to_the_figures_it_computed(client, users, tree, db):
    run = _finished_rebuild(db, tree, users)
    login(client, "officer")

    page = client.get(f"/tasks/{run.id}").get_data(as_text=True)

    assert ('href="/compare?unit=402" data-testid="task-outcome">Xem số liệu tổng hợp của Huyện Như Xuân</a>'
            in page)


@pytest.mark.parametrize(("name", "arguments", "address"), [
    ("import_org_units", "402", "/units/402"),
    ("send_dispatch", "7", "/dispatches/7"),
])
def test_other_finished_runs_link_to_their_work_and_a_run_not_finished_to_nothing(client, users, tree, db, name,
                                                                               arguments, address):
    with system_scope("test"):
        run = runs.create_run(name, tree.district.id, users["officer"].id, arguments)
        waiting = runs.create_run(name, tree.district.id, users["officer"].id, arguments)
        runs.start(run, total=1)
        runs.finish(run, "")
        db.session.commit()
        run_id, waiting_id = run.id, waiting.id
    login(client, "officer")

    assert f'href="{address}" data-testid="task-outcome"' in client.get(f"/tasks/{run_id}").get_data(as_text=True)
    assert 'data-testid="task-outcome"' not in client.get(f"/tasks/{waiting_id}").get_data(as_text=True)
