"""PostgreSQL's planner settings around the rollups' statements."""
import pytest
from sqlalchemy import text

from app.rollups import services
from tenants import system_scope
from tests.rollups.engine_data import report


@pytest.mark.postgresql
def test_a_refresh_plans_its_statements_once_and_leaves_the_connection_as_it_was(nhu_xuan, tree, db):
    report(nhu_xuan, nhu_xuan.communes[0], "2023Q1", {"TR01": 10})
    with system_scope("test"):
        driver = db.session.connection().connection.driver_connection
        threshold, mode = driver.prepare_threshold, db.session.execute(text("SHOW plan_cache_mode")).scalar()
        services.refresh_ancestors(nhu_xuan.communes[0].unit.id, "2023Q1")
        plans = db.session.execute(text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO rollups%'"
        )).all()
        after = driver.prepare_threshold, db.session.execute(text("SHOW plan_cache_mode")).scalar()
        db.session.commit()

    # The district's rows from its communes, the province's from its districts: one generic
    # plan each, prepared at their first execution.
    assert len(plans) == 2 and all(generic >= 1 and custom == 0 for generic, custom in plans)
    assert after == (threshold, mode)
