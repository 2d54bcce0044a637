"""The current tenant scope: which org units the code running now may see and change.

A scope is set for every request (from the signed-in user) and every task (explicitly). It
lives in a context variable, so it follows the code into threads of a request and into tasks.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import Select


class TenantScopeMissing(RuntimeError):
    """A tenant-owned table was queried with no scope set: refuse rather than return all."""


class OutOfScope(PermissionError):
    """A write would create or move a row into a unit outside the current scope."""


@dataclass(frozen=True)
class Scope:
    """`unit_ids` may be written and read; `readable_unit_ids` adds the ancestors' units.

    `unit_ids is None` means unrestricted (a platform admin, or a system task).
    `unit_ids_query` and `readable_unit_ids_query`, when given, select the same ids in SQL: the
    guard then limits a query by joining them, where a list of a province's hundreds of ids
    next to a page's own list of units makes PostgreSQL cost every pair of them and read the
    whole table.
    """

    label: str
    unit_ids: frozenset[int] | None
    readable_unit_ids: frozenset[int] | None
    unit_ids_query: Select | None = field(default=None, compare=False)
    readable_unit_ids_query: Select | None = field(default=None, compare=False)

    @classmethod
    def unrestricted(cls, label: str) -> Scope:
        return cls(label=label, unit_ids=None, readable_unit_ids=None)

    @classmethod
    def nothing(cls) -> Scope:
        """The scope of an anonymous visitor: every tenant-owned query comes back empty."""
        return cls(label="anonymous", unit_ids=frozenset(), readable_unit_ids=frozenset())

    @classmethod
    def for_subtree(cls, label: str, subtree_ids, ancestor_ids=(), subtree_query: Select | None = None,
                    readable_query: Select | None = None) -> Scope:
        unit_ids = frozenset(subtree_ids)
        return cls(label=label, unit_ids=unit_ids, readable_unit_ids=unit_ids | set(ancestor_ids),
                   unit_ids_query=subtree_query, readable_unit_ids_query=readable_query)

    @property
    def is_unrestricted(self) -> bool:
        return self.unit_ids is None

    def may_write(self, unit_id: int | None) -> bool:
        return self.is_unrestricted or unit_id in self.unit_ids


_current_scope: ContextVar[Scope | Callable[[], Scope] | None] = ContextVar("tenant_scope", default=None)


def current_scope() -> Scope | None:
    scope = _current_scope.get()
    if callable(scope):
        scope = scope()
        _current_scope.set(scope)
    return scope


def set_scope(scope: Scope | Callable[[], Scope] | None):
    """Set the scope until the returned token is passed to `reset_scope`. A callable is
    called on first use, so a request that never queries (a static file) pays nothing."""
    return _current_scope.set(scope)


def reset_scope(token) -> None:
    _current_scope.reset(token)


@contextmanager
def tenant_scope(scope: Scope):
    token = set_scope(scope)
    try:
        yield scope
    finally:
        reset_scope(token)


def system_scope(reason: str):
    """An unrestricted scope for work that must see every unit (sign-in, imports, tasks).

    The reason is required so that every use says why it may cross tenants.
    """
    return tenant_scope(Scope.unrestricted(f"system: {reason}"))
