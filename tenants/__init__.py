"""Tenant context and scoping: who may see which org units, applied to every ORM query."""
from tenants.guard import TenantOwned, TenantOwnedPart, TenantScoped, TenantSession
from tenants.scope import (
    OutOfScope,
    Scope,
    TenantScopeMissing,
    current_scope,
    system_scope,
    tenant_scope,
)

__all__ = [
    "OutOfScope",
    "Scope",
    "TenantOwned",
    "TenantOwnedPart",
    "TenantScoped",
    "TenantScopeMissing",
    "TenantSession",
    "current_scope",
    "system_scope",
    "tenant_scope",
]
