"""Sub-forms of the template editor: sections (by key), activities (by id), indicators (by
code); each with add, edit, move up/down and remove."""
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import roles_required
from app.plan_templates import content_services
from app.plan_templates.forms import ActivityForm, IndicatorForm, SectionForm
from app.plan_templates.views import (
    AUTHORS,
    _action,
    _draft_only,
    _form_page,
    _load,
    _offset,
    plan_templates,
)

SECTION_PAGE = "plan_templates/section_form.html"
ACTIVITY_PAGE = "plan_templates/activity_form.html"
INDICATOR_PAGE = "plan_templates/indicator_form.html"


def _section(template, key: str):
    return next((section for section in template.sections if section.key == key), None) or abort(404)


def _activity(template, activity_id: int):
    return next((activity for activity in template.activities if activity.id == activity_id), None) or abort(404)


def _indicator(template, code: str):
    return template.indicator(code) or abort(404)


# Sections ---------------------------------------------------------------------------------

@plan_templates.route("/<int:template_id>/sections/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def add_section(template_id: int):
    template = _load(template_id, author=True)
    if (response := _draft_only(template)) is not None:
        return response
    form = SectionForm(version=template.version, level="2" if template.sections else "1")
    return _form_page(form, template, lambda version: content_services.add_section(
        template, current_user, version, form.data_for_service()), SECTION_PAGE, _("The section was added."))


@plan_templates.route("/<int:template_id>/sections/<key>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_section(template_id: int, key: str):
    template = _load(template_id, author=True)
    section = _section(template, key)
    if (response := _draft_only(template)) is not None:
        return response
    form = SectionForm(obj=section, version=template.version)
    if not form.is_submitted():
        form.level.data = str(section.level)
    return _form_page(form, template, lambda version: content_services.update_section(
        template, section, current_user, version, form.data_for_service()), SECTION_PAGE,
        _("The section was saved."), section=section)


@plan_templates.route("/<int:template_id>/sections/<key>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_section(template_id: int, key: str):
    return _action(template_id, lambda template, section, version, direction: content_services.move_section(
        template, section, current_user, version, _offset(direction)), _("The section was moved."),
        find=lambda template: _section(template, key))


@plan_templates.route("/<int:template_id>/sections/<key>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_section(template_id: int, key: str):
    return _action(template_id, lambda template, section, version, _direction: content_services.remove_section(
        template, section, current_user, version), _("The section was removed."),
        find=lambda template: _section(template, key))


# Activities -------------------------------------------------------------------------------

def _area_choices(template) -> list[tuple[str, str]]:
    return [(section.key, section.heading) for section in template.sections if section.level == 2]


@plan_templates.route("/<int:template_id>/activities/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def add_activity(template_id: int):
    template = _load(template_id, author=True)
    if (response := _draft_only(template)) is not None:
        return response
    form = ActivityForm(version=template.version)
    form.section_key.choices = _area_choices(template)
    return _form_page(form, template, lambda version: content_services.add_activity(
        template, current_user, version, form.data_for_service()), ACTIVITY_PAGE, _("The activity was added."))


@plan_templates.route("/<int:template_id>/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_activity(template_id: int, activity_id: int):
    template = _load(template_id, author=True)
    activity = _activity(template, activity_id)
    if (response := _draft_only(template)) is not None:
        return response
    form = ActivityForm(obj=activity, version=template.version)
    form.section_key.choices = _area_choices(template)
    return _form_page(form, template, lambda version: content_services.update_activity(
        template, activity, current_user, version, form.data_for_service()), ACTIVITY_PAGE,
        _("The activity was saved."), activity=activity)


@plan_templates.route("/<int:template_id>/activities/<int:activity_id>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_activity(template_id: int, activity_id: int):
    return _action(template_id, lambda template, activity, version, direction: content_services.move_activity(
        template, activity, current_user, version, _offset(direction)), _("The activity was moved."),
        find=lambda template: _activity(template, activity_id))


@plan_templates.route("/<int:template_id>/activities/<int:activity_id>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_activity(template_id: int, activity_id: int):
    return _action(template_id, lambda template, activity, version, _direction: content_services.remove_activity(
        template, activity, current_user, version), _("The activity was removed."),
        find=lambda template: _activity(template, activity_id))


# Indicators -------------------------------------------------------------------------------

@plan_templates.route("/<int:template_id>/indicators/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def add_indicator(template_id: int):
    template = _load(template_id, author=True)
    if (response := _draft_only(template)) is not None:
        return response
    form = IndicatorForm(version=template.version)
    return _form_page(form, template, lambda version: content_services.add_indicator(
        template, current_user, version, form.data_for_service()), INDICATOR_PAGE, _("The indicator was added."))


@plan_templates.route("/<int:template_id>/indicators/<code>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_indicator(template_id: int, code: str):
    template = _load(template_id, author=True)
    indicator = _indicator(template, code)
    if (response := _draft_only(template)) is not None:
        return response
    form = IndicatorForm(obj=indicator, version=template.version)
    if not form.is_submitted() and indicator.minimum_target is not None:
        form.minimum_target.data = format(indicator.minimum_target.normalize(), "f")
    return _form_page(form, template, lambda version: content_services.update_indicator(
        template, indicator, current_user, version, form.data_for_service()), INDICATOR_PAGE,
        _("The indicator was saved."), indicator=indicator)


@plan_templates.route("/<int:template_id>/indicators/<code>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_indicator(template_id: int, code: str):
    return _action(template_id, lambda template, indicator, version, direction: content_services.move_indicator(
        template, indicator, current_user, version, _offset(direction)), _("The indicator was moved."),
        find=lambda template: _indicator(template, code))


@plan_templates.route("/<int:template_id>/indicators/<code>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_indicator(template_id: int, code: str):
    return _action(template_id, lambda template, indicator, version, _direction: content_services.remove_indicator(
        template, indicator, current_user, version), _("The indicator was removed."),
        find=lambda template: _indicator(template, code))
