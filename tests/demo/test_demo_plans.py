"""The demo's plans: Như Xuân's 2023 template from the seed, Bình Lương's approved plan
carrying the seed's text, and other communes' plans at each workflow stage."""
import io
import re
import unicodedata
from datetime import date
from pathlib import Path

from sqlalchemy import func

from app.audit.models import AuditEntry
from app.auth.models import User
from app.demo.services import load_demo
from app.extensions import db as _db
from app.org_units.queries import children_of, get_by_code
from app.plan_templates.models import PlanTemplate, TemplateStatus
from app.plans import services as plan_services
from app.plans import validation
from app.plans.models import Plan, PlanActivity, PlanStatus, PlanTarget, PlanVersion
from app.plans.workflow import Action
from app.reports import services as report_services
from tenants import system_scope

# The real 2023 plan of xã Bình Lương (a PDF's text), copied from DESIGN.md's seed.
SEED = Path(__file__).with_name("seed_binh_luong_2023.txt")
SEED_HEADING = re.compile(r"^(I|II|III|IV|V|\d+)\. ")
SEED_HEADINGS = ["Mục đích yêu cầu", "Nội dung thực hiện",
                 "Tuyên truyền nâng cao nhận thức, thay đổi hành vi về bình đẳng giới",
                 "Nâng cao năng lực và hiệu quả quản lý nhà nước về bình đẳng giới.",
                 "Hỗ trợ thực hiện bình đẳng giới.", "Tổ chức thực hiện"]


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def seed_blocks() -> list[str]:
    """The seed's headings, paragraphs and recipients, one string each. The PDF breaks
    paragraphs across lines, sometimes with a blank line inside: a paragraph starts only
    after a blank line with a capital letter, or after a heading or list line."""
    blocks: list[str] = []
    after_blank, after_standalone = False, True
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = normalised(raw)
        if not line:
            after_blank = True
            continue
        standalone = (bool(SEED_HEADING.match(line)) or line.isupper() or line == "Nơi nhận:"
                      or line.startswith("- "))
        if standalone or after_standalone or (after_blank and line[0].isupper()):
            blocks.append(line)
        else:
            blocks[-1] += " " + line
        after_standalone, after_blank = standalone, False
    return blocks


def seed_paragraphs() -> list[str]:
    return [block for block in seed_blocks()
            if not SEED_HEADING.match(block) and not block.startswith("- ")
            and block not in ("KẾ HOẠCH", "Nơi nhận:")]


def _template() -> PlanTemplate:
    return _db.session.execute(_db.select(PlanTemplate).filter_by(
        unit_id=get_by_code("402").id, year=2023)).scalar_one()


def _plan(code: str) -> Plan | None:
    return _db.session.execute(_db.select(Plan).filter_by(
        unit_id=get_by_code(code).id, year=2023)).scalar_one_or_none()


def _user(username: str) -> User:
    return _db.session.execute(_db.select(User).filter_by(username=username)).scalar_one()


def test_the_seed_reads_as_whole_paragraphs():
    paragraphs = seed_paragraphs()
    assert len(paragraphs) == 3 + 2 + 3 * 3 + 4 + 1  # title, basis, intro; I; 1–3; III; closing
    assert any(paragraph.startswith("Tăng cường sự lãnh đạo") and "sự phối hợp của" in paragraph
               for paragraph in paragraphs)


def test_the_template_is_published_with_the_seed_structure(demo):
    template = _template()
    assert template.status == TemplateStatus.PUBLISHED and template.published_at is not None
    assert template.title == "Triển khai thực hiện chương công tác bình đẳng giới năm 2023"
    assert template.legal_basis_lines == [seed_paragraphs()[1]]
    assert [section.heading for section in template.sections] == SEED_HEADINGS
    assert [section.level for section in template.sections] == [1, 1, 2, 2, 2, 1]
    assert [section.editable for section in template.sections] == [True, False, True, True, True, True]
    assert all(section.guidance for section in template.sections)
    # Every commune's plan names itself: the template has `{unit}` where the seed has Bình Lương.
    assert "Bình Lương" not in template.introduction + template.closing + "".join(
        section.default_text for section in template.sections)
    assert "{unit}" in template.introduction and "UBND {unit}" in template.closing
    assert template.recipients.splitlines()[0] == "Phòng LĐTBXH huyện (b/c);"
    codes = [indicator.code for indicator in template.indicators]
    assert len(codes) >= 8 and len(set(codes)) == len(codes)
    assert {"TT01", "TT02", "TH02", "CB01"} <= set(codes)
    assert template.indicator("TT02").by_sex and template.indicator("TH02").by_sex
    assert {activity.section_key for activity in template.activities} == {
        "tuyen-truyen", "nang-luc", "ho-tro"}


def test_binh_luong_plan_carries_the_seed_text(demo):
    plan = _plan("16204")
    body = [paragraph for section in plan.sections for paragraph in section.paragraphs]
    assert [plan.title, plan.legal_basis, plan.introduction, *body, plan.closing] == seed_paragraphs()
    assert plan.recipient_lines == [block[2:] for block in seed_blocks() if block.startswith("- ")]


def test_binh_luong_plan_is_complete_approved_and_open_to_reports(demo):
    plan = _plan("16204")
    assert plan.status == PlanStatus.APPROVED and plan.edition == 1
    assert [version.status for version in plan.versions] == [PlanStatus.APPROVED]
    assert (plan.document_number, plan.place, plan.document_date.isoformat()) == (
        "45/KH-UBND", "Bình Lương", "2023-05-05")
    assert (plan.signer_authority, plan.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert plan.signer_name
    assert all(plan.target(indicator.id, None) for indicator in plan.template.indicators)
    assert plan.target(plan.template.indicator("CB01").id, None).value == 30
    assert all(activity.months and activity.lead_body for activity in plan.activities)
    assert sum(activity.budget_vnd for activity in plan.activities) == 27_000_000  # KP01's target
    assert validation.submission_problems(plan) == {}
    assert report_services.is_reportable(plan)


def test_binh_luong_editor_amends_and_the_leader_submits_the_amendment(demo):
    plan = _plan("16204")
    plan_services.perform(plan, Action.AMEND, _user("binhluong.editor"), plan.version)
    assert (plan.status, plan.edition) == (PlanStatus.DRAFT, 2)
    assert report_services.is_reportable(plan), "reports go on while an amendment is drafted"
    plan_services.perform(plan, Action.SUBMIT, _user("binhluong.leader"), plan.version)
    assert plan.status == PlanStatus.SUBMITTED


def test_the_demo_walk_through_amend_edit_submit_return_approve(demo):
    """The issue's done-when, through the services, with the demo's own users: the approved
    plan is amended (edition 2) and goes through the same steps."""
    plan = _plan("16204")
    editor, leader, officer = (_user(name) for name in (
        "binhluong.editor", "binhluong.leader", "nhuxuan.officer"))
    plan_services.perform(plan, Action.AMEND, editor, plan.version)
    paragraphs = plan.section("tuyen-truyen").paragraphs
    plan_services.update_plan(plan, editor, plan.version, {
        "sections": {"tuyen-truyen": "\n".join([*paragraphs[:-1], "Một đoạn đã sửa."])},
        "targets": [{"indicator": "TT01", "sex": None, "value": "10"}]})
    plan_services.perform(plan, Action.SUBMIT, leader, plan.version)
    plan_services.perform(plan, Action.RETURN, officer, plan.version, "Bổ sung đối tượng.")
    plan_services.perform(plan, Action.SUBMIT, leader, plan.version)
    plan_services.perform(plan, Action.APPROVE, officer, plan.version)
    assert (plan.status, plan.edition) == (PlanStatus.APPROVED, 2)
    assert [version.status for version in plan.versions] == [
        PlanStatus.APPROVED, PlanStatus.RETURNED, PlanStatus.APPROVED]


def test_other_communes_have_plans_at_each_workflow_stage(demo):
    district = get_by_code("402")
    plans = {commune.short_name: _plan(commune.code) for commune in children_of(district)}
    statuses = {plan.status for plan in plans.values() if plan is not None}
    assert statuses == {PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.APPROVED}
    assert any(plan is None for plan in plans.values()), "some commune is left to create its plan"
    returned = next(plan for plan in plans.values() if plan and plan.status == PlanStatus.RETURNED)
    assert returned.return_comment
    amended = [plan for plan in plans.values() if plan and plan.edition == 2]
    assert [plan.status for plan in amended] == [PlanStatus.DRAFT]
    assert plans["Yên Cát"].introduction.startswith("Uỷ ban nhân dân thị trấn Yên Cát xây dựng")


def test_other_communes_schedule_the_districts_activities_with_budgets_for_their_size(demo):
    binh_luong = {activity.name: activity for activity in _plan("16204").activities}
    cat_van = _plan("16195")  # 1.2 times Bình Lương's size

    assert len(cat_van.activities) == 7  # the district's; Bình Lương's own two are its own
    for activity in cat_van.activities:
        theirs = binh_luong[activity.name]
        assert (activity.months, activity.supporting_bodies) == (theirs.months, theirs.supporting_bodies)
    assert {activity.name: activity.budget_vnd for activity in cat_van.activities} == {
        name: round(binh_luong[name].budget_vnd * 1.2 / 100_000) * 100_000 for name in binh_luong
        if name in {activity.name for activity in cat_van.activities}}
    assert sum(activity.budget_vnd for activity in cat_van.activities) == 25_200_000  # 21,000,000 × 1.2
    assert not any(activity.months for activity in _plan("16174").activities)  # Yên Cát's draft: not yet


def _log(subject: str) -> list[AuditEntry]:
    return list(_db.session.execute(_db.select(AuditEntry).where(
        AuditEntry.subject == subject).order_by(AuditEntry.id)).scalars())


def test_the_template_and_plans_are_dated_in_2023_as_their_documents_say(demo):
    """Loaded in any year, the story keeps its days: the template on the date of the guidance its
    legal basis cites, each plan submitted on its document's date and decided after it, and
    each log in the same order as the steps."""
    template = _template()
    assert template.published_at.date() == date(2023, 4, 10) and "ngày 10/4/2023" in template.legal_basis
    assert [entry.created_at for entry in _log(f"template:{template.id}")] == [template.published_at]
    plans = [plan for commune in children_of(get_by_code("402")) if (plan := _plan(commune.code))]
    for plan in plans:
        log = _log(f"plan:{plan.id}")
        moments = [entry.created_at for entry in log]
        assert moments == sorted(moments) and moments[-1] == plan.updated_at, plan.unit.code
        assert template.published_at < plan.created_at == moments[0] and plan.updated_at.year == 2023
        if plan.submitted_at is not None:
            assert plan.submitted_at.date() == plan.document_date
            assert [version.created_at for version in plan.versions] == [plan.submitted_at]
        if plan.decided_at is not None:
            assert plan.decided_at > plan.submitted_at
            assert plan.decided_at in [entry.created_at for entry in log if entry.action in ("approve", "return")]
    assert {plan.status for plan in plans if plan.submitted_at is None} == {PlanStatus.DRAFT}


def _counts() -> dict[str, int]:
    return {model.__name__: _db.session.execute(_db.select(func.count()).select_from(model)).scalar_one()
            for model in (PlanTemplate, Plan, PlanTarget, PlanActivity, PlanVersion, AuditEntry, User)}


def test_loading_twice_changes_nothing(demo):
    before = _counts()
    with system_scope("demo loaded again"):
        load_demo()
        _db.session.commit()
    assert _counts() == before


def test_binh_luong_demo_document_contains_the_seed_headings_and_paragraphs(demo):
    from docx import Document

    from app.plans.document import render_docx

    document = Document(io.BytesIO(render_docx(_plan("16204"))))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        texts += [paragraph.text for paragraph in section.header.paragraphs]
    text = normalised(" ".join(texts))

    for heading in ("I. MỤC ĐÍCH YÊU CẦU", "II. NỘI DUNG THỰC HIỆN", "III. TỔ CHỨC THỰC HIỆN",
                    "1. Tuyên truyền nâng cao nhận thức, thay đổi hành vi về bình đẳng giới",
                    "2. Nâng cao năng lực và hiệu quả quản lý nhà nước về bình đẳng giới.",
                    "3. Hỗ trợ thực hiện bình đẳng giới."):
        assert heading in text
    for block in seed_blocks():
        expected = block.rstrip(":") if SEED_HEADING.match(block) else block
        if expected.startswith("- "):
            expected = expected[2:]
        assert normalised(expected) in text, expected
    assert "45/KH-UBND" in text
