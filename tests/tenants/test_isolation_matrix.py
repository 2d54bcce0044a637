"""Every route that names an object or a unit answers 404 to a user outside its scope, and
changes nothing. The matrix is checked against `app.url_map`: a new route must be added."""
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from app.auth.models import Role
from app.dispatches import services as dispatch_services
from app.dispatches.models import Dispatch, FileFormat
from app.plans import services
from app.reports import services as report_services
from tenants import system_scope
from tests.conftest import api_token, login
from tests.factories import TaskRunFactory, approve_plan, make_plan, make_template

# Endpoints whose arguments are not tenant objects.
NOT_TENANT_ROUTES = {"static", "bootstrap.static"}

# People outside Bình Lương (the target's commune) and outside Như Xuân (its district).
ATTACKERS = ["sibling_editor", "other_editor", "other_district_officer", "other_district_admin"]


@dataclass(frozen=True)
class Route:
    method: str
    # formatted with the target objects: {commune}, {district}, {user}, {run}, {template} (Như
    # Xuân's), {template_activity} (its first activity), {plan}, {activity}, {version} (Bình Lương's),
    # {schedule}, {dispatch}, {dispatch_file} (Như Xuân's reports to the province)
    url: str
    roles: tuple[Role, ...] | None = None  # who may use the route at all (None: any user)
    api: bool = False
    # Attackers who may legitimately read the target: Yên Cát's editor reads its district's
    # template. They must get 200, and still change nothing.
    shared_with: tuple[str, ...] = ()
    # Who shows the route works for someone in scope (a key of `users`), and what they get.
    owner: str | None = None
    owner_statuses: tuple[int, ...] = (200, 201, 202, 204, 302)


MANAGERS = (Role.DISTRICT_ADMIN, Role.ADMIN)
TEMPLATE_READERS = (Role.DISTRICT_OFFICER, Role.PROVINCE_VIEWER, Role.ADMIN)
TEMPLATE_AUTHORS = (Role.DISTRICT_OFFICER, Role.ADMIN)
PLAN_WRITERS = (Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER, Role.ADMIN)
PLAN_ACTORS = (Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER, Role.DISTRICT_OFFICER, Role.ADMIN)
DISPATCH_WRITERS = (Role.DISTRICT_OFFICER, Role.ADMIN)
DISPATCH_READERS = (*DISPATCH_WRITERS, Role.DISTRICT_ADMIN, Role.PROVINCE_VIEWER)

MATRIX = {
    "user_admin.disable": Route("POST", "/users/{user}/disable", MANAGERS),
    "user_admin.enable": Route("POST", "/users/{user}/enable", MANAGERS),
    "user_admin.reset_password": Route("POST", "/users/{user}/password", MANAGERS),
    "org_units.show": Route("GET", "/units/{commune}"),
    "org_units.reimport": Route("POST", "/units/{district}/import", MANAGERS),
    "task_runs.show": Route("GET", "/tasks/{run}"),
    "api.get_org_unit": Route("GET", "/api/v1/org-units/{commune}", api=True),
    "api.list_org_units": Route("GET", "/api/v1/org-units?parent={commune}", api=True),
    "api.get_task": Route("GET", "/api/v1/tasks/{run}", api=True),
    # Templates: the fixture's is Như Xuân's, published, so its officer's edits answer 409
    # (a published template never changes) and edit pages redirect to it.
    "plan_templates.show": Route("GET", "/templates/{template}", TEMPLATE_READERS, owner="officer"),
    "plan_templates.edit": Route("GET", "/templates/{template}/edit", TEMPLATE_AUTHORS, owner="officer", owner_statuses=(302,)),
    "plan_templates.publish": Route("POST", "/templates/{template}/publish", TEMPLATE_AUTHORS, owner="officer",
                                     owner_statuses=(409,)),
    "plan_templates.new_revision": Route("POST", "/templates/{template}/revision", TEMPLATE_AUTHORS, owner="officer"),
    # Which reports the rollups count may change on a published template; without a choice
    # the officer's change is refused (422).
    "plan_templates.change_counting": Route("POST", "/templates/{template}/counting", TEMPLATE_AUTHORS,
                                            owner="officer", owner_statuses=(422,)),
    **{f"plan_templates.{action}_{kind}": Route(method, f"/templates/{{template}}/{path}", TEMPLATE_AUTHORS,
                                                owner="officer", owner_statuses=(302, 409))
       for kind, item in (("section", "sections/muc-dich"), ("activity", "activities/{template_activity}"),
                          ("indicator", "indicators/TT01"))
       for action, method, path in (("add", "POST", item.rsplit("/", 1)[0] + "/new"), ("edit", "POST", item + "/edit"),
                                    ("move", "POST", item + "/move"), ("remove", "POST", item + "/remove"))},
    "api.get_template": Route("GET", "/api/v1/templates/{template}", api=True, shared_with=("sibling_editor",)),
    "api.publish_template": Route("POST", "/api/v1/templates/{template}/publish", TEMPLATE_AUTHORS, api=True,
                                  owner="officer", owner_statuses=(400,)),
    "api.update_template": Route("PATCH", "/api/v1/templates/{template}", TEMPLATE_AUTHORS, api=True,
                                 owner="officer", owner_statuses=(400,)),
    # The plan as a document: anyone who can see the plan may download it.
    "plan_documents.docx": Route("GET", "/plans/{plan}/document.docx"),
    "plan_documents.pdf": Route("GET", "/plans/{plan}/document.pdf"),
    "plan_documents.print_view": Route("GET", "/plans/{plan}/print"),
    # Plan pages: the fixture's plan is submitted, so its editor's edit forms redirect to the
    # plan with a message; a reviewer's action without a version is stale (redirect too).
    "plans.show": Route("GET", "/plans/{plan}"),
    "plans.versions": Route("GET", "/plans/{plan}/versions"),
    "plans.compare": Route("GET", "/plans/{plan}/versions/compare?from={version}&to=current"),
    "plans.act": Route("POST", "/plans/{plan}/actions/approve", PLAN_ACTORS, owner="officer", owner_statuses=(302,)),
    **{f"plans.{endpoint}": Route(method, f"/plans/{{plan}}/{path}", PLAN_WRITERS, owner="editor", owner_statuses=(302, 409))
       for endpoint, method, path in (("edit_section", "GET", "sections/muc-dich"), ("edit_details", "GET", "details"),
                                      ("edit_targets", "POST", "targets"), ("new_activity", "GET", "activities/new"),
                                      ("edit_activity", "POST", "activities/{activity}"),
                                      ("delete_activity", "POST", "activities/{activity}/delete"))},
    # Plans API: the fixture's plan is submitted, so its commune's writes answer 409, and a
    # reviewer's form-encoded body 400 (the API reads JSON only).
    "api.get_plan": Route("GET", "/api/v1/plans/{plan}", api=True),
    "api.update_plan": Route("PATCH", "/api/v1/plans/{plan}", api=True, owner="editor", owner_statuses=(409,)),
    "api.submit_plan": Route("POST", "/api/v1/plans/{plan}/submit", api=True, owner="leader", owner_statuses=(409,)),
    "api.approve_plan": Route("POST", "/api/v1/plans/{plan}/approve", api=True, owner="officer", owner_statuses=(400,)),
    "api.return_plan": Route("POST", "/api/v1/plans/{plan}/return", api=True, owner="officer", owner_statuses=(400,)),
    "api.amend_plan": Route("POST", "/api/v1/plans/{plan}/amend", api=True, owner="editor", owner_statuses=(409,)),
    "api.list_plan_versions": Route("GET", "/api/v1/plans/{plan}/versions", api=True),
    "api.plan_document_docx": Route("GET", "/api/v1/plans/{plan}/document.docx", api=True),
    "api.plan_document_pdf": Route("GET", "/api/v1/plans/{plan}/document.pdf", api=True),
    "api.add_plan_activity": Route("POST", "/api/v1/plans/{plan}/activities", api=True,
                                   owner="editor", owner_statuses=(409,)),
    "api.update_plan_activity": Route("PATCH", "/api/v1/plans/{plan}/activities/{activity}", api=True,
                                      owner="editor", owner_statuses=(409,)),
    "api.remove_plan_activity": Route("DELETE", "/api/v1/plans/{plan}/activities/{activity}", api=True,
                                      owner="editor", owner_statuses=(409,)),
    # Report pages: {report} is a draft of {approved_plan}. Without a version, the editor's save
    # is stale (409) and the leader's submission is refused with a message (redirect); without
    # a period, the editor's "write the report" is refused with a message too.
    "reports.for_plan": Route("GET", "/plans/{approved_plan}/reports"),
    "reports.create": Route("POST", "/plans/{approved_plan}/reports", PLAN_WRITERS, owner="editor", owner_statuses=(302,)),
    "reports.show": Route("GET", "/reports/{report}"),
    "reports.edit": Route("POST", "/reports/{report}/edit", PLAN_WRITERS, owner="editor", owner_statuses=(409,)),
    "reports.act": Route("POST", "/reports/{report}/actions/submit", PLAN_ACTORS, owner="leader", owner_statuses=(302,)),
    "report_documents.docx": Route("GET", "/reports/{report}/document.docx"),
    "report_documents.pdf": Route("GET", "/reports/{report}/document.pdf"),
    "report_documents.print_view": Route("GET", "/reports/{report}/print"),
    # Reports API: the fixture's report is a draft, so its commune's form-encoded writes answer
    # 400 (the API reads JSON only) and a reviewer's decisions 409.
    "api.list_plan_reports": Route("GET", "/api/v1/plans/{approved_plan}/reports", api=True),
    "api.create_report": Route("POST", "/api/v1/plans/{approved_plan}/reports", api=True,
                               owner="editor", owner_statuses=(400,)),
    "api.get_report": Route("GET", "/api/v1/reports/{report}", api=True),
    "api.report_document_docx": Route("GET", "/api/v1/reports/{report}/document.docx", api=True),
    "api.report_document_pdf": Route("GET", "/api/v1/reports/{report}/document.pdf", api=True),
    "api.update_report": Route("PATCH", "/api/v1/reports/{report}", api=True, owner="editor", owner_statuses=(400,)),
    "api.submit_report": Route("POST", "/api/v1/reports/{report}/submit", api=True, owner="leader",
                               owner_statuses=(400,)),
    "api.accept_report": Route("POST", "/api/v1/reports/{report}/accept", api=True, owner="officer",
                               owner_statuses=(409,)),
    "api.return_report": Route("POST", "/api/v1/reports/{report}/return", api=True, owner="officer",
                               owner_statuses=(409,)),
    # Rollups name their unit in the query string.
    "api.get_rollups": Route("GET", "/api/v1/rollups?unit={commune}&period=2022Q1", api=True),
    # Reports to the province: {schedule} is Như Xuân's, {dispatch} its prepared 2023Q3 report
    # with the file {dispatch_file}. Commune users never get here (403). The office's form
    # without its fields is refused (422); "send now" without a period is refused with a message
    # (redirect); sending and saving the paragraphs queue the report's task (redirect).
    "dispatches.show": Route("GET", "/dispatches/{dispatch}", DISPATCH_READERS, owner="officer"),
    "dispatches.download": Route("GET", "/dispatches/{dispatch}/files/{dispatch_file}", DISPATCH_READERS,
                                 owner="officer"),
    "dispatches.edit_schedule": Route("POST", "/dispatches/schedules/{schedule}/edit", DISPATCH_WRITERS,
                                      owner="officer", owner_statuses=(422,)),
    "dispatches.send_now": Route("POST", "/dispatches/schedules/{schedule}/send-now", DISPATCH_WRITERS,
                                 owner="officer", owner_statuses=(302,)),
    "dispatches.send": Route("POST", "/dispatches/{dispatch}/send", DISPATCH_WRITERS, owner="officer",
                             owner_statuses=(302,)),
    "dispatches.edit_narrative": Route("POST", "/dispatches/{dispatch}/narrative", DISPATCH_WRITERS,
                                       owner="officer", owner_statuses=(302,)),
    # A prepared report was never interrupted: the owner is told so and sent back (302).
    "dispatches.release": Route("POST", "/dispatches/{dispatch}/release", DISPATCH_WRITERS, owner="officer",
                                owner_statuses=(302,)),
    "api.get_dispatch": Route("GET", "/api/v1/dispatches/{dispatch}", DISPATCH_READERS, api=True, owner="officer"),
    "api.get_dispatch_file": Route("GET", "/api/v1/dispatches/{dispatch}/files/{dispatch_file}", DISPATCH_READERS,
                                   api=True, owner="officer"),
    # The list names its unit in the query string.
    "api.list_dispatches": Route("GET", "/api/v1/dispatches?unit={district}&period=2023Q3", DISPATCH_READERS,
                                 api=True, owner="officer"),
}


def routes_naming_objects(app) -> set[str]:
    named = {rule.endpoint for rule in app.url_map.iter_rules() if rule.arguments}
    return named - NOT_TENANT_ROUTES


def test_every_route_that_names_an_object_is_in_the_matrix(app):
    missing = routes_naming_objects(app) - MATRIX.keys()
    assert not missing, f"add these routes to the tenant matrix: {sorted(missing)}"


def test_the_matrix_names_only_existing_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert MATRIX.keys() <= endpoints


def snapshot(db) -> dict:
    """Every row of every table, but the columns that signing in itself changes."""
    volatile = {"last_login_at"}
    with system_scope("test compares the whole database"):
        rows = {}
        for table in db.metadata.sorted_tables:
            if table.name == "api_tokens":
                continue
            columns = [column for column in table.columns if column.name not in volatile]
            rows[table.name] = sorted(
                map(tuple, db.session.execute(sa.select(*columns)).all()), key=repr
            )
        db.session.rollback()
    return rows


@pytest.fixture
def targets(tree, users, db):
    with system_scope("test data"):
        run = TaskRunFactory(unit=tree.commune)
        template = make_template(tree.district)
        plan = make_plan(template, tree.commune, users["editor"])
        db.session.flush()
        services.update_plan(plan, users["editor"], plan.version, {
            "document_number": "45/KH-UBND", "document_date": "2023-05-05", "signer_name": "Lê Văn A",
            "targets": [{"indicator": indicator.code, "sex": None, "value": 100}
                        for indicator in template.indicators if indicator.code != "CB01"]
            + [{"indicator": "CB01", "sex": None, "value": 30}],
        })
        services.perform(plan, "submit", users["leader"], plan.version)
        # Last year's plan, approved, with a draft report for its first quarter.
        approved = approve_plan(make_plan(make_template(tree.district, year=2022), tree.commune, users["editor"]),
                                users["editor"], users["leader"], users["officer"])
        report = report_services.create_report(approved, "2022Q1", users["editor"])
        # Như Xuân's schedule of reports to the province, and its 2023Q3 report, prepared.
        schedule = dispatch_services.create_schedule(template, {
            "period_type": "quarter", "recipient_name": "Sở LĐTBXH tỉnh Thanh Hóa",
            "recipient_emails": ["bdg@thanhhoa.gov.vn"], "formats": ["xlsx"]}, users["officer"])
        dispatch = Dispatch(unit_id=tree.district.id, schedule=schedule, period="2023Q3")
        db.session.add(dispatch)
        dispatch_file = "bao-cao-402-2023Q3.xlsx"
        dispatch_services.attach_files(dispatch, [dispatch_services.BuiltFile(
            dispatch_file, dispatch_services.CONTENT_TYPES[FileFormat.XLSX], b"PK\x03\x04 a workbook")])
        db.session.commit()
        return {
            "commune": tree.commune.code,
            "district": tree.district.code,
            "user": users["editor"].id,
            "run": run.id,
            "template": template.id,
            "template_activity": template.activities[0].id,
            "plan": plan.id,
            "activity": plan.activities[0].id,
            "version": plan.versions[0].number,
            "approved_plan": approved.id,
            "report": report.id,
            "schedule": schedule.id,
            "dispatch": dispatch.id,
            "dispatch_file": dispatch_file,
        }


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
@pytest.mark.parametrize("attacker", ATTACKERS)
def test_a_user_outside_the_scope_gets_404_and_changes_nothing(
    app, db, users, targets, endpoint, attacker
):
    route = MATRIX[endpoint]
    client = app.test_client()
    user = users[attacker]
    headers = api_token(client, user.username) if route.api else {}
    if not route.api:
        login(client, user.username)
    before = snapshot(db)

    response = client.open(route.url.format(**targets), method=route.method, headers=headers,
                           data={"password": "a-new-password-123"})

    allowed = route.roles is None or Role(user.role) in route.roles
    if attacker in route.shared_with:
        expected = 200
    else:
        expected = 404 if allowed else 403
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    assert snapshot(db) == before


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_the_owner_side_reaches_each_route(app, db, users, targets, endpoint):
    """The same requests by a user in scope do not answer 404: the matrix tests something."""
    route = MATRIX[endpoint]
    client = app.test_client()
    owner = users[route.owner or ("district_admin" if route.roles else "officer")]
    headers = api_token(client, owner.username) if route.api else {}
    if not route.api:
        login(client, owner.username)
    response = client.open(route.url.format(**targets), method=route.method, headers=headers,
                           data={"password": "a-new-password-123"})
    assert response.status_code in route.owner_statuses, response.get_data(as_text=True)[:300]
