"""The template editor: plain forms, no JavaScript. Every form carries the version the author
read; a stale one shows the current template and keeps what was typed."""
import functools

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.core import UnboundField

from app.audit.queries import entries_for, user_names
from app.audit.services import subject_of
from app.auth.models import Role
from app.auth.permissions import roles_required
from app.errors import or_404
from app.extensions import db
from app.forms import options
from app.numbering import numbered_sections
from app.periods import local_today
from app.plan_templates import queries, services
from app.plan_templates.forms import (
    COUNTED_REPORTS,
    ActionForm,
    ActivityForm,
    CopyForm,
    DetailsForm,
    IndicatorForm,
    SectionForm,
)
from app.plan_templates.models import (
    Aggregation,
    Disaggregation,
    PeriodType,
    PlanTemplate,
    TimeAggregation,
    ValueType,
)
from app.plan_templates.pages import problem_label
from app.task_runs.models import TaskRun
from app.versioning import CONFLICTS

plan_templates = Blueprint("plan_templates", __name__, url_prefix="/templates", template_folder="templates")

READERS = (Role.DISTRICT_OFFICER, Role.PROVINCE_VIEWER, Role.ADMIN)
AUTHORS = (Role.DISTRICT_OFFICER, Role.ADMIN)


def _load(template_id: int, author: bool = False) -> PlanTemplate:
    template = or_404(queries.get_template(template_id, current_user))
    if author and not queries.may_author(current_user, template.unit):
        abort(403)
    return template


def _stale_message() -> str:
    return _("Someone else changed this template in the meantime. The current template is shown; "
             "check it and send your change again.")


HISTORY_LABELS = {
    "created": _l("Created"), "edited": _l("Edited the details"), "published": _l("Published"),
    "revision_created": _l("Started a new revision"), "copied": _l("Copied from another year"),
    "moved": _l("Changed the order"), "counting_changed": _l("Changed which reports the figures count"),
    "section_added": _l("Added a section"), "section_edited": _l("Edited a section"),
    "section_removed": _l("Removed a section"),
    "activity_added": _l("Added an activity"), "activity_edited": _l("Edited an activity"),
    "activity_removed": _l("Removed an activity"),
    "indicator_added": _l("Added an indicator"), "indicator_edited": _l("Edited an indicator"),
    "indicator_removed": _l("Removed an indicator"),
}


def _history(template: PlanTemplate) -> list[dict]:
    """The template's audit log: when, who, what, and which fields changed."""
    entries = entries_for(subject_of("template", template.id))
    names = user_names(entry.user_id for entry in entries)
    return [{"when": entry.created_at, "who": names.get(entry.user_id, "—"),
             "what": str(HISTORY_LABELS.get(entry.action, entry.action)),
             "fields": _changed(entry),
             "comment": entry.comment} for entry in entries]


# The forms whose fields a change names (`section:KEY:heading`, `activity:name`,
# `indicator:CODE:code`); the template's own fields (`title`) are the details form's.
FORMS_BY_KIND = {"section": SectionForm, "activity": ActivityForm, "indicator": IndicatorForm}
OTHER_FIELD_LABELS = {"status": _l("Status"), "revision": _l("Revision"), "position": _l("Order")}


@functools.cache
def _labels_of(form) -> dict:
    """A form class's field labels by field name, read once from its declared fields."""
    return {name: unbound.args[0] for name, unbound in vars(form).items()
            if isinstance(unbound, UnboundField) and unbound.args}


def _field_label(field: str) -> str:
    """A changed field by its label on the editor's form: what the author saw."""
    parts = field.split(":")  # `title`, or `section:KEY:heading`
    kind, name = parts[0], parts[-1]
    label = _labels_of(FORMS_BY_KIND.get(kind, DetailsForm)).get(name) or OTHER_FIELD_LABELS.get(name, name)
    return str(label)


def _changed(entry) -> list[str]:
    """What an entry changed, in a few words: the row added or removed (its heading, name or
    code), else the labels of the fields edited."""
    if entry.action.endswith(("_added", "_removed")):
        return [str(change.get("after") or change.get("before")) for change in entry.changes]
    return sorted({_field_label(str(change["field"])) for change in entry.changes if change.get("field")})


def _show(template: PlanTemplate, status: int = 200, alert: str | None = None, problems=None):
    return render_template(
        "plan_templates/show.html", template=template, sections=numbered_sections(template.sections),
        may_author=queries.may_author(current_user, template.unit), alert=alert, problems=problems or {},
        history=_history(template),
    ), status


@plan_templates.context_processor
def _editor_helpers() -> dict:
    labels = {"period": dict(PeriodType.choices()), "value_type": dict(ValueType.choices()),
              "aggregation": dict(Aggregation.choices()), "disaggregation": dict(Disaggregation.choices()),
              "time_aggregation": dict(TimeAggregation.choices())}
    return {"labels": labels, "numbered_sections": lambda template: numbered_sections(template.sections),
            "problem_label": problem_label}


@plan_templates.route("/")
@roles_required(*READERS)
def index():
    templates = queries.visible_templates(current_user)
    may_create = current_user.has_role(*AUTHORS)
    return render_template("plan_templates/index.html", templates=templates, may_create=may_create)


@plan_templates.route("/<int:template_id>")
@roles_required(*READERS)
def show(template_id: int):
    return _show(_load(template_id))


def _form_page(form, template: PlanTemplate | None, write, page: str, done: str, **context):
    """Run `write(version)` for a valid form; re-render with what was typed otherwise."""
    status = 200
    if form.is_submitted() and template is not None and template.is_published:
        _attach(form, services.TemplateLocked())
        status = 409
    elif form.is_submitted():
        status = 422
        if form.validate():
            try:
                result = write(form.version.data)
            except CONFLICTS:
                db.session.rollback()
                if template is not None:
                    form.version.data = template.version
                context["stale"] = _stale_message()
                status = 409
            except services.TemplateError as error:
                db.session.rollback()
                _attach(form, error)
                status = error.status
            else:
                db.session.commit()
                flash(done, "success")
                target = result if isinstance(result, PlanTemplate) else template
                return redirect(url_for(".show", template_id=target.id))
    return render_template(page, form=form, template=template, **context), status


def _attach(form, error: services.TemplateError) -> None:
    for name, message in error.fields.items():
        field = form._fields.get(name)
        if field is not None and name != "version":
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
    if not form.form_errors:
        form.form_errors.append(error.message)


def _draft_only(template: PlanTemplate):
    """A page to edit a published template sends the author back to it."""
    if template.is_published and request.method == "GET":
        flash(_("This template is published and cannot change. Make a new revision to edit it."), "warning")
        return redirect(url_for(".show", template_id=template.id))
    return None


@plan_templates.route("/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def create():
    form = DetailsForm(year=str(local_today().year), report_deadline_days="10")
    unit = current_user.unit
    if unit is None:
        flash(_("An administrator without a unit creates templates through the API."), "warning")
        return redirect(url_for(".index"))
    return _form_page(form, None, lambda version: services.create_template(
        unit, form.year.data, current_user, form.data_for_service()),
        "plan_templates/details_form.html", _("The template was created."))


@plan_templates.route("/copy", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def copy():
    form = CopyForm()
    sources = queries.copy_sources(current_user)
    form.source.choices = options((str(source.id), f"{source.year} · r{source.revision} · {source.title}")
                                   for source in sources)
    if request.method == "GET":
        form.source.data = request.args.get("source") or (form.source.choices[0].value if sources else None)
        latest = sources[0].year if sources else local_today().year - 1
        form.year.data = str(latest + 1)
    status = 200
    if form.validate_on_submit():
        source = next((item for item in sources if str(item.id) == form.source.data), None)
        if source is None:
            form.source.errors = [_("Choose one of the listed values.")]
            status = 422
        else:
            try:
                template = services.copy_to_year(source, form.year.data, current_user)
            except services.TemplateError as error:
                db.session.rollback()
                form.year.errors = [error.fields.get("year", error.message)]
                status = 422
            else:
                db.session.commit()
                flash(_("The template was copied to %(year)s.", year=template.year), "success")
                return redirect(url_for(".show", template_id=template.id))
    return render_template("plan_templates/copy_form.html", form=form), status


@plan_templates.route("/<int:template_id>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit(template_id: int):
    template = _load(template_id, author=True)
    if (redirect_response := _draft_only(template)) is not None:
        return redirect_response
    form = DetailsForm(obj=template, version=template.version)
    return _form_page(form, template, lambda version: services.update_template(
        template, current_user, version, form.data_for_service()),
        "plan_templates/details_form.html", _("The template was saved."))


@plan_templates.route("/<int:template_id>/publish", methods=["POST"])
@roles_required(*AUTHORS)
def publish(template_id: int):
    return _action(template_id, lambda template, version: services.publish(template, current_user, version),
                   _("The template was published. Communes can now write their plans from it."))


@plan_templates.route("/<int:template_id>/revision", methods=["POST"])
@roles_required(*AUTHORS)
def new_revision(template_id: int):
    template = _load(template_id, author=True)
    revision = services.new_revision(template, current_user)
    db.session.commit()
    flash(_("This is a draft revision (%(revision)s): edit it and publish it.", revision=revision.revision), "info")
    return redirect(url_for(".show", template_id=revision.id))


@plan_templates.route("/<int:template_id>/counting", methods=["POST"])
@roles_required(*AUTHORS)
def change_counting(template_id: int):
    """Which reports the rollups count: the one setting a published template may change."""
    choice = request.form.get("counted_reports")
    if choice not in COUNTED_REPORTS:  # only a page other than ours sends another
        template = _load(template_id, author=True)
        return _show(template, 422, alert=_("Choose one of the listed values."))
    return _action(template_id, lambda template, version: services.set_counted_reports(
        template, current_user, version, COUNTED_REPORTS[choice]), _counting_changed)


def _counting_changed(template: PlanTemplate, run: TaskRun | None) -> str:
    if run is None:
        return _("The template was saved.")
    progress = Markup('<a href="{}">{}</a>').format(url_for("task_runs.show", run_id=run.id),
                                                    _("Follow the progress"))
    return Markup("{} {}").format(_("Saved. The figures of %(unit)s are being computed again with the new rule.",
                                    unit=template.unit.name), progress)


def _action(template_id: int, write, done, find=None):
    """A button of the template page: run `write(template, version)` (or with the row that
    `find(template)` names), then back to the page; a refusal shows the page with why. `done`
    is the message, or gives it from the template and what `write` returned."""
    template = _load(template_id, author=True)
    row = find(template) if find else None
    form = ActionForm()
    form.validate_on_submit()
    try:
        if find:
            result = write(template, row, form.version.data, form.direction.data)
        else:
            result = write(template, form.version.data)
    except CONFLICTS:
        db.session.rollback()
        return _show(template, 409, alert=_stale_message())
    except services.TemplateError as error:
        db.session.rollback()
        return _show(template, error.status, alert=error.message, problems=error.fields)
    db.session.commit()
    flash(done(template, result) if callable(done) else done, "success")
    return redirect(url_for(".show", template_id=template.id))


def _offset(direction: str | None) -> int:
    return -1 if direction == "up" else 1


from app.plan_templates import editor_views  # noqa: E402,F401 (the section, activity and indicator routes)
