"""The plan's pages: the list, creation from a template, the plan as a document with its
workflow buttons and audit log, and the versions. The edit forms are in edit_views.py."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit.queries import entries_for, user_names
from app.auth.models import Role
from app.auth.permissions import roles_required
from app.database import storable_int
from app.errors import or_404
from app.extensions import db
from app.forms import options
from app.numbering import numbered_sections
from app.org_units.models import Level
from app.plan_templates import queries as template_queries
from app.plans import pages, queries, services
from app.plans.document.content import header_of
from app.plans.forms import ActionForm, CreatePlanForm
from app.plans.models import PlanStatus
from app.plans.page_writes import invalid_redirect, perform_from_page, refused_redirect
from app.plans.serializers import plan_content
from app.plans.validation import PlanError
from app.plans.versions import compare as compare_contents
from app.plans.workflow import Action, allowed_actions, is_allowed

plans = Blueprint("plans", __name__, url_prefix="/plans", template_folder="templates")

PLAN_WRITERS = (Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER, Role.ADMIN)
# Who may take some step of the workflow (each step's own roles are checked by the service).
ACTORS = (Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER, Role.DISTRICT_OFFICER, Role.ADMIN)
PLANS_PER_PAGE = 50


def is_commune_user() -> bool:
    unit = current_user.unit
    return unit is not None and unit.level == Level.COMMUNE


@plans.route("")
@login_required
def index():
    if is_commune_user():
        form = CreatePlanForm()
        templates = queries.available_templates(current_user.unit)
        form.template_id.choices = options((template.id, str(template.year)) for template in templates)
        return render_template("plans/commune_list.html", plans=queries.plans_of_unit(current_user.unit),
                               form=form, templates=templates,
                               may_create=current_user.has_role(*PLAN_WRITERS))
    year = request.args.get("year", type=storable_int)
    status = request.args.get("status") if request.args.get("status") in set(PlanStatus) else None
    number = request.args.get("page", type=storable_int)
    # The filter's selects and the pager send only good values: anything else was typed in
    # the address.
    if (request.args.get("year") and year is None) or (request.args.get("status") and status is None):
        flash(_("The filter was not understood, so every plan is shown."), "warning")
    if request.args.get("page") and (number is None or number < 1):
        flash(_("The page number was not understood, so the first page is shown."), "warning")
        number = None
    # A province has hundreds of plans: a page at a time, for slow connections.
    found = queries.page_of_plans(number or 1, PLANS_PER_PAGE, last_when_beyond=True, year=year, status=status)
    return render_template(
        "plans/supervisor_list.html", page=found, year=year, status=status,
        years=queries.plan_years(), statuses=PlanStatus.choices(), waiting=queries.count_waiting(year, status),
    )


@plans.route("", methods=["POST"])
@roles_required(*PLAN_WRITERS)
def create():
    form = CreatePlanForm()
    if not form.validate_on_submit() or not is_commune_user():
        flash(_("Choose one of the templates."), "danger")
        return redirect(url_for(".index"))
    template = or_404(template_queries.get_template(form.template_id.data, current_user))
    try:
        plan = services.create_plan(template, current_user.unit, current_user)
    except services.TransitionRefused as refused:
        return refused_redirect(refused, url_for(".index"))
    except PlanError as error:
        db.session.rollback()
        if started := [plan for plan in queries.plans_of_unit(current_user.unit) if plan.year == template.year]:
            # Created already, by a second click on a slow line or by a colleague: open it.
            flash(_("The %(year)s plan was created already.", year=template.year), "info")
            return redirect(url_for(".show", plan_id=started[0].id))
        return invalid_redirect(error, url_for(".index"))
    db.session.commit()
    flash(_("The %(year)s plan was created from the template.", year=plan.year), "success")
    return redirect(url_for(".show", plan_id=plan.id))


def render_plan(plan, problems: dict | None = None, action_form: ActionForm | None = None, status=200):
    entries = entries_for(services.subject(plan))
    names = user_names(entry.user_id for entry in entries)
    action_form = action_form or ActionForm(formdata=None, data={"version": plan.version})
    return render_template(
        "plans/show.html",
        plan=plan,
        sections=numbered_sections(plan.sections),
        targets=pages.target_rows(plan),
        actions=[action for action in allowed_actions(plan, current_user) if action != Action.EDIT],
        may_edit=is_allowed(Action.EDIT, plan.status, current_user.role),
        action_form=action_form,
        problems=[(pages.field_label(plan, name), message) for name, message in (problems or {}).items()],
        log=[pages.describe_entry(plan, entry, names) for entry in entries],
        documents=pages.document_links("plan_documents", plan_id=plan.id),
        header=header_of(plan),
    ), status


@plans.route("/<int:plan_id>")
@login_required
def show(plan_id: int):
    return render_plan(or_404(queries.get_plan(plan_id)))


@plans.route("/<int:plan_id>/actions/<action>", methods=["POST"])
@roles_required(*ACTORS)
def act(plan_id: int, action: str):
    plan = or_404(queries.get_plan(plan_id))
    if action not in {Action.SUBMIT, Action.APPROVE, Action.RETURN, Action.AMEND}:
        abort(404)
    return perform_from_page(
        plan, action, ActionForm(), services.perform, render_plan, url_for(".show", plan_id=plan.id),
        stale_message=_("Someone else saved this plan in the meantime. Check it and try again."),
        done_message=DONE_MESSAGES[Action(action)](), subject=services.subject(plan))


DONE_MESSAGES = {
    Action.SUBMIT: lambda: _("The plan was submitted for review."),
    Action.APPROVE: lambda: _("The plan was approved."),
    Action.RETURN: lambda: _("The plan was returned to the commune."),
    Action.AMEND: lambda: _("An amendment was started: the plan can be edited again."),
}


@plans.route("/<int:plan_id>/versions")
@login_required
def versions(plan_id: int):
    plan = or_404(queries.get_plan(plan_id))
    names = user_names(version.created_by_id for version in plan.versions)
    return render_template("plans/versions.html", plan=plan, versions=list(reversed(plan.versions)),
                           names=names, status_labels=dict(PlanStatus.choices()))


@plans.route("/<int:plan_id>/versions/compare")
@login_required
def compare(plan_id: int):
    plan = or_404(queries.get_plan(plan_id))
    last = plan.versions[-1].number if plan.versions else None
    to_arg = request.args.get("to", "current")
    to_number = request.args.get("to", type=storable_int)  # None for "current"
    from_number = request.args.get("from", type=storable_int)
    if from_number is None:
        # The version before the one asked for, or the last kept one against the current text.
        from_number = max(to_number - 1, 1) if to_number is not None else last
    if from_number is None:
        abort(404)
    before = or_404(queries.get_version(plan, from_number))
    if to_arg == "current":
        after_content, after_label = plan_content(plan), _("Current text")
    else:
        after = or_404(queries.get_version(plan, to_number) if to_number is not None else None)
        after_content, after_label = after.content, _("Version %(number)s", number=after.number)
    return render_template(
        "plans/compare.html", plan=plan, before=before, after_label=after_label,
        comparison=compare_contents(before.content, after_content),
        indicator_names={indicator.code: indicator.name for indicator in plan.template.indicators},
        section_headings={section.key: section.heading for section in plan.sections},
        labels=pages.FIELD_LABELS, sex_labels=pages.SEX_LABELS, versions=plan.versions, to_arg=to_arg,
        date_fields=pages.DATE_FIELDS, show_day=pages.show_day,
    )


from app.plans import edit_views  # noqa: E402,F401  (attaches the edit routes to `plans`)
