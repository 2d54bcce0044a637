"""The report pages: a plan's periods with their reports, the report with its workflow
buttons and log, and its one edit form.

The blueprint has no url_prefix of its own: a report lives under /reports, but the periods of
a plan are listed under the plan (/plans/<id>/reports), so each rule spells its full path."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.audit.queries import entries_for, user_names
from app.auth.models import Role
from app.auth.permissions import roles_required
from app.errors import or_404
from app.extensions import db
from app.org_units.models import Level
from app.periods import local_today
from app.plans import queries as plan_queries
from app.plans.page_writes import (
    Outcome,
    changed_figures,
    invalid_redirect,
    perform_from_page,
    refused_redirect,
    save_form,
)
from app.plans.pages import SEX_LABELS, document_links
from app.reports import pages, queries, services
from app.reports.forms import CreateReportForm, ReportActionForm, ReportForm
from app.reports.models import ActivityProgress
from app.reports.validation import saved_values_problems
from app.reports.workflow import (
    REPORT_CREATORS,
    ReportAction,
    allowed_actions,
    is_allowed,
)
from app.reports.year_to_date import year_before, year_so_far
from app.text import nfc

reports = Blueprint("reports", __name__, template_folder="templates")

REPORT_WRITERS = tuple(REPORT_CREATORS)
# Who may take some step of the workflow (each step's own roles are checked by the service).
ACTORS = (Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER, Role.DISTRICT_OFFICER, Role.ADMIN)
WORKFLOW_ACTIONS = (ReportAction.SUBMIT, ReportAction.ACCEPT, ReportAction.RETURN)
DONE_MESSAGES = {
    ReportAction.SUBMIT: lambda: _("The report was submitted to the district."),
    ReportAction.ACCEPT: lambda: _("The report was accepted."),
    ReportAction.RETURN: lambda: _("The report was returned to the commune."),
}


@reports.route("/plans/<int:plan_id>/reports")
@login_required
def for_plan(plan_id: int):
    plan = or_404(plan_queries.get_plan(plan_id))
    rows = pages.period_rows(plan, services.expected_periods(plan), queries.readable_reports_by_period(plan),
                             local_today())
    return render_template("reports/for_plan.html", plan=plan, rows=rows,
                           reportable=services.is_reportable(plan),
                           may_create=current_user.has_role(*REPORT_WRITERS) and is_commune_user())


def is_commune_user() -> bool:
    return current_user.unit is not None and current_user.unit.level == Level.COMMUNE


@reports.route("/plans/<int:plan_id>/reports", methods=["POST"])
@roles_required(*REPORT_WRITERS)
def create(plan_id: int):
    plan = or_404(plan_queries.get_plan(plan_id))
    form = CreateReportForm()
    form.validate_on_submit()
    try:
        report = services.create_report(plan, form.period.data or "", current_user)
        db.session.commit()
    except services.TransitionRefused as refused:
        return refused_redirect(refused, url_for(".for_plan", plan_id=plan.id))
    except (services.ReportError, IntegrityError) as error:
        db.session.rollback()
        if (started := queries.reports_by_period(plan).get(form.period.data or "")) is not None:
            # Started already, by a second click on a slow line or by a colleague (at the same
            # moment: the unique key refused this one): open it.
            flash(_("The report for %(period)s was started already.", period=pages.period_label(started.period)),
                  "info")
            may_edit = is_allowed(ReportAction.EDIT, started.status, current_user.role)
            return redirect(url_for(".edit" if may_edit else ".show", report_id=started.id))
        if isinstance(error, IntegrityError):
            raise
        return invalid_redirect(error, url_for(".for_plan", plan_id=plan.id))
    flash(_("The report for %(period)s was started.", period=pages.period_label(report.period)), "success")
    # Straight to its figures: typing them is the only thing to do with a report just started.
    return redirect(url_for(".edit", report_id=report.id))


def render_report(report, problems: dict | None = None, action_form: ReportActionForm | None = None, status=200):
    entries = entries_for(services.subject(report))
    names = user_names(entry.user_id for entry in entries)
    return render_template(
        "reports/show.html",
        report=report,
        period_label=pages.period_label(report.period),
        values=pages.value_rows(report),
        to_date=year_so_far(report),
        activities=pages.activity_rows(report),
        actions=[action for action in allowed_actions(report, current_user) if action != ReportAction.EDIT],
        may_edit=is_allowed(ReportAction.EDIT, report.status, current_user.role),
        action_form=action_form or ReportActionForm(formdata=None),
        problems=[(pages.field_label(report, name), message) for name, message in (problems or {}).items()],
        log=[pages.describe_entry(report, entry, names) for entry in entries],
        progress_labels=dict(ActivityProgress.choices()),
        documents=document_links("report_documents", report_id=report.id),
    ), status


@reports.route("/reports/<int:report_id>")
@login_required
def show(report_id: int):
    return render_report(or_404(queries.get_report(report_id)))


@reports.route("/reports/<int:report_id>/actions/<action>", methods=["POST"])
@roles_required(*ACTORS)
def act(report_id: int, action: str):
    report = or_404(queries.get_report(report_id))
    if action not in set(WORKFLOW_ACTIONS):
        abort(404)
    return perform_from_page(
        report, action, ReportActionForm(), services.perform, render_report, url_for(".show", report_id=report.id),
        stale_message=_("Someone else saved this report in the meantime. Check it and try again."),
        done_message=DONE_MESSAGES[ReportAction(action)](), subject=services.subject(report))


def typed_changes(values, activities, report) -> tuple[dict[str, str], dict]:
    """What the user typed, by input name, and the same as the service's changes. A form
    without one of the report's texts (a page from before it was asked) leaves it alone."""
    names = [name for row in values for name, _key, _saved in row.inputs()]
    names += [name for row in activities for name, _saved in row.inputs().values()]
    typed = {name: nfc(request.form.get(name, "")).strip() for name in names}
    texts = {name: nfc(request.form.get(name, getattr(report, name))) for name in services.TEXTS}
    value_items = changed_figures([(row.indicator.code, name, key, saved) for row in values
                                   for name, key, saved in row.inputs()], typed)
    activity_items = [{"activity": row.activity.id, **{field: typed[name] for field, (name, _saved) in row.inputs().items()}}
                      for row in activities]
    return typed | texts, {"values": value_items, "activities": activity_items, **texts}


@reports.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
@roles_required(*REPORT_WRITERS)
def edit(report_id: int):
    report = or_404(queries.get_report(report_id))
    opening = request.method == "GET"  # the form as saved, not a save of it
    if opening and not is_allowed(ReportAction.EDIT, report.status, current_user.role):
        flash(_("This report is %(status)s and cannot be edited.", status=report.status_enum.label), "warning")
        return redirect(url_for(".show", report_id=report.id))
    # On a save, only the version the form carried counts: a missing one is stale, not "now".
    form = ReportForm(data={"version": report.version}) if opening else ReportForm()
    values, activities = pages.value_rows(report), pages.activity_rows(report)
    typed = {name: saved for row in values for name, _key, saved in row.inputs()}
    typed.update({name: saved for row in activities for name, saved in row.inputs().values()})
    typed.update({name: getattr(report, name) for name in services.TEXTS})
    # Figures saved before a rule was made are shown with what they break, before a save does.
    outcome = Outcome(errors=saved_values_problems(report) if opening else {})
    if form.validate_on_submit():
        typed, changes = typed_changes(values, activities, report)
        outcome = save_form(report, form, lambda version: services.update_report(
            report, current_user, version, changes))
        if outcome.saved:
            for warning in outcome.result:
                flash(warning, "warning")
            return redirect(url_for(".show", report_id=report.id))
        if outcome.conflict:
            values, activities = pages.value_rows(report), pages.activity_rows(report)
    # Every problem is named in the banner, a field's as a link to it, in the form's order: the
    # form runs to several screens, and its red input may be out of sight.
    form_order = {name: position for position, name in enumerate(typed)}
    listed_errors = [(name if name in typed else None, pages.field_label(report, name), message)
                     for name, message in sorted(outcome.errors.items(),
                                                 key=lambda error: form_order.get(error[0], len(form_order)))]
    before = year_before(report)
    return render_template(
        "reports/edit.html", report=report, period_label=pages.period_label(report.period), form=form,
        values=values, activities=activities, typed=typed, errors=outcome.errors, listed_errors=listed_errors,
        conflict=outcome.conflict, refused=outcome.refused, saved_earlier=opening,
        sex_labels=SEX_LABELS, progress_choices=ActivityProgress.choices(), before=before,
        before_label=pages.period_label(before.period) if before else None,
    ), outcome.status
