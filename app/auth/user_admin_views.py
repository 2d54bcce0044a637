"""User management for a district's user administrator (and the platform admin)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.auth import queries, services
from app.auth.forms import CreateUserForm, ResetPasswordForm
from app.auth.models import USER_MANAGERS, Role
from app.auth.permissions import roles_required
from app.errors import or_404
from app.extensions import db
from app.forms import options
from app.org_units.queries import get_by_code

user_admin = Blueprint("user_admin", __name__, url_prefix="/users", template_folder="templates")


def _roles_for(manager) -> list[Role]:
    if manager.has_role(Role.ADMIN):
        return list(Role)
    return [Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER, Role.DISTRICT_OFFICER, Role.DISTRICT_ADMIN]


@user_admin.route("/")
@roles_required(*USER_MANAGERS)
def index():
    return render_template("auth/users.html", users=queries.users_in_scope())


@user_admin.route("/new", methods=["GET", "POST"])
@roles_required(*USER_MANAGERS)
def create():
    form = CreateUserForm()
    form.role.choices = options((role.value, role.label) for role in _roles_for(current_user))
    units = queries.assignable_units(current_user)
    form.unit.choices = options((unit.code, f"{unit.name} ({unit.code})") for unit in units)
    if current_user.has_role(Role.ADMIN):
        form.unit.choices.insert(0, SelectChoice("-", _("No unit (administrator)")))
    if form.validate_on_submit():
        unit = None if form.unit.data == "-" else get_by_code(form.unit.data)
        try:
            user = services.create_user(
                form.username.data, form.password.data, Role(form.role.data), unit,
                full_name=form.full_name.data or "", email=form.email.data or "",
            )
        except services.UserError as error:
            for field, message in error.fields.items():
                getattr(form, field).errors.append(str(message))
        else:
            db.session.commit()
            flash(_("User %(username)s was created.", username=user.username), "success")
            return redirect(url_for(".index"))
    return render_template("auth/user_form.html", form=form), 200 if not form.errors else 422


@user_admin.route("/<int:user_id>/disable", methods=["POST"])
@roles_required(*USER_MANAGERS)
def disable(user_id: int):
    user = or_404(queries.get_user(user_id))
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "danger")
    else:
        services.disable_user(user)
        db.session.commit()
        flash(_("User %(username)s was disabled and signed out.", username=user.username), "success")
    return redirect(url_for(".index"))


@user_admin.route("/<int:user_id>/enable", methods=["POST"])
@roles_required(*USER_MANAGERS)
def enable(user_id: int):
    user = or_404(queries.get_user(user_id))
    services.enable_user(user)
    db.session.commit()
    flash(_("User %(username)s was enabled.", username=user.username), "success")
    return redirect(url_for(".index"))


@user_admin.route("/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(*USER_MANAGERS)
def reset_password(user_id: int):
    user = or_404(queries.get_user(user_id))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(user, form.password.data)
        except services.UserError as error:
            form.password.errors.append(str(error.fields["password"]))
        else:
            db.session.commit()
            flash(_("The password of %(username)s was reset.", username=user.username), "success")
            return redirect(url_for(".index"))
    return render_template("auth/password_form.html", form=form, user=user), 200 if not form.errors else 422
