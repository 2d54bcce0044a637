"""Creating and editing a plan through its services."""
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from app.plans import services
from app.plans.models import Plan, PlanStatus
from app.plans.validation import PlanError
from app.versioning import CONFLICTS, StaleVersion
from tenants import system_scope
from tests.factories import make_plan


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


def test_the_total_target_and_one_sex_give_the_other_and_one_sex_alone_is_refused(template, tree, users, db):
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])  # TT01: 100 in all, from the template
        services.update_plan(plan, users["editor"], plan.version, {"targets": [
            {"indicator": "TT01", "sex": "female", "value": 30}]})
        indicator = template.indicator("TT01")
        assert [plan.target(indicator.id, sex).value for sex in (None, "male", "female")] == [100, 70, 30]

        with pytest.raises(PlanError) as refused:
            services.update_plan(plan, users["editor"], plan.version, {"targets": [
                {"indicator": "TT01", "sex": None, "value": None}, {"indicator": "TT01", "sex": "male", "value": None}]})
        assert refused.value.fields["targets.TT01.male"] == "Vui lòng nhập cả số liệu của nam: tổng bằng nam cộng nữ."
        assert plan.target(indicator.id, None).value == 100


def test_changing_the_women_recomputes_an_untouched_total(template, tree, users, db):
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])
        services.update_plan(plan, users["editor"], plan.version, {"targets": [
            {"indicator": "TT01", "sex": "male", "value": 60},
            {"indicator": "TT01", "sex": "female", "value": 70},
        ]})
        assert plan.target(template.indicator("TT01").id, None).value == 130

        # The women changed, the total not sent (a form leaves out what was not changed).
        services.update_plan(plan, users["editor"], plan.version, {"targets": [
            {"indicator": "TT01", "sex": "female", "value": 90},
        ]})
        assert plan.target(template.indicator("TT01").id, None).value == 150

        # A total sent is the total meant, the saved one (150) or a new one: it must be men plus women.
        for total in (150, 200):
            with pytest.raises(PlanError) as refused:
                services.update_plan(plan, users["editor"], plan.version, {"targets": [
                    {"indicator": "TT01", "sex": None, "value": total},
                    {"indicator": "TT01", "sex": "male", "value": 30},
                    {"indicator": "TT01", "sex": "female", "value": 30},
                ]})
            assert refused.value.fields == {"targets.TT01.total": "Tổng phải bằng nam cộng nữ."}
            assert plan.target(template.indicator("TT01").id, None).value == 150


def test_a_total_below_the_minimum_that_is_not_men_plus_women_says_so(template, tree, users, db):
    """TT01 asks for at least 100: a total of 50 with men 20 and women 20 breaks both rules,
    and the message names the one to mend first."""
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])
        with pytest.raises(PlanError) as refused:
            services.update_plan(plan, users["editor"], plan.version, {"targets": [
                {"indicator": "TT01", "sex": None, "value": 50},
                {"indicator": "TT01", "sex": "male", "value": 20},
                {"indicator": "TT01", "sex": "female", "value": 20},
            ]})
        assert refused.value.fields == {"targets.TT01.total": "Tổng phải bằng nam cộng nữ."}


def test_two_saves_that_read_the_same_version_at_once_let_only_one_through(template, tree, users, db):
    """Both pass the version check; the database's `WHERE version = …` refuses the second."""
    with system_scope("test"):
        plan = make_plan(template, tree.commune, users["editor"])
        db.session.commit()
        read_version = plan.version
        # Another request saves in between, straight in the database.
        with db.engine.begin() as connection:
            connection.execute(sa.update(Plan).where(Plan.id == plan.id).values(version=read_version + 1))

        with pytest.raises(CONFLICTS) as refused:
            services.update_plan(plan, users["leader"], read_version, {"sections": {"muc-dich": "Lần hai"}})
        assert isinstance(refused.value, StaleDataError)
        db.session.rollback()
        assert plan.version == read_version + 1
        assert plan.section("muc-dich").text != "Lần hai"
