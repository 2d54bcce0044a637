"""Creating and editing a plan through its services."""
from decimal import Decimal

import pytest

from app.plans import services
from app.plans.models import PlanStatus
from app.plans.validation import PlanError
from app.versioning import StaleVersion
from tenants import system_scope
from tests.factories import make_plan, make_template


@pytest.fixture
def template(tree, db):
    with system_scope("test data"):
        template = make_template(tree.district)
        db.session.commit()
    return template


def test_a_plan_copies_the_template_with_the_commune_named(template, tree, users, db):
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])
        assert [section.key for section in plan.sections] == [s.key for s in template.sections]
        assert "trên địa bàn xã Bình Lương" in plan.section("muc-dich").text
        assert plan.introduction.startswith("Ủy ban nhân dân xã Bình Lương")
        assert len(plan.activities) == 2
        assert plan.target(template.indicator("TT01").id, None).value == Decimal(100)
        assert plan.status == PlanStatus.DRAFT


def test_an_edit_with_a_stale_version_changes_nothing(template, tree, users, db):
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])
        db.session.commit()
        read_version = plan.version
        services.update_plan(plan, users["editor"], read_version, {"sections": {"muc-dich": "Lần một"}})
        db.session.commit()
        with pytest.raises(StaleVersion):
            services.update_plan(plan, users["leader"], read_version, {"sections": {"muc-dich": "Lần hai"}})
        assert plan.section("muc-dich").text == "Lần một"


def test_female_target_above_total_is_refused(template, tree, users, db):
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])
        with pytest.raises(PlanError) as refused:
            services.update_plan(plan, users["editor"], plan.version, {"targets": [
                {"indicator": "TT01", "sex": None, "value": 120},
                {"indicator": "TT01", "sex": "female", "value": "130"},
            ]})
        assert set(refused.value.fields) == {"targets.TT01.female"}


def test_changing_the_women_recomputes_an_untouched_total(template, tree, users, db):
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])
        services.update_plan(plan, users["editor"], plan.version, {"targets": [
            {"indicator": "TT01", "sex": "male", "value": 60},
            {"indicator": "TT01", "sex": "female", "value": 70},
        ]})
        assert plan.target(template.indicator("TT01").id, None).value == 130

        # A form sends all three: the total as it was, the women changed.
        services.update_plan(plan, users["editor"], plan.version, {"targets": [
            {"indicator": "TT01", "sex": None, "value": 130},
            {"indicator": "TT01", "sex": "male", "value": 60},
            {"indicator": "TT01", "sex": "female", "value": 90},
        ]})
        assert plan.target(template.indicator("TT01").id, None).value == 150

        # A total typed anew that is not men plus women is refused.
        with pytest.raises(PlanError) as refused:
            services.update_plan(plan, users["editor"], plan.version, {"targets": [
                {"indicator": "TT01", "sex": None, "value": 200},
                {"indicator": "TT01", "sex": "male", "value": 60},
                {"indicator": "TT01", "sex": "female", "value": 90},
            ]})
        assert set(refused.value.fields) == {"targets.TT01.total"}
