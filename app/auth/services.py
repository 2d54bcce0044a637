"""Users, passwords, sign-in and API tokens. Services flush; the request or command commits."""
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import ApiToken, Role, User, new_session_nonce
from app.auth.throttle import login_throttle
from app.database import utcnow
from app.extensions import db
from app.mail import normalized_address
from app.org_units.models import Level, OrgUnit
from app.org_units.queries import supervises_communes
from app.text import nfc
from tenants import system_scope

MIN_PASSWORD_LENGTH = 8
# A real hash to check against when the user does not exist, so both cases take as long.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


class UserError(ValueError):
    """A refused change to a user: translated messages by form field, all found at once."""

    def __init__(self, fields: dict):
        super().__init__("; ".join(str(message) for message in fields.values()))
        self.fields = fields


class TooManyAttempts(Exception):
    pass


def hash_password(password: str) -> str:
    return generate_password_hash(nfc(password), method="scrypt")


def _password_problem(password: str):
    if len(nfc(password)) < MIN_PASSWORD_LENGTH:
        return _l("The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
    return None


def _home_unit_problems(role: Role, unit: OrgUnit | None) -> dict:
    if role.home_level is None:
        return {"unit": _l("An administrator does not belong to a unit.")} if unit else {}
    if unit is None:
        return {"unit": _l("Choose the unit this user belongs to.")}
    if role.home_level == Level.DISTRICT:  # whichever unit supervises the communes
        if not supervises_communes(unit):
            return {"role": _l("This role belongs to the unit that supervises the communes: a district, or a "
                               "province with no districts.")}
    elif unit.level != role.home_level:
        return {"role": _l("This role does not fit a unit of that level.")}
    return {}


# Plain letters, digits, dots, hyphens and underscores: no accent, invisible character or
# look-alike letter (a Cyrillic "е") can make a name that reads as another user's.
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


def _username_problem(username: str):
    if not _USERNAME.fullmatch(username):
        return _l("A username is 1 to 64 letters a–z without accents, digits, dots, hyphens or underscores.")
    with system_scope("usernames are unique across every unit"):
        taken = db.session.execute(db.select(User.id).where(User.username == username)).first()
    return _l("This username is already taken.") if taken else None


def normalise_username(username: str) -> str:
    return nfc(username).strip().casefold()


def _email_problem(email: str) -> str | None:
    if email and normalized_address(email) is None:
        return _l("Enter a valid e-mail address, or leave it empty.")
    return None


def create_user(
    username: str, password: str, role: Role, unit: OrgUnit | None, full_name: str = "",
    locale: str = "vi", email: str = "",
) -> User:
    username = normalise_username(username)
    problems = {
        "username": _username_problem(username),
        "password": _password_problem(password),
        "email": _email_problem(email),
        **_home_unit_problems(role, unit),
    }
    problems = {field: message for field, message in problems.items() if message}
    if problems:
        raise UserError(problems)
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        unit=unit,
        full_name=nfc(full_name).strip(),
        locale=locale,
        email=normalized_address(email) if email else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session cookie and every API token stops working."""
    user.session_nonce = new_session_nonce()
    db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.flush()


def disable_user(user: User) -> None:
    user.active = False
    end_sessions(user)


def enable_user(user: User) -> None:
    user.active = True
    db.session.flush()


def reset_password(user: User, password: str) -> None:
    problem = _password_problem(password)
    if problem:
        raise UserError({"password": problem})
    user.password_hash = hash_password(password)
    end_sessions(user)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def authenticate(username: str, password: str, address: str, chosen_locale: str | None = None) -> User | None:
    """The active user with these credentials, or None; raises TooManyAttempts when throttled.
    A language chosen on the sign-in page (`chosen_locale`) becomes the user's.

    An unknown user and a wrong password are indistinguishable to the caller.
    """
    username = normalise_username(username or "")
    throttle = login_throttle()
    if throttle.is_blocked(username, address):
        raise TooManyAttempts()
    with system_scope("sign-in looks the user up before any scope exists"):
        user = db.session.execute(
            db.select(User).where(User.username == username)
        ).scalar_one_or_none()
        password_ok = check_password_hash(
            user.password_hash if user else _DUMMY_HASH, nfc(password or "")
        )
        if user is None or not password_ok or not user.active:
            throttle.record_failure(username, address)
            return None
        throttle.record_success(username)
        user.last_login_at = utcnow()
        db.session.flush()
        if chosen_locale:
            set_locale(user, chosen_locale)
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


def issue_token(user: User) -> IssuedToken:
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + current_app.config["API_TOKEN_LIFETIME"]
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_digest(token), expires_at=expires_at))
    db.session.flush()
    return IssuedToken(token, expires_at)


def user_for_token(token: str) -> User | None:
    """The active user holding this unexpired, unrevoked token."""
    with system_scope("a bearer token names its user before any scope exists"):
        return db.session.execute(
            db.select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(
                ApiToken.token_hash == _token_digest(token),
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > utcnow(),
                User.active.is_(True),
            )
        ).scalar_one_or_none()


def revoke_token(token: str) -> None:
    db.session.execute(
        db.update(ApiToken)
        .where(ApiToken.token_hash == _token_digest(token), ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def purge_expired_tokens() -> int:
    result = db.session.execute(db.delete(ApiToken).where(ApiToken.expires_at < utcnow()))
    return result.rowcount
