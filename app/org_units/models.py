from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.text import NFCString
from tenants import TenantScoped


class Level:
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class OrgUnit(TenantScoped, db.Model):
    """One node of the administrative tree (tỉnh, huyện, xã…), named by its GSO code.

    `path` lists the codes from the root, `/38/402/16204/`, so a subtree is one prefix match.
    A user may read the units of its subtree and their ancestors (for names in headers).
    """

    __tablename__ = "org_units"
    # A subtree is `path LIKE '/38/%'`: PostgreSQL uses an index for it only with the pattern
    # operators, as the database's collation is not C.
    __table_args__ = (Index("ix_org_units_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),)
    __tenant_column__ = "id"
    __tenant_reads_ancestors__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(NFCString(255))
    division_type: Mapped[str] = mapped_column(NFCString(32))
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["OrgUnit"]] = relationship(back_populates="parent")

    def __tenant_owner__(self) -> int | None:
        """A new unit belongs to its parent's scope; an existing one to its own."""
        if self.id is not None:
            return self.id
        return self.parent.id if self.parent is not None else self.parent_id

    @property
    def short_name(self) -> str:
        """`Xã Bình Lương` → `Bình Lương`."""
        prefix = self.division_type.casefold()
        if self.name.casefold().startswith(prefix + " "):
            return self.name[len(prefix) + 1:]
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return self.path.strip("/").split("/")[:-1]

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.name}>"
