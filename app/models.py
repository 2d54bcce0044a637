"""Imports every model, so that metadata, migrations and the tenant guard see them all."""
from app.auth.models import ApiToken, User  # noqa: F401
from app.org_units.models import OrgUnit  # noqa: F401
from app.task_runs.models import TaskRun  # noqa: F401
