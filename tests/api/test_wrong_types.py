"""Every field of every JSON body the API documents, sent with a value of the wrong type (an
object, a list, a number past any id, true, a superscript digit, a NUL character), is answered
with an error in the API's shape (4xx), or taken where the value is fine (a superscript in a
text, true for a yes or no, an empty object where an object goes), never with a server error, and never taken as
something else (an empty object as no comment, a list's text as a note). The fields are read from the OpenAPI document, so a new
route or field is covered as soon as it is documented; each body is sent by a commune's editor
and leader and by the district's officer, on objects in the states their writes need (a draft
plan, a draft report, a draft template)."""
import pytest

from app.plan_templates.models import TemplateStatus
from app.reports import services as report_services
from tenants import system_scope
from tests.conftest import api_token
from tests.factories import (
    approve_plan,
    make_plan,
    make_report,
    make_template,
    submit_plan,
)

WRONG_VALUES = [{}, [{}], 2**64, True, "²", "a\x00b"]
SENDERS = ["editor", "leader", "officer"]


@pytest.fixture
def ids(tree, users, db) -> dict[str, int]:
    """The objects the documented paths name: Bình Lương's approved 2023 plan (with a draft
    report for 2023Q1 and a submitted one for 2023Q2), draft 2024 plan (with its activities)
    and submitted 2026 plan, and a draft 2025 template."""
    with system_scope("test data"):
        editor, leader = users["editor"], users["leader"]
        approved = approve_plan(make_plan(make_template(tree.district), tree.commune, editor),
                                editor, leader, users["officer"])
        report = report_services.create_report(approved, "2023Q1", editor)
        submitted_report = make_report(approved, "2023Q2", {}, editor, leader)
        draft = make_plan(make_template(tree.district, year=2024), tree.commune, editor)
        submitted = submit_plan(make_plan(make_template(tree.district, year=2026), tree.commune, editor), editor, leader)
        template = make_template(tree.district, year=2025, published=False)
        db.session.commit()
        assert template.status == TemplateStatus.DRAFT and draft.activities
        return {"approved_plan": approved.id, "draft_plan": draft.id, "submitted_plan": submitted.id,
                "report": report.id, "submitted_report": submitted_report.id, "activity": draft.activities[0].id,
                "template": template.id}


def _schema(document: dict, schema: dict) -> dict:
    """The schema a `$ref` names, with the properties of each part of an `allOf` merged."""
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        parts = [_schema(document, part) for part in schema["allOf"]]
        return {"properties": {name: field for part in parts for name, field in part.get("properties", {}).items()}}
    return schema


def _takes_objects(document: dict, field: dict) -> bool:
    """The field is documented as an object (or one of its forms is): an empty one changes nothing."""
    forms = [_schema(document, form) for form in field.get("oneOf", [field])]
    return any(form.get("type") == "object" or "properties" in form for form in forms)


def _fits(document: dict, field: dict, value) -> bool:
    """The value may be taken: text ("²" is text), true for a yes-or-no field, or an empty object
    where an object goes (it changes nothing)."""
    if value is True:
        return field.get("type") == "boolean"
    return isinstance(value, str) or (value == {} and _takes_objects(document, field))


def wrong_bodies(document: dict, schema: dict):
    """(field, body, whether its value may be taken) for each property of the body's
    schema with each wrong value, and for each property of the objects a list property holds,
    inside a list of one such object."""
    schema = _schema(document, schema)
    for name, field in schema.get("properties", {}).items():
        for value in WRONG_VALUES:
            yield name, {name: value}, _fits(document, field, value)
        items = _schema(document, field.get("items", {}))
        for inner, inner_field in items.get("properties", {}).items():
            for value in WRONG_VALUES:
                yield f"{name}.{inner}", {name: [{inner: value}]}, _fits(document, inner_field, value)


def _path(path: str, ids: dict) -> str:
    """The path, naming an object in a state its write needs."""
    step = path.rsplit("/", 1)[-1]
    plan = ids["approved_plan"] if step in ("reports", "amend") else (
        ids["submitted_plan"] if step in ("approve", "return") else ids["draft_plan"])
    report = ids["submitted_report"] if step in ("accept", "return") else ids["report"]
    return path.format(plan_id=plan, report_id=report, activity_id=ids["activity"], template_id=ids["template"])


def _current_version(client, headers, url: str) -> int | None:
    """The version of the object a write names, so that the write gets past the version check."""
    for readable in (url, url.rsplit("/", 1)[0], url.rsplit("/", 2)[0]):
        response = client.get(readable, headers=headers)
        if response.status_code == 200 and isinstance(response.get_json(), dict):
            return response.get_json().get("version")
    return None


def test_a_field_of_the_wrong_type_is_never_a_server_error(client, users, ids):
    document = client.get("/api/v1/openapi.json").get_json()
    sent = 0
    for sender in SENDERS:
        headers = {**api_token(client, users[sender].username), "Accept-Language": "vi"}
        for path, item in document["paths"].items():
            for method, operation in item.items():
                body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                if not body_schema or path.endswith("/auth/token"):
                    continue
                url = _path(path, ids)
                for field, body, may_be_taken in wrong_bodies(document, body_schema["schema"]):
                    if field != "version":
                        body.setdefault("version", _current_version(client, headers, url))
                    response = client.open(url, method=method.upper(), json=body, headers=headers)
                    sent += 1
                    assert response.status_code < 500, (sender, method, url, body, response.get_data(as_text=True))
                    if response.status_code >= 400:
                        assert response.get_json()["error"]["message"], (sender, method, url, body)
                    else:
                        assert may_be_taken, (sender, method, url, body)
    assert sent > 1000  # every documented body, not a few


def test_a_field_a_body_does_not_take_is_refused_where_the_document_says_so(client, users, ids):
    """Where a body is documented with no other fields (`additionalProperties: false`), a field
    beside them is named in a 422: dropped without a word, the client would take it as saved."""
    document = client.get("/api/v1/openapi.json").get_json()
    checked = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            body_schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = _schema(document, body_schema["schema"]) if body_schema else {}
            if schema.get("additionalProperties") is not False:
                continue
            url, refused_by = _path(path, ids), []
            for sender in SENDERS:
                headers = {**api_token(client, users[sender].username), "Accept-Language": "en"}
                body = {"unexpected": 1}
                if "version" in schema["properties"]:
                    body["version"] = _current_version(client, headers, url)
                response = client.open(url, method=method.upper(), json=body, headers=headers)
                assert response.status_code in (403, 404, 422), (sender, method, url, response.get_json())
                if response.status_code == 422:
                    assert response.get_json()["error"]["fields"]["unexpected"] == "This field cannot be changed here."
                    refused_by.append(sender)
            assert refused_by, (method, path)  # a sender whose role may write it read the body
            checked.append(f"{method} {path}")
    assert len(checked) >= 8, checked  # the creations, the rebuild, the sending and the changes
