"""The plan's edit forms: a section's text, the document details, the targets, activities.

Each form carries the plan's version as it was when the form was rendered. A save based on
an older version is refused (someone else saved meanwhile): the form comes back with what the
user typed, the other person's saved values beside it and the current version, so a second,
deliberate save works and nothing is silently overwritten."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import roles_required
from app.errors import or_404
from app.forms import options
from app.i18n import input_day, input_number
from app.plans import pages, queries, services, validation
from app.plans.forms import ActivityForm, DetailsForm, SectionForm, VersionedForm
from app.plans.page_writes import (
    Outcome,
    changed_figures,
    save_form,
    saved_by_this_sending,
)
from app.plans.validation import PlanError
from app.plans.views import PLAN_WRITERS, plans
from app.plans.workflow import Action, is_allowed
from app.text import nfc


def refuse_edit(plan):
    """None when the plan may be edited now, else a redirect to the plan saying why. Only for
    opening a form: a save to a plan that got locked meanwhile is answered on the form itself,
    with the typed text kept."""
    if is_allowed(Action.EDIT, plan.status, current_user.role):
        return None
    flash(_("This plan is %(status)s and cannot be edited.", status=plan.status_enum.label), "warning")
    return redirect(url_for("plans.show", plan_id=plan.id))


def back_to_plan(plan, anchor: str | None = None):
    return redirect(url_for("plans.show", plan_id=plan.id, _anchor=anchor))


@plans.route("/<int:plan_id>/sections/<key>", methods=["GET", "POST"])
@roles_required(*PLAN_WRITERS)
def edit_section(plan_id: int, key: str):
    plan = or_404(queries.get_plan(plan_id))
    section = or_404(plan.section(key))
    if request.method == "GET" and (refused := refuse_edit(plan)):
        return refused
    form = SectionForm(data={"text": section.text, "version": plan.version})
    outcome = Outcome()
    if section.editable and form.validate_on_submit():
        outcome = save_form(plan, form, lambda version: services.update_plan(
            plan, current_user, version, {"sections": {key: form.text.data or ""}}))
        if outcome.saved:
            return back_to_plan(plan, f"section-{key}")
    return render_template("plans/edit_section.html", plan=plan, section=section, form=form,
                           outcome=outcome, error=outcome.errors.get(f"sections.{key}")), outcome.status


@plans.route("/<int:plan_id>/details", methods=["GET", "POST"])
@roles_required(*PLAN_WRITERS)
def edit_details(plan_id: int):
    plan = or_404(queries.get_plan(plan_id))
    if request.method == "GET" and (refused := refuse_edit(plan)):
        return refused
    form = DetailsForm(data={**saved_details(plan), "version": plan.version})
    outcome = Outcome()
    if form.validate_on_submit():
        outcome = save_form(plan, form, lambda version: services.update_plan(
            plan, current_user, version, form.changes()))
        if outcome.saved:
            return back_to_plan(plan, "document")
    return render_template("plans/edit_details.html", plan=plan, form=form, outcome=outcome,
                           saved=saved_details(plan) if outcome.conflict else {}), outcome.status


def saved_details(plan) -> dict:
    values = {name: getattr(plan, name) or "" for name in DetailsForm.FIELDS}
    values["document_date"] = input_day(plan.document_date)
    return values


def target_inputs(plan) -> list[tuple[object, list[tuple[str, str, str]]]]:
    """Per indicator, its inputs as (field name, sex key, saved value)."""
    rows = []
    for row in pages.target_rows(plan):
        keys = pages.SEX_KEYS if row.indicator.by_sex else ("total",)
        rows.append((row, [(f"targets.{row.indicator.code}.{key}", key, input_number(row.values[key]))
                           for key in keys]))
    return rows


@plans.route("/<int:plan_id>/targets", methods=["GET", "POST"])
@roles_required(*PLAN_WRITERS)
def edit_targets(plan_id: int):
    plan = or_404(queries.get_plan(plan_id))
    if request.method == "GET" and (refused := refuse_edit(plan)):
        return refused
    form = VersionedForm(data={"version": plan.version})
    inputs = target_inputs(plan)
    typed = {name: value for _row, fields in inputs for name, _key, value in fields}
    outcome = Outcome()
    if form.validate_on_submit():
        typed = {name: nfc(request.form.get(name, "")).strip() for name in typed}
        items = changed_figures([(row.indicator.code, name, key, saved) for row, fields in inputs
                                 for name, key, saved in fields], typed)
        outcome = save_form(plan, form, lambda version: services.update_plan(
            plan, current_user, version, {"targets": items}))
        if outcome.saved:
            return back_to_plan(plan, "targets")
        inputs = target_inputs(plan)  # the values saved now, shown beside the typed ones
    return render_template("plans/edit_targets.html", plan=plan, form=form, inputs=inputs, typed=typed,
                           outcome=outcome, sex_labels=pages.SEX_LABELS), outcome.status




def activity_form(plan, activity=None) -> ActivityForm:
    data = {"version": plan.version, "section_key": request.args.get("area")}
    if activity is not None:
        data.update({name: getattr(activity, name) for name in ActivityForm.FIELDS})
        data["months"] = [str(month) for month in activity.month_list]
        data["budget_vnd"] = input_number(activity.budget_vnd)
    form = ActivityForm(data=data)
    form.section_key.choices = options((section.key, section.heading) for section in plan.sections if section.level == 2)
    return form


@plans.route("/<int:plan_id>/activities/new", methods=["GET", "POST"])
@roles_required(*PLAN_WRITERS)
def new_activity(plan_id: int):
    plan = or_404(queries.get_plan(plan_id))
    if request.method == "GET" and (refused := refuse_edit(plan)):
        return refused
    form = activity_form(plan)
    outcome = Outcome()
    if form.validate_on_submit():
        outcome = save_form(plan, form, lambda version: services.add_activity(
            plan, current_user, version, form.changes()), sent_before=lambda: added_by_this_sending(plan, form))
        if outcome.saved:
            return back_to_plan(plan, "activities")
    return render_template("plans/edit_activity.html", plan=plan, form=form, activity=None,
                           outcome=outcome, bodies=plan.template.responsible_body_list), outcome.status


@plans.route("/<int:plan_id>/activities/<int:activity_id>", methods=["GET", "POST"])
@roles_required(*PLAN_WRITERS)
def edit_activity(plan_id: int, activity_id: int):
    plan = or_404(queries.get_plan(plan_id))
    activity = or_404(queries.get_activity(plan, activity_id))
    if request.method == "GET" and (refused := refuse_edit(plan)):
        return refused
    form = activity_form(plan, activity)
    outcome = Outcome()
    if form.validate_on_submit():
        outcome = save_form(plan, form, lambda version: services.update_activity(
            plan, activity, current_user, version, form.changes()))
        if outcome.saved:
            return back_to_plan(plan, "activities")
    return render_template("plans/edit_activity.html", plan=plan, form=form, activity=activity,
                           outcome=outcome, bodies=plan.template.responsible_body_list), outcome.status


def added_by_this_sending(plan, form: ActivityForm) -> bool:
    """The plan's last save added this very activity, from this form: it was sent twice."""
    if not saved_by_this_sending(services.subject(plan), "activity_added", plan, form):
        return False
    try:
        typed = validation.validate_activity(plan, form.changes())
    except PlanError:
        return False
    added = max(plan.activities, key=lambda activity: activity.position, default=None)
    return added is not None and all(getattr(added, name) == value for name, value in typed.items())


@plans.route("/<int:plan_id>/activities/<int:activity_id>/delete", methods=["POST"])
@roles_required(*PLAN_WRITERS)
def delete_activity(plan_id: int, activity_id: int):
    plan = or_404(queries.get_plan(plan_id))
    form = VersionedForm()
    if not form.validate_on_submit():
        abort(400)
    activity = queries.get_activity(plan, activity_id)
    if activity is None:
        if not saved_by_this_sending(services.subject(plan), "activity_removed", plan, form):
            abort(404)
        flash(_("Saved."), "success")  # sent twice: its first sending deleted it
        return back_to_plan(plan, "activities")
    if refused := refuse_edit(plan):
        return refused
    outcome = save_form(plan, form, lambda version: services.remove_activity(plan, activity, current_user, version))
    if outcome.conflict:
        flash(_("Someone else saved this plan in the meantime. Check the activity and delete it again."),
              "warning")
    elif outcome.refused:
        flash(outcome.refused, "danger")
    return back_to_plan(plan, "activities")
