"""Imports every model, so that metadata, migrations and the tenant guard see them all."""
from app.audit.models import AuditEntry  # noqa: F401
from app.auth.models import ApiToken, User  # noqa: F401
from app.dispatches.models import Dispatch, DispatchFile, ReportSchedule  # noqa: F401
from app.org_units.models import OrgUnit  # noqa: F401
from app.plan_templates.models import (  # noqa: F401
    PlanTemplate,
    TemplateActivity,
    TemplateIndicator,
    TemplateSection,
)
from app.plans.models import Plan, PlanActivity, PlanSection, PlanTarget, PlanVersion  # noqa: F401
from app.reminders.models import Reminder  # noqa: F401
from app.reports.models import Report, ReportActivity, ReportValue  # noqa: F401
from app.rollups.models import Rollup, RollupState  # noqa: F401
from app.task_runs.models import TaskRun  # noqa: F401
