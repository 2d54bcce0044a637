"""The compare page of a district: its communes against the indicators, with their targets,
achievement and colours, sorting, periods, charts, the reports needing attention, the year's
grid of reports and which reports count (who sees which comparison: test_who_compares.py)."""
import re
from datetime import date
from decimal import Decimal
from html import unescape

import lxml.html
import pytest
from babel import Locale

from app.i18n import decimal_formatter
from app.plan_templates.models import PlanTemplate
from app.rollups import charts
from app.rollups.comparison import (
    Cell,
    Column,
    Comparison,
    Completeness,
    Row,
    due_share,
)
from app.rollups.models import TOTAL
from app.rollups.views import figure_cells, ranking
from tenants import system_scope
from tests.factories import (
    make_plan,
    make_template,
    stored_rollup,
)
from tests.rollups import compare_data
from tests.rollups.compare_data import table_units

figures = compare_data.figures  # the fixture: rollups of Như Xuân for 2023Q1
refresh_after_the_communes_are_read = compare_data.refresh_after_the_communes_are_read


def test_the_district_sees_its_communes_values_targets_and_achievement(client, login_as, figures):
    login_as("officer")
    response = client.get("/compare?period=2023Q1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert table_units(html) == ["16204", "16180", "16174"]  # Bình, Xuân, Yên in Vietnamese order
    assert "Số tờ rơi phát ra" in html  # the indicator's name from the district's template
    # Bình Lương's TR01: 90 of 100 → 90 % of the year's target; Yên Cát's 120 %; their TT01 40
    # and 60 %. Each adds up over the year, so a quarter owes a quarter of it: each is met.
    for percent in (90, 120, 40, 60):
        assert re.search(rf'class="numeric achieved-met">\s*{percent}\b', html), percent
    assert "Tỷ lệ đạt so với chỉ tiêu kế hoạch năm." in html  # a quarter is set against the year's target
    assert "một quý: 25 % chỉ tiêu" in html
    assert "<script" not in html and 'style="' not in html


def test_the_header_has_the_district_total_completeness_and_the_stale_note(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?unit=402&period=2023Q1").get_data(as_text=True)
    header = html[html.index('data-testid="compare-header"'):html.index('data-testid="compare-table"')]
    assert "Huyện Như Xuân" in header
    assert re.search(r"1\D+3\D+0", header)  # received 1 of 3, 0 on time
    assert "newer data is waiting" in header or "số liệu mới" in header.lower()
    totals = html[html.index('data-testid="totals"'):]
    assert re.search(r'achieved-met">\s*105\b', totals)  # 210 of 200


def test_the_communes_and_the_district_total_are_read_from_one_commit(client, login_as, figures,
                                                                     refresh_after_the_communes_are_read):
    """The refresh shows in neither: the total (210 of 200) still adds up the communes shown."""
    login_as("officer")
    html = client.get("/compare?unit=402&period=2023Q1").get_data(as_text=True)
    assert re.search(r'data-unit="16204">.*?class="numeric achieved-met">\s*90\b', html, re.S)  # 90 of 100
    assert re.search(r'achieved-met">\s*105\b', html[html.index('data-testid="totals"'):])  # 210 of 200


def test_the_district_total_of_an_average_is_set_against_its_communes_mean_target(client, login_as, figures, tree,
                                                                                  db):
    """CB01 averages its communes: a district at 27 where two communes each aim at 30 has
    reached 90 %, not 45 % of 30 + 30."""
    with system_scope("test data"):
        db.session.add(stored_rollup(tree.district, "2023Q1", "CB01", 27, compare_data.COMPUTED_AT, target=60,
                                     reporting=2, aggregation="average"))
        db.session.commit()
    login_as("officer")
    html = client.get("/compare?unit=402&period=2023Q1").get_data(as_text=True)
    totals = html[html.index('data-testid="totals"'):]
    assert re.search(r"27\s*<div[^>]*>/ 30</div>", totals)
    assert re.search(r'achieved-near">\s*90\b', totals)


@pytest.mark.parametrize("order, expected", [("desc", ["16174", "16204", "16180"]),
                                             ("asc", ["16204", "16174", "16180"])])
def test_sorting_by_a_column_keeps_units_without_a_value_last(client, login_as, figures, order, expected):
    login_as("officer")
    html = client.get(f"/compare?period=2023Q1&sort=TR01.total&order={order}").get_data(as_text=True)
    assert table_units(html) == expected


def test_sorting_by_name_descending(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?period=2023Q1&sort=name&order=desc").get_data(as_text=True)
    assert table_units(html) == ["16174", "16180", "16204"]


def test_periods_offered_are_those_rolled_up_or_expected_and_the_year(client, login_as, figures):
    """Approving the plans made their four quarters expected, so they are offered too."""
    login_as("officer")
    html = client.get("/compare").get_data(as_text=True)
    assert re.findall(r'<option value="(\w+)"', html) == ["2023", "2023Q4", "2023Q3", "2023Q2", "2023Q1"]
    assert re.findall(r'<option value="\w+"[^>]*>([^<]+)<', html) == [
        "Năm 2023 (lũy kế đến nay)", "Quý 4/2023", "Quý 3/2023", "Quý 2/2023", "Quý 1/2023"]


def test_a_period_typed_wrong_is_named_and_the_latest_shown_instead(client, login_as, figures):
    login_as("officer")
    page = client.get("/compare?unit=402&period=2023Q9").get_data(as_text=True)
    assert "“2023Q9” không phải là kỳ báo cáo; trang đang hiển thị Năm 2023." in page
    assert 'data-unit="16204"' in page


@pytest.mark.parametrize("period", ["2099", "2023S1"])
def test_a_period_with_nothing_here_is_named_and_the_latest_shown_instead(client, login_as, figures, period):
    """A year no plan covers, or half-years where the template asks for quarters, would show
    a table of zeros; the page says so and shows the latest period instead."""
    login_as("officer")
    page = client.get(f"/compare?unit=402&period={period}").get_data(as_text=True)
    label = {"2099": "Năm 2099", "2023S1": "6 tháng đầu năm 2023"}[period]
    assert (f"Ở đây chưa có số liệu hay báo cáo nào phải nộp cho {label}; trang đang hiển thị Năm 2023."
            in unescape(page))
    assert re.findall(r'<option value="(\w+)" selected', page) == ["2023"]
    assert 'data-unit="16204"' in page


def test_a_period_with_nothing_here_is_named_in_english(client, login_as, figures):
    login_as("officer")
    client.post("/language", data={"locale": "en", "next": "/"})
    page = client.get("/compare?unit=402&period=2099").get_data(as_text=True)
    assert ("There are no figures or expected reports for Year 2099 here; the page shows Year 2023."
            in unescape(page))


@pytest.mark.parametrize("period", ["2099", "2023Q9"])
def test_no_workbook_of_another_period_than_the_one_asked(client, login_as, figures, period):
    login_as("officer")
    assert client.get(f"/compare.xlsx?unit=402&period={period}").status_code == 404


def test_a_chart_ranks_the_communes_per_indicator(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    figure = html[html.index('data-testid="chart-TR01"'):]
    figure = figure[:figure.index("</figure>")]
    svg = figure[:figure.index("</svg>")]
    assert svg.count('<rect class="bar"') == 2
    assert svg.index("Yên Cát") < svg.index("Bình Lương") and "Xuân Bình" not in svg
    # Xuân Bình reported nothing: named once above the charts, not drawn nor named under each.
    assert 'data-testid="without-value"' not in figure
    assert re.search(r'data-testid="without-figures">([^<]*)<', html).group(1) == "Chưa có số liệu kỳ này: Xuân Bình"
    # Each commune's tick at what a quarter owes of its target of 100: both are on track.
    assert svg.count(f'fill="{charts.MET_COLOUR}"') == 2
    ticks = [float(x) for x in re.findall(r'<line class="target" x1="([\d.]+)"', svg)]
    bar_start = float(re.search(r'<rect class="bar" x="([\d.]+)"', svg).group(1))
    widest = float(re.search(r'<rect class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg).group(1))  # 120
    assert ticks == [pytest.approx(bar_start + widest * 25 / 120, abs=0.1)] * 2
    assert ("Vạch đỏ là mức cần đạt đến hết kỳ; thanh màu xanh lá là đã đạt mức đó, màu xanh dương là chưa đạt."
            in html[html.index('data-testid="chart-legend"'):])


def test_a_unit_without_any_figure_is_named_once_and_one_without_an_indicator_under_its_chart(app):
    leaflets, women = Column("TR01", TOTAL, "Tờ rơi"), Column("CB01", TOTAL, "Tỷ lệ nữ")

    def row(name: str, **values) -> Row:
        cells = {f"{code}.{TOTAL}": Cell(Decimal(value)) for code, value in values.items()}
        return Row(code=name, name=name, cells=cells, completeness=Completeness())

    found = Comparison(unit=None, period="2023Q1", columns=[leaflets, women], totals=row("Như Xuân"),
                       rows=[row("Yên Cát", TR01=120), row("Xuân Bình"), row("Bình Lương", TR01=90, CB01=30),
                             row("Cát Tân")],
                       computed_at=None, stale=False)
    with app.test_request_context():
        shown = ranking(found)
    assert shown.without_figures == ["Cát Tân", "Xuân Bình"]  # by name
    assert [(chart.column.code, chart.without_value) for chart in shown.charts] == [("TR01", []), ("CB01", ["Yên Cát"])]
    assert "Xuân Bình" not in "".join(chart.svg for chart in shown.charts)


WHOLE_TARGET_DUE = Column(code="CB01", sex="total", name="Tỷ lệ nữ cán bộ xã")  # a latest value, or a year over
QUARTER_DUE = Column(code="TR01", sex="total", name="Số tờ rơi phát ra", due=Decimal("0.25"))


@pytest.mark.parametrize("language, value, target, percent", [("vi", "4.321,5", "5.000", "86,4"),
                                                             ("en", "4,321.5", "5,000", "86.4")])
def test_a_figures_cells_show_its_value_linked_to_its_report_its_target_and_its_coloured_percentage(
        language, value, target, percent):
    number = decimal_formatter(Locale.parse(language))
    cell = Cell(Decimal("4321.5"), Decimal("5000"))
    html = str(figure_cells(number, cell, WHOLE_TARGET_DUE, "/reports/8?from=compare&a=<b>"))
    assert 'href="/reports/8?from=compare&amp;a=&lt;b&gt;"' in html  # the link is escaped
    figure, achieved = lxml.html.fragments_fromstring(html)
    assert figure.xpath("string(a)") == value and figure.xpath("string(a/@href)") == "/reports/8?from=compare&a=<b>"
    assert figure.xpath("string(div)") == f"/ {target}"
    assert achieved.get("class") == "numeric achieved-near" and achieved.text == percent
    # The same 86.4 % of the year's target, in a quarter of a figure added up over the year: on track.
    quarter = lxml.html.fragments_fromstring(str(figure_cells(number, cell, QUARTER_DUE)))[1]
    assert quarter.get("class") == "numeric achieved-met" and quarter.text == percent


@pytest.mark.parametrize("value, target, percent, band", [
    ("31.8182", "31.82", "99.9", "achieved-near"),  # a share just short of its target: not 100, not met
    ("31.82", "31.82", "100.0", "achieved-met"),
    ("2", "3", "66.7", "achieved-mid"),  # rounded as usual otherwise
])
def test_a_cell_shows_100_only_when_its_target_is_met_as_the_chart_colours_it(value, target, percent, band):
    cell = Cell(Decimal(value), Decimal(target))
    assert (str(cell.percent), WHOLE_TARGET_DUE.band(cell)) == (percent, band)
    bar = charts.bar_chart("CB01", [charts.Bar("Bãi Trành", Decimal(value), Decimal(target))], str)
    assert (charts.MET_COLOUR in bar) == (band == "achieved-met")


@pytest.mark.parametrize("value, band", [("24.9", "achieved-near"), ("25", "achieved-met"), ("19.9", "achieved-mid"),
                                         ("12.4", "achieved-low")])
def test_a_quarter_of_a_figure_added_up_over_the_year_is_coloured_against_a_quarter_of_its_target(value, band):
    assert QUARTER_DUE.band(Cell(Decimal(value), Decimal(100))) == band


def test_a_colour_is_read_from_the_figures_not_from_the_rounded_percentage():
    month = Column(code="TR01", sex="total", name="Số tờ rơi", due=due_share("202307", "month", date(2024, 1, 1)))
    on_track = Cell(Decimal(1), Decimal(12))  # 8.3 % of the year, as due in a month
    assert (str(on_track.percent), month.band(on_track)) == ("8.3", "achieved-met")
    short = Cell(Decimal(500), Decimal(2001))  # 25.0 % once rounded, short of the 500.25 due
    assert (str(short.percent), QUARTER_DUE.band(short)) == ("25.0", "achieved-near")


@pytest.mark.parametrize("period, report_type, today, due", [
    ("2023Q3", "quarter", date(2023, 8, 1), "0.25"),
    ("2023S1", "six_months", date(2024, 1, 1), "0.5"),
    ("202305", "month", date(2024, 1, 1), str(Decimal(1) / 12)),
    ("2023", "quarter", date(2023, 8, 1), "0.5"),  # the year to date: Q1 and Q2 have ended
    ("2023", "quarter", date(2023, 2, 1), "0.25"),  # none yet: the first quarter's part
    ("2023", "six_months", date(2023, 8, 1), "0.5"),
    ("2023", "quarter", date(2024, 1, 1), "1"),  # the year is over
])
def test_the_part_of_the_years_target_due_by_the_periods_end(period, report_type, today, due):
    assert due_share(period, report_type, today) == Decimal(due)


def test_a_cell_without_a_value_shows_a_dash_not_linked_and_no_percentage():
    number = decimal_formatter(Locale.parse("vi"))
    figure, achieved = lxml.html.fragments_fromstring(
        str(figure_cells(number, Cell(None, Decimal("30")), WHOLE_TARGET_DUE, "/reports/8")))
    assert figure.text == "—" and not figure.xpath("a") and figure.xpath("string(div)") == "/ 30"
    assert achieved.get("class").strip() == "numeric" and achieved.text is None
    assert figure_cells(number, Cell(), WHOLE_TARGET_DUE).count("<div") == 0  # no target, no line for it


def test_reports_waiting_for_acceptance_and_late_are_listed_with_links(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    issues = html[html.index('data-testid="issues"'):]
    issues = issues[:issues.index("</ul>")]
    items = re.findall(r'<li data-kind="(\w+)">([^·]+)·[^·]+· <a href="([^"]+)">([^<]+)</a>', issues)
    # Bình Lương's report waits for the district, and came late; Yên Cát's was accepted late.
    assert [(kind, name.strip(), link, label) for kind, name, link, label in items] == [
        ("waiting", "Bình Lương", f"/reports/{figures.report.id}", "chờ huyện duyệt, nộp muộn"),
        ("late", "Yên Cát", items[1][2], "nộp muộn")]
    assert "Xuân Bình" not in issues  # no approved plan: nothing is expected of it
    # Drill-down: Bình Lương's cells link to its report.
    assert f'<a href="/reports/{figures.report.id}">90' in html


def without_plan(html: str) -> list[tuple[str, str | None]]:
    """The communes named as having no approved plan, each with its plan's link if any."""
    page = lxml.html.fromstring(html)
    return [(" ".join(unit.text_content().split()), (unit.xpath("a/@href") or [None])[0])
            for unit in page.xpath("//*[@data-testid='without-plan-unit']")]


def test_communes_without_an_approved_plan_are_named_with_their_plans_status(client, login_as, figures, db):
    """Their rows have no figures because nothing is expected of them: the page says so."""
    login_as("editor")  # Bình Lương's own figures: its plan is approved
    assert 'data-testid="without-plan"' not in client.get("/compare?period=2023Q1").get_data(as_text=True)

    client.post("/logout")
    login_as("officer")
    assert without_plan(client.get("/compare?period=2023Q1").get_data(as_text=True)) == [
        ("Xuân Bình (chưa có kế hoạch)", None)]
    with system_scope("test data"):
        template = db.session.execute(db.select(PlanTemplate)).scalar_one()
        draft_id = make_plan(template, figures.third_commune).id
        db.session.commit()
    for period in ("2023Q1", "2023"):
        assert without_plan(client.get(f"/compare?period={period}").get_data(as_text=True)) == [
            ("Xuân Bình (dự thảo)", f"/plans/{draft_id}")]



def report_grid(html: str) -> list[list[str]]:
    """The year's grid of reports, row by row: the commune, then each period's state and link."""
    grid = lxml.html.fromstring(html).xpath("//table[@data-testid='report-grid']")[0]
    return [[" ".join(cell.text_content().split()) + "".join(f" → {href}" for href in cell.xpath("a/@href"))
             for cell in row.xpath("th|td")] for row in grid.xpath(".//tr")]


def test_the_year_shows_each_communes_report_for_every_quarter_with_links(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?unit=402&period=2023").get_data(as_text=True)
    rows = report_grid(html)
    assert rows[0] == ["Xã", "Quý 1/2023", "Quý 2/2023", "Quý 3/2023", "Quý 4/2023"]
    # Xuân Bình has no approved plan: nothing is expected of it (the page names it apart).
    assert [row[0] for row in rows[1:]] == ["Bình Lương", "Yên Cát"]
    assert rows[1][1] == f"chờ huyện duyệt, nộp muộn → /reports/{figures.report.id}"
    assert re.fullmatch(r"đã tiếp nhận, nộp muộn → /reports/\d+", rows[2][1])
    # The later quarters are past their deadlines with no report: missing, linked to the plan's reports.
    assert rows[1][2:] == [f"chưa nộp → /plans/{figures.report.plan_id}/reports"] * 3
    assert all(re.fullmatch(r"chưa nộp → /plans/\d+/reports", cell) for cell in rows[2][2:])
    assert 'data-testid="issues"' not in html  # the grid says it all


def test_a_commune_user_sees_a_grid_of_its_own_reports_only(client, login_as, figures):
    login_as("editor")
    html = client.get("/compare?period=2023").get_data(as_text=True)
    assert [row[0] for row in report_grid(html)] == ["Xã", "Bình Lương"]
    assert "Báo cáo của xã trong năm 2023" in html


def test_a_quarter_lists_only_the_reports_needing_attention(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?unit=402&period=2023Q1").get_data(as_text=True)
    assert 'data-testid="issues"' in html and 'data-testid="report-grid"' not in html


def test_the_years_grid_reads_in_english(client, login_as, figures):
    login_as("officer")
    client.post("/language", data={"locale": "en", "next": "/"})
    rows = report_grid(client.get("/compare?unit=402&period=2023").get_data(as_text=True))
    assert rows[0] == ["Commune", "Quarter 1/2023", "Quarter 2/2023", "Quarter 3/2023", "Quarter 4/2023"]
    assert rows[1][1].startswith("waiting for acceptance, late → ") and rows[1][2].startswith("missing → ")


def counted_note(html: str) -> str:
    return re.search(r'data-testid="counted">([^<]*)<', html).group(1).strip()


@pytest.mark.parametrize("user", ["officer", "editor"])  # a commune reads its district total's rule
def test_the_header_says_which_reports_count_as_the_districts_template_sets_it(client, login_as, figures, user):
    login_as(user)
    assert counted_note(client.get("/compare?period=2023Q1").get_data(as_text=True)) == (
        "Tính cả các báo cáo đã nộp, chưa được huyện duyệt.")


def test_the_districts_officer_is_shown_where_to_change_which_reports_count(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    link = re.search(r'<a href="(/templates/\d+)#counted-reports" data-testid="counting-setting">', html)
    template_page = client.get(link.group(1)).get_data(as_text=True)
    assert 'id="counted-reports"' in template_page and 'data-testid="counting-form"' in template_page


@pytest.mark.parametrize("user", ["editor", "province_viewer"])
def test_who_may_not_change_which_reports_count_is_not_shown_the_way(client, login_as, figures, user):
    login_as(user)
    assert 'data-testid="counting-setting"' not in client.get("/compare?period=2023Q1").get_data(as_text=True)


@pytest.fixture
def other_district_counts_accepted_only(figures, tree, db):
    with system_scope("test data"):
        make_plan(make_template(tree.other_district), tree.other_commune)
        db.session.commit()


def test_a_district_with_the_default_counts_accepted_reports_only(client, login_as,
                                                                  other_district_counts_accepted_only):
    login_as("other_district_officer")
    client.post("/language", data={"locale": "en", "next": "/"})
    assert counted_note(client.get("/compare?period=2023Q1").get_data(as_text=True)) == (
        "Only the reports the district has accepted count.")


def test_a_province_whose_districts_differ_says_it_depends_on_each_template(client, login_as,
                                                                            other_district_counts_accepted_only):
    login_as("province_viewer")
    assert counted_note(client.get("/compare?period=2023Q1").get_data(as_text=True)) == (
        "Việc tính báo cáo đã nộp nhưng chưa được duyệt tùy theo kế hoạch mẫu mà từng kế hoạch áp dụng.")
