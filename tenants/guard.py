"""The ORM guard: every query of a tenant-owned model is limited to the current scope.

Models opt in with `__tenant_column__`, the column holding the org unit a row belongs to
(`unit_id` for tenant-owned rows, `id` for the org units themselves). The guard adds the scope
to every ORM SELECT, UPDATE and DELETE (so a view cannot forget it), refuses to flush a row into
a unit outside the scope, and fails closed when no scope is set.
"""
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import bindparam, event, inspect
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria

from tenants.scope import OutOfScope, Scope, TenantScopeMissing, current_scope

_tenant_classes: list[type] = []


class TenantScoped:
    """Base of every model the guard limits; a model names its unit column in
    `__tenant_column__` and is registered when it is declared."""

    __tenant_column__: str
    # Whether the ancestors of the home unit are readable too (org units: names in headers).
    __tenant_reads_ancestors__ = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__tablename__" in cls.__dict__:
            _tenant_classes.append(cls)


class TenantOwned(TenantScoped):
    """Mixin for models whose rows belong to one org unit, named by `unit_id`."""

    __tenant_column__ = "unit_id"


class TenantOwnedPart(TenantOwned):
    """A row that is part of another tenant-owned row (a plan's section, a report's value):
    it belongs to its parent's unit, named by the relationship in `__tenant_parent__`, and its
    own `unit_id` is filled in from the parent so the guard can scope it on its own."""

    __tenant_parent__: str

    def __tenant_owner__(self) -> int | None:
        parent = getattr(self, self.__tenant_parent__)
        if self.unit_id is None and parent is not None:
            self.unit_id = parent.unit_id
        return self.unit_id


class TenantSession(FlaskSQLAlchemySession):
    """The application's session class; the guard's events are attached to it."""


@event.listens_for(TenantSession, "do_orm_execute")
def _limit_to_scope(state: ORMExecuteState) -> None:
    if state.is_column_load:
        return
    scope = current_scope()
    touched = {mapper.class_ for mapper in state.all_mappers}.intersection(_tenant_classes)
    if scope is None:
        if touched:
            names = ", ".join(sorted(cls.__name__ for cls in touched))
            raise TenantScopeMissing(f"query on {names} with no tenant scope")
        return
    if scope.is_unrestricted:
        return
    if state.is_insert and touched:
        # A bulk INSERT carries no objects to check: tenant rows go through session.add().
        raise OutOfScope(f"bulk insert of tenant rows in {scope.label}")
    if not (state.is_select or state.is_update or state.is_delete):
        return
    criteria = []
    for cls in _tenant_classes:
        column = getattr(cls, cls.__tenant_column__)
        reads_ancestors = state.is_select and cls.__tenant_reads_ancestors__
        criteria.append(with_loader_criteria(cls, column.in_(_ids_of(scope, reads_ancestors)),
                                             include_aliases=True))
    state.statement = state.statement.options(*criteria)


def _ids_of(scope: Scope, reads_ancestors: bool):
    """The scope's units in SQL: its query of their ids, or else the ids themselves."""
    query = scope.readable_unit_ids_query if reads_ancestors else scope.unit_ids_query
    if query is not None:
        return query
    unit_ids = scope.readable_unit_ids if reads_ancestors else scope.unit_ids
    # Rendered into the SQL as numbers: many ids as bound parameters cost more to send than
    # the query itself.
    return bindparam(None, sorted(unit_ids), expanding=True, literal_execute=True)


def _owner_unit_id(instance) -> int | None:
    """The unit a row belongs to; a model may say otherwise with `__tenant_owner__()`."""
    if hasattr(instance, "__tenant_owner__"):
        return instance.__tenant_owner__()
    unit_id = getattr(instance, instance.__tenant_column__)
    if unit_id is None and getattr(instance, "unit", None) is not None:
        unit_id = instance.unit.id
    return unit_id


@event.listens_for(TenantSession, "before_flush")
def _refuse_writes_out_of_scope(session, flush_context, instances) -> None:
    changed = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, TenantScoped)
    ]
    if not changed:
        return
    scope = current_scope()
    if scope is None:
        raise TenantScopeMissing("write to tenant-owned rows with no tenant scope")
    if scope.is_unrestricted:
        return
    for obj in changed:
        if obj in session.dirty and not session.is_modified(obj):
            continue
        unit_id = _owner_unit_id(obj)
        if not scope.may_write(unit_id):
            raise OutOfScope(f"{type(obj).__name__} for unit {unit_id} is outside {scope.label}")
        # A row moved from another unit is refused too.
        column_history = inspect(obj).attrs[obj.__tenant_column__].history
        if any(not scope.may_write(old) for old in column_history.deleted or ()):
            raise OutOfScope(f"{type(obj).__name__} moved from outside {scope.label}")
