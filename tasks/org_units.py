"""Re-importing the official list of units, with its progress in a TaskRun."""
from celery import shared_task
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.errors import is_unique_violation
from app.extensions import db
from app.org_units import gso
from app.org_units import services as org_unit_services
from app.task_runs import services as runs
from app.task_runs.queries import get_run
from tenants import system_scope


@shared_task(name="tasks.org_units.import_org_units")
def import_org_units(run_id: int, province_code: str | None, district_code: str | None) -> None:
    """Import a province or district. Each district commits on its own, so the progress shown
    is real and a run that is delivered again after a crash redoes only idempotent upserts."""
    with system_scope("the official list is imported for the whole tree"):
        run = get_run(run_id)
        if run is None:
            return
        with runs.failure_recorded(run_id):
            selection = gso.select(province_code, district_code)
            runs.start(run, total=len(selection.districts))
            db.session.commit()

            def after_district(done, entry):
                runs.advance(run, done, entry.district.name)
                db.session.commit()

            try:
                counts = org_unit_services.import_selection(selection, after_district)
            except IntegrityError as error:
                if not is_unique_violation(error):
                    raise
                # Another import added the same units at the same moment: they are there now,
                # and the upserts find them (the districts done before are found unchanged).
                db.session.rollback()
                counts = org_unit_services.import_selection(selection, after_district)
            runs.finish(run, _l(
                "Units added: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d.",
                created=counts.created, updated=counts.updated, unchanged=counts.unchanged))
            db.session.commit()

