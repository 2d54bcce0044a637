"""Sign-in, sign-out and the language switch."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import services
from app.auth.forms import LanguageForm, LoginForm
from app.extensions import db
from app.security import is_safe_next

auth = Blueprint("auth", __name__, template_folder="templates")

# The language a visitor chose on the sign-in page (`set_language` keeps only a known one)
# becomes their own when they sign in. The one left by the last user's sign-out is only the
# sign-in page's: on a commune's shared computer it is somebody else's choice.
CHOSEN_ON_SIGN_IN = "locale_chosen"


@auth.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data, request.remote_addr,
                                         session.get(CHOSEN_ON_SIGN_IN))
        except services.TooManyAttempts:
            form.form_errors.append(_("Too many failed attempts. Wait a few minutes and try again."))
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            target = form.next.data
            session.clear()  # a fresh session: nothing from before sign-in carries over
            login_user(user)
            session["locale"] = user.locale
            db.session.commit()
            return redirect(target if is_safe_next(target) else url_for("home.index"))
        db.session.commit()
        form.form_errors.append(_("Wrong username or password."))
        status = 401
    return render_template("auth/login.html", form=form), status


@auth.route("/logout", methods=["POST"])
@login_required
def logout():
    # The session cookie is stateless: changing the nonce is what makes a copy of it useless.
    services.end_sessions(current_user)
    db.session.commit()
    locale = session.get("locale")
    logout_user()
    session.clear()
    session["locale"] = locale  # the sign-in page stays in the language the user chose
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@auth.app_template_global()
def language_switch_return() -> str:
    """Where the language switch brings the reader back: this page; or, for a page that answers
    a form's POST (the form again, with what was wrong), the page the form was sent from, since
    the form's own address may take no GET."""
    if request.method == "GET":
        return request.full_path if request.query_string else request.path
    sent_from = urlsplit(request.referrer or "")
    if sent_from.netloc != request.host or not sent_from.path:
        return url_for("home.index")
    return f"{sent_from.path}?{sent_from.query}" if sent_from.query else sent_from.path


@auth.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.locale.data in current_app.config["LANGUAGES"]:
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
            db.session.commit()
        else:
            session[CHOSEN_ON_SIGN_IN] = form.locale.data
    target = form.next.data
    return redirect(target if is_safe_next(target) else url_for("home.index"))
