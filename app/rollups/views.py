"""Comparing units: the table of the children of a unit against the indicators, a ranking
chart per indicator, completeness and timeliness, and the table as XLSX.

`/compare?unit=CODE&period=ID&sort=COLUMN&order=asc|desc`. A commune user always sees its own
commune beside its parent's total, whatever `unit` says; any other user sees a unit of its own
subtree (another district's unit is a 404, like everything out of scope)."""
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from app import periods
from app.errors import or_404
from app.i18n import number_formatter
from app.org_units.models import Level, OrgUnit
from app.org_units.queries import ancestors_of, children_of, get_by_code
from app.plan_templates import queries as template_queries
from app.reports.pages import period_label
from app.rollups import charts, comparison, export
from app.rollups.models import TOTAL
from app.rollups.queries import figures_snapshot
from app.text import vietnamese_sort_key

# No url_prefix: a prefix cannot give `/compare.xlsx` beside `/compare`.
rollups = Blueprint("rollups", __name__, template_folder="templates")


def requested_unit() -> OrgUnit:
    code = (request.args.get("unit") or "").strip()
    home = current_user.unit
    if home is not None and home.level == Level.COMMUNE:
        # A commune is compared only with its parent's total, never with its siblings.
        if code and code != home.code and code not in home.ancestor_codes:
            abort(404)
        return home
    if not code:
        if home is not None:
            return home
        roots = children_of(None)
        return or_404(roots[0] if roots else None)
    unit = or_404(get_by_code(code))
    # Ancestors are readable (names in headers) but their figures are not this user's to compare.
    if not in_readers_subtree(unit):
        abort(404)
    return unit


def in_readers_subtree(unit: OrgUnit) -> bool:
    """The unit is the reader's home or below it (anywhere, for a user with no home unit): its
    comparison is theirs to open."""
    home = current_user.unit
    return home is None or unit.path.startswith(home.path)


def asked_period() -> str:
    return (request.args.get("period") or "").strip()


def requested_period(choices: list[str]) -> str | None:
    """The period asked for if the unit has figures or expected reports for it, else the
    latest that has (a period with neither would show a table of zeros)."""
    period_id = asked_period()
    if period_id in choices:
        return period_id
    return choices[0] if choices else None


def load():
    unit = requested_unit()
    choices = comparison.period_choices(unit)
    period_id = requested_period(choices)
    if period_id is None:
        return unit, choices, None
    return unit, choices, comparison.build(unit, period_id, current_user)


def ancestor_link(period_id: str | None):
    """For the breadcrumbs: the address of an ancestor's comparison for the period, if the
    reader may open it (`in_readers_subtree`), else None."""
    def link(ancestor: OrgUnit) -> str | None:
        return url_for("rollups.compare", unit=ancestor.code, period=period_id) if in_readers_subtree(ancestor) else None
    return link


def report_link(plan_id: int | None, report_id: int | None) -> str | None:
    """The report itself, or the plan's list of reports when there is none yet."""
    views = current_app.view_functions
    if report_id is not None and "reports.show" in views:
        return url_for("reports.show", report_id=report_id)
    if plan_id is not None and "reports.for_plan" in views:
        return url_for("reports.for_plan", plan_id=plan_id)
    return None


def figure_cells(number: Callable[[object], str], cell: comparison.Cell, column: comparison.Column,
                 link: str | None = None) -> Markup:
    """The two cells of one figure in the comparison's tables, its numbers written by `number`:
    its value (a link to the report when there is one) over its target, then its percentage of
    the target in the colour band of what is due by the period's end (`column.due`). Written
    here rather than as a Jinja macro, and given `number` rather than reading the template's
    context (which Jinja copies for each such call in a loop): a province's table holds a
    thousand figures, and rendering it took 24 ms against 17 ms now."""
    shown = "—" if cell.value is None else escape(number(cell.value))
    if link and cell.value is not None:
        shown = f'<a href="{escape(link)}">{shown}</a>'
    target = "" if cell.target is None else f'<div class="small text-muted">/ {escape(number(cell.target))}</div>'
    percent = "" if cell.percent is None else escape(number(cell.percent))
    band = column.band(cell) or ""
    return Markup(f'<td class="numeric">{shown}{target}</td>\n<td class="numeric {band}">{percent}</td>')


class RankingChart(NamedTuple):
    column: comparison.Column
    svg: Markup
    without_value: list[str]  # the rows' names, named beside the chart


class Ranking(NamedTuple):
    charts: list[RankingChart]
    # The rows with no figure at all for the period, named once above the charts rather than
    # under each of them (most communes, early in a quarter).
    without_figures: list[str]


def ranking(found: comparison.Comparison) -> Ranking:
    """One chart per indicator (its total), ranking the rows; nothing to rank for one row."""
    if found.focus is not None or len(found.rows) < 2:
        return Ranking([], [])
    totals = [column for column in found.columns if column.sex == TOTAL]
    with_figures, without_figures = [], []
    for row in sorted(found.rows, key=lambda row: vietnamese_sort_key(row.name)):  # names listed in this order
        has_figure = any(row.cell(column).value is not None for column in totals)
        (with_figures if has_figure else without_figures).append(row)
    number = number_formatter()
    result = []
    for column in totals:
        # The tick marks what is due by the period's end, as the table's colours read it.
        bars = [charts.Bar(row.name, row.cell(column).value, column.due_of(row.cell(column).target))
                for row in with_figures]
        result.append(RankingChart(column, charts.bar_chart(column.name, bars, format_value=number),
                                   charts.without_value(bars)))
    return Ranking(result, [row.name for row in without_figures])


def counting_setting(found: comparison.Comparison | None) -> str | None:
    """The page of the unit's template for the year, where its officer changes which reports
    the figures count; None for a reader who may not change it."""
    if found is None or found.focus is not None or found.counted is None:
        return None
    if not template_queries.may_author(current_user, found.unit):
        return None
    template = template_queries.latest_published(found.unit, periods.parse(found.period).year)
    return url_for("plan_templates.show", template_id=template.id) if template is not None else None


@rollups.route("/compare")
@figures_snapshot()
@login_required
def compare():
    unit, choices, found = load()
    asked = asked_period()
    if found is not None and asked and asked != found.period:
        shown = period_label(found.period)
        if periods.is_period(asked):
            flash(_("There are no figures or expected reports for %(asked)s here; the page shows %(shown)s.",
                    asked=period_label(asked), shown=shown), "warning")
        else:
            flash(_("“%(asked)s” is not a reporting period; the page shows %(shown)s.", asked=asked, shown=shown),
                  "warning")
    sort = request.args.get("sort", "name")
    descending = request.args.get("order") == "desc"
    rows = []
    if found is not None:
        if not comparison.is_sort_key(sort, found.columns):
            sort = "name"
        rows = comparison.sort_rows(found.rows, found.columns, sort, descending)
    return render_template(
        "rollups/compare.html", unit=unit, choices=choices, found=found, rows=rows, ancestors=ancestors_of(unit),
        ancestor_link=ancestor_link(found.period if found else None),
        sort=sort, descending=descending, ranking=ranking(found) if found else Ranking([], []),
        period_label=period_label,
        counting_setting=counting_setting(found),
        report_link=report_link, figure_cells=partial(figure_cells, number_formatter()),
        sex_labels={"total": "", "female": _("female"), "male": _("male")},
    )


@rollups.route("/compare.xlsx", endpoint="export")
@figures_snapshot()
@login_required
def export_xlsx():
    unit, _choices, found = load()
    if found is None or asked_period() not in ("", found.period):
        abort(404)  # a workbook of another period than the one asked for would mislead
    content = export.workbook(found, sort_rows=comparison.sort_rows(found.rows, found.columns, "name", False))
    return send_file(content, as_attachment=True, download_name=export.file_name(found),
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
