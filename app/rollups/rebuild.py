"""Rebuilding rollups: `rebuild` recomputes every rollup at and below a unit, level by level,
as the task of a run that shows its progress (`services.request_rebuild` asks for one). A
report's own refreshes are app/rollups/services.py's; the SQL is app/rollups/engine.py's,
commune_series.py's and completeness.py's. Everything runs in the caller's transaction: the
task commits after each step, so that its run shows the step."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app import periods
from app.database import utcnow
from app.extensions import db
from app.org_units.models import Level, OrgUnit
from app.org_units.queries import ancestors_of
from app.rollups import commune_series, completeness, engine, locks, planner
from app.rollups.services import affected_periods, compute_unit
from app.task_runs import services as runs
from app.task_runs.models import TaskRun


@dataclass
class RebuildSummary:
    units: int
    periods: list[str]
    rows: int


def periods_below(unit: OrgUnit | None) -> list[str]:
    """Every period of a report below the unit (None: in the whole tree), every period the
    approved plans below it ask for, and their years; the shorter periods first, then the years."""
    below = _below(_path_of(unit))
    found = set(db.session.execute(
        select(engine.reports.c.period).distinct().where(below(engine.reports.c.unit_id))).scalars())
    asked = db.session.execute(select(engine.plans.c.year, engine.templates.c.report_period_type).distinct().select_from(
        engine.plans.join(engine.templates, engine.plans.c.template_id == engine.templates.c.id)).where(
        below(engine.plans.c.unit_id), completeness.reportable())).all()
    for year, period_type in asked:
        found.update(period.id for period in periods.periods_of_year(year, period_type))
    return affected_periods(*found)


def _path_of(unit: OrgUnit | None) -> str:
    """The prefix of the paths at and below the unit; every path starts with "/"."""
    return unit.path if unit is not None else "/"


def _below(prefix: str):
    """The units whose path starts with `prefix`."""
    return lambda column: column.in_(
        select(engine.units.c.id).where(engine.units.c.path.startswith(prefix)))


def _depth(path_column):
    return func.length(path_column) - func.length(func.replace(path_column, "/", ""))


# A rebuild's steps as its run shows them: each level, from the communes' parents up.
LEVEL_DONE = {Level.DISTRICT: _l("The districts' rollups are computed."),
              Level.PROVINCE: _l("The provinces' rollups are computed.")}
# The communes' parents of two levels (districts, and provinces of the tree after 1 July 2025).
COMMUNES_PARENTS_DONE = _l("The rollups of the units above the communes are computed.")


class _Progress:
    """A rebuild's progress: each step done is counted on its task run (if any) and
    committed by `after_step` (the task's commit), so that the run shows it."""

    def __init__(self, run: TaskRun | None, after_step: Callable[[], None] | None, steps: int):
        self.run, self.after_step, self.done = run, after_step, 0
        if run is not None:
            runs.start(run, total=steps)
        self._commit()

    def _commit(self) -> None:
        db.session.flush()
        if self.after_step is not None:
            self.after_step()

    def step_done(self, message) -> None:
        self.done += 1
        if self.run is not None:
            runs.advance(self.run, self.done, message)
        self._commit()

    def finish(self, summary: RebuildSummary) -> None:
        if self.run is not None:
            runs.finish(self.run, _l("%(rows)d rows for %(units)d units and %(periods)d periods.", rows=summary.rows,
                                     units=summary.units, periods=len(summary.periods)))
        db.session.flush()


def rebuild(unit: OrgUnit | None, run: TaskRun | None = None,
            after_step: Callable[[], None] | None = None) -> RebuildSummary:
    """Recompute every rollup at and below the unit (None: of the whole tree, every root at
    once): the communes' parents from the communes' reports, and the level above them from
    the same figures; then one INSERT … SELECT per level upward for all units and periods of
    that level (completeness level by level); then the unit's ancestors. Each step replaces
    whole levels, so `after_step` (the task's commit, to show progress) leaves every level
    consistent with the one below, old or new. On PostgreSQL refreshes and a
    report's requests wait while a step runs. Communes may sit at two depths (the tree after 1
    July 2025, where a province supervises its communes, beside the old one): a communes'
    parent is computed from its communes in the first step, whatever its depth, and a level's
    step reads its units' children other than communes."""
    now = utcnow()
    prefix = _path_of(unit)
    period_ids = periods_below(unit)
    upper_levels = _upper_levels(prefix)
    progress = _Progress(run, after_step, steps=1 + len(upper_levels))

    locks.lock(*locks.REBUILD_LOCK)
    first_upper_depth = upper_levels[0][0] if upper_levels else None
    _rebuild_communes_parents(prefix, period_ids, now, whole_tree=unit is None, grandparents_depth=first_upper_depth)
    progress.step_done(LEVEL_DONE.get(_communes_parents_level(prefix), COMMUNES_PARENTS_DONE))
    for depth, level in upper_levels:
        locks.lock(*locks.REBUILD_LOCK)
        _rebuild_level(prefix, depth, period_ids, now, rows_written=depth == first_upper_depth)
        progress.step_done(LEVEL_DONE[level])

    locks.lock(*locks.REBUILD_LOCK)
    _recompute_ancestors(unit, period_ids, now)
    below = _below(prefix)
    # The levels' steps wrote most states already; the rest (a unit with nothing below it to
    # count) are marked computed too.
    db.session.execute(engine.states.update().where(
        below(engine.states.c.unit_id), engine.states.c.period.in_(period_ids),
        or_(engine.states.c.computed_at.is_(None), engine.states.c.computed_at != now)).values(computed_at=now))
    planner.refresh_statistics()
    summary = RebuildSummary(
        units=db.session.execute(select(func.count()).select_from(engine.units).where(
            below(engine.units.c.id))).scalar_one(),
        periods=period_ids,
        rows=db.session.execute(select(func.count()).select_from(engine.rollups).where(
            below(engine.rollups.c.unit_id))).scalar_one())
    progress.finish(summary)
    return summary


def _upper_levels(prefix: str) -> list[tuple[int, str]]:
    """The depths of the levels at and below `prefix` above the communes' parents, deepest
    first, each with the level of its units."""
    depth, below = _depth(engine.units.c.path), _below(prefix)(engine.units.c.id)
    deepest = db.session.execute(select(func.max(depth)).where(below)).scalar_one()
    return [tuple(row) for row in db.session.execute(
        select(depth, func.min(engine.units.c.level)).where(below, depth < deepest - 1).group_by(depth).order_by(
            depth.desc())).all()]


def _communes_parents_level(prefix: str) -> str | None:
    """The level of the communes' parents below `prefix`, if they are all of one."""
    parent = engine.units.alias("communes_parent")
    levels = set(db.session.execute(select(parent.c.level).distinct().select_from(engine.units.join(
        parent, parent.c.id == engine.units.c.parent_id)).where(
        engine.units.c.level == Level.COMMUNE, parent.c.path.startswith(prefix), parent.c.path != prefix)).scalars())
    return levels.pop() if len(levels) == 1 else None


def _rebuild_communes_parents(prefix: str, period_ids: list[str], now: datetime, whole_tree: bool,
                              grandparents_depth: int | None) -> None:
    """The rows and completeness of the communes' parents below `prefix` (not at it: a
    commune's parent is rebuilt with its ancestors), from the communes' reports; and the rows
    of the units at `grandparents_depth` (if any: the provinces of the tree before 1 July
    2025), from the same figures (`commune_series.grandparents_figures`)."""
    communes = lambda place: place.c.path.startswith(prefix) & (place.c.path != prefix) & (  # noqa: E731
        place.c.level == Level.COMMUNE)
    grandparents = None if grandparents_depth is None else (
        lambda place: place.c.path.startswith(prefix) & (_depth(place.c.path) == grandparents_depth))
    planner.for_a_rebuild()
    # The rows are computed before the old rows go: a rebuild of the whole tree locks the
    # table while it writes (`engine.rows_replaced`), and pages wait for the writing only.
    with commune_series.staged_parents_rows(communes, period_ids, now, grandparents) as rows, engine.rows_replaced(
            _below(prefix), whole_table=whole_tree):
        for level_rows in rows:
            db.session.execute(engine.insert_rows(select(level_rows)))
    if period_ids:
        db.session.execute(completeness.upsert_states(
            completeness.communes_parent_states_of_periods(now, communes, period_ids)))


def _rebuild_level(prefix: str, depth: int, period_ids: list[str], now: datetime, rows_written: bool) -> None:
    """The rows (unless `rows_written` already, with the communes' parents') and completeness of
    the units at `depth` below `prefix`, from their children's (a commune has no stored rows:
    its parent was computed from its reports already)."""
    children = lambda child: child.c.path.startswith(prefix) & (_depth(child.c.path) == depth + 1) & (  # noqa: E731
        child.c.level != Level.COMMUNE)
    in_periods = lambda column: column.in_(period_ids)  # noqa: E731
    if not rows_written:
        db.session.execute(engine.insert_parent_rows(now, children, in_periods))
    db.session.execute(completeness.upsert_states(completeness.parent_states(now, children, in_periods)))


def _recompute_ancestors(unit: OrgUnit | None, period_ids: list[str], now: datetime) -> None:
    """The rows of the unit's ancestors, bottom-up: a commune's parent from its communes, each
    unit above from its children."""
    ancestors = list(reversed(ancestors_of(unit))) if unit is not None else []
    of_communes = unit is not None and unit.level == Level.COMMUNE
    for period_id in period_ids:
        for position, ancestor in enumerate(ancestors):
            compute_unit(ancestor, period_id, now, of_communes=of_communes and position == 0)
