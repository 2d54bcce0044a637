"""Sub-forms of the template editor: sections (by key), activities (by id), indicators (by
code); each with add, edit, move up/down and remove."""
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.auth.permissions import roles_required
from app.forms import options
from app.i18n import input_number
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


@dataclass(frozen=True)
class _RowRoutes:
    """What the four routes of one kind of row (add, edit, move, remove) share, so that each
    route names only the row and the message it flashes."""
    name: str  # the row's name in the form page's context
    page: str
    find: Callable  # (template, key or id) → the row, or 404
    form: Callable  # (template, row or None for a new one) → the form, filled
    add: Callable  # the content services, called with the signed-in user and the version read
    update: Callable
    move: Callable
    remove: Callable

    def add_page(self, template_id: int, done: str):
        return self._form_page(template_id, None, done)

    def edit_page(self, template_id: int, key, done: str):
        return self._form_page(template_id, key, done)

    def _form_page(self, template_id: int, key, done: str):
        template = _load(template_id, author=True)
        row = None if key is None else self.find(template, key)
        if (response := _draft_only(template)) is not None:
            return response
        form = self.form(template, row)
        if row is None:
            return _form_page(form, template, lambda version: self.add(
                template, current_user, version, form.data_for_service()), self.page, done)
        return _form_page(form, template, lambda version: self.update(
            template, row, current_user, version, form.data_for_service()), self.page, done, **{self.name: row})

    def move_row(self, template_id: int, key, done: str):
        return _action(template_id, lambda template, row, version, direction: self.move(
            template, row, current_user, version, _offset(direction)), done,
            find=lambda template: self.find(template, key))

    def remove_row(self, template_id: int, key, done: str):
        return _action(template_id, lambda template, row, version, _direction: self.remove(
            template, row, current_user, version), done,
            find=lambda template: self.find(template, key))


# Sections ---------------------------------------------------------------------------------

def _section(template, key: str):
    return next((section for section in template.sections if section.key == key), None) or abort(404)


def _section_form(template, section=None) -> SectionForm:
    if section is None:
        # A content area (level 2) must come after a numbered section (level 1).
        return SectionForm(version=template.version, level="2" if template.sections else "1")
    form = SectionForm(obj=section, version=template.version)
    if not form.is_submitted():
        form.level.data = str(section.level)
    return form


SECTIONS = _RowRoutes(
    name="section", page="plan_templates/section_form.html", find=_section, form=_section_form,
    add=content_services.add_section, update=content_services.update_section,
    move=content_services.move_section, remove=content_services.remove_section)


@plan_templates.route("/<int:template_id>/sections/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def add_section(template_id: int):
    return SECTIONS.add_page(template_id, _("The section was added."))


@plan_templates.route("/<int:template_id>/sections/<key>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_section(template_id: int, key: str):
    return SECTIONS.edit_page(template_id, key, _("The section was saved."))


@plan_templates.route("/<int:template_id>/sections/<key>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_section(template_id: int, key: str):
    return SECTIONS.move_row(template_id, key, _("The section was moved."))


@plan_templates.route("/<int:template_id>/sections/<key>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_section(template_id: int, key: str):
    return SECTIONS.remove_row(template_id, key, _("The section was removed."))


# Activities -------------------------------------------------------------------------------

def _activity(template, activity_id: int):
    return next((activity for activity in template.activities if activity.id == activity_id), None) or abort(404)


def _area_choices(template) -> list[SelectChoice]:
    return options((section.key, section.heading) for section in template.sections if section.level == 2)


def _activity_form(template, activity=None) -> ActivityForm:
    form = ActivityForm(obj=activity, version=template.version)
    form.section_key.choices = _area_choices(template)
    return form


ACTIVITIES = _RowRoutes(
    name="activity", page="plan_templates/activity_form.html", find=_activity, form=_activity_form,
    add=content_services.add_activity, update=content_services.update_activity,
    move=content_services.move_activity, remove=content_services.remove_activity)


@plan_templates.route("/<int:template_id>/activities/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def add_activity(template_id: int):
    return ACTIVITIES.add_page(template_id, _("The activity was added."))


@plan_templates.route("/<int:template_id>/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_activity(template_id: int, activity_id: int):
    return ACTIVITIES.edit_page(template_id, activity_id, _("The activity was saved."))


@plan_templates.route("/<int:template_id>/activities/<int:activity_id>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_activity(template_id: int, activity_id: int):
    return ACTIVITIES.move_row(template_id, activity_id, _("The activity was moved."))


@plan_templates.route("/<int:template_id>/activities/<int:activity_id>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_activity(template_id: int, activity_id: int):
    return ACTIVITIES.remove_row(template_id, activity_id, _("The activity was removed."))


# Indicators -------------------------------------------------------------------------------

def _indicator(template, code: str):
    return template.indicator(code) or abort(404)


def _indicator_form(template, indicator=None) -> IndicatorForm:
    form = IndicatorForm(obj=indicator, version=template.version)
    if indicator is not None and not form.is_submitted():
        form.minimum_target.data = input_number(indicator.minimum_target)
    return form


INDICATORS = _RowRoutes(
    name="indicator", page="plan_templates/indicator_form.html", find=_indicator, form=_indicator_form,
    add=content_services.add_indicator, update=content_services.update_indicator,
    move=content_services.move_indicator, remove=content_services.remove_indicator)


@plan_templates.route("/<int:template_id>/indicators/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def add_indicator(template_id: int):
    return INDICATORS.add_page(template_id, _("The indicator was added."))


@plan_templates.route("/<int:template_id>/indicators/<code>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
def edit_indicator(template_id: int, code: str):
    return INDICATORS.edit_page(template_id, code, _("The indicator was saved."))


@plan_templates.route("/<int:template_id>/indicators/<code>/move", methods=["POST"])
@roles_required(*AUTHORS)
def move_indicator(template_id: int, code: str):
    return INDICATORS.move_row(template_id, code, _("The indicator was moved."))


@plan_templates.route("/<int:template_id>/indicators/<code>/remove", methods=["POST"])
@roles_required(*AUTHORS)
def remove_indicator(template_id: int, code: str):
    return INDICATORS.remove_row(template_id, code, _("The indicator was removed."))
