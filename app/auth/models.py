import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.org_units.models import Level, OrgUnit
from app.text import NFCString
from tenants import TenantOwned


class Role(StrEnum):
    COMMUNE_EDITOR = "commune_editor"
    COMMUNE_LEADER = "commune_leader"
    DISTRICT_OFFICER = "district_officer"
    DISTRICT_ADMIN = "district_admin"
    PROVINCE_VIEWER = "province_viewer"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def home_level(self) -> str | None:
        """The level of unit a user of this role belongs to (None: no unit, the platform admin).
        A district's roles belong to whichever unit supervises the communes: since 1 July 2025
        a province may (`org_units.queries.supervises_communes`)."""
        return ROLE_HOME_LEVELS[self]


ROLE_LABELS = {
    Role.COMMUNE_EDITOR: _l("Commune officer (editor)"),
    Role.COMMUNE_LEADER: _l("Commune leader"),
    Role.DISTRICT_OFFICER: _l("District officer"),
    Role.DISTRICT_ADMIN: _l("District user administrator"),
    Role.PROVINCE_VIEWER: _l("Province viewer"),
    Role.ADMIN: _l("Administrator"),
}

# Who may manage users (the page of users, creating, disabling, resetting).
USER_MANAGERS = (Role.DISTRICT_ADMIN, Role.ADMIN)

ROLE_HOME_LEVELS = {
    Role.COMMUNE_EDITOR: Level.COMMUNE,
    Role.COMMUNE_LEADER: Level.COMMUNE,
    Role.DISTRICT_OFFICER: Level.DISTRICT,
    Role.DISTRICT_ADMIN: Level.DISTRICT,
    Role.PROVINCE_VIEWER: Level.PROVINCE,
    Role.ADMIN: None,
}


def new_session_nonce() -> str:
    return secrets.token_hex(16)


class User(TenantOwned, UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(NFCString(64), unique=True)
    full_name: Mapped[str] = mapped_column(NFCString(255), default="")
    # Where reminders go (a commune's editor and leader); optional.
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the session's user id: changing it ends every session of the user.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    unit: Mapped[OrgUnit | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def manages_users(self) -> bool:
        return self.has_role(*USER_MANAGERS)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
