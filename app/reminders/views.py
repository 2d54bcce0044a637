"""Who was reminded of which report, and when: the district's view of its reminders."""
from flask import Blueprint, render_template

from app.auth.models import Role
from app.auth.permissions import roles_required
from app.reminders import queries
from app.reports.pages import period_label

reminders = Blueprint("reminders", __name__, url_prefix="/reminders", template_folder="templates")


@reminders.route("")
@roles_required(Role.DISTRICT_OFFICER, Role.DISTRICT_ADMIN, Role.PROVINCE_VIEWER, Role.ADMIN)
def index():
    return render_template("reminders/index.html", reminders=queries.recent_reminders(), period_label=period_label)
