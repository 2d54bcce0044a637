"""A report's way to the district's figures in a real browser: Bình Lương's editor writes its
2023Q3 report, the leader submits it, the officer accepts it, and the district's comparison
page shows Bình Lương's new figure and the new district total. The rollup task runs as it
would on a worker, here in the request that commits (Celery's eager mode)."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LEAFLETS = "4321"  # TR01, leaflets handed out: a figure no demo commune has
MET_COLOUR = "rgb(163, 207, 187)"  # app.css .achieved-met: a figure at or above its target


def test_an_accepted_report_shows_on_the_districts_comparison(person, tasks_run_at_once, shots_dir):
    officer = person("nhuxuan.officer")
    officer.goto("/compare?unit=402&period=2023Q3")
    total_before = officer.locator("[data-testid=totals]").inner_text()
    expect(officer.locator("tr[data-unit='16204']")).not_to_contain_text(LEAFLETS)

    editor = person("binhluong.editor")
    editor.goto("/plans")
    editor.locator("main table a[href*='/plans/']").first.click()
    editor.get_by_role("link", name=re.compile("Báo cáo|Reports")).first.click()
    editor.locator("[data-testid=create-2023Q3] button").click()
    editor.wait_for_url(re.compile(r"/reports/\d+/edit$"))  # straight to the figures
    report_url = editor.url.removesuffix("/edit")
    editor.fill("input[name='values.TR01.total']", LEAFLETS)
    editor.fill("#document_number", "58")
    editor.get_by_role("button", name=re.compile("Lưu|Save")).click()
    editor.wait_for_url(re.compile(r"/reports/\d+$"))
    expect(editor.locator("[data-testid=value-TR01]")).to_contain_text("4.321")
    # Its print view is headed by the number, and keeps the Word file's column widths: the
    # indicator's name takes far more room than its row number.
    editor.goto(f"{report_url}/print")
    expect(editor.locator(".doc-header .number")).to_have_text("Số: 58/BC-UBND")
    row_number, name = (editor.locator("table.grid").first.locator("th").nth(n).bounding_box()["width"] for n in (0, 1))
    assert name > 4 * row_number, (row_number, name)

    leader = person("binhluong.leader")
    leader.goto(report_url)
    leader.locator("[data-testid=action-submit] button").click()
    officer.goto(report_url)
    officer.locator("[data-testid=action-accept] button").click()
    officer.wait_for_url(re.compile(r"/reports/\d+"))

    officer.goto("/compare?unit=402&period=2023Q3")
    expect(officer.locator("tr[data-unit='16204']")).to_contain_text("4.321")
    assert officer.locator("[data-testid=totals]").inner_text() != total_before
    # The colour scale is painted, not only named: 4,321 leaflets of the 1,500 planned is met.
    expect(officer.locator("tr[data-unit='16204'] td.achieved-met").first).to_have_css("background-color", MET_COLOUR)
    officer.screenshot(path=str(shots_dir / "compare-2023Q3.png"), full_page=True)
    # Scrolled sideways through the indicators, the table still names each row's commune.
    name = officer.locator("tr[data-unit='16204'] th")
    left = name.bounding_box()["x"]
    officer.locator(".table-responsive").evaluate("table => table.scrollLeft = 600")
    assert officer.locator(".table-responsive").evaluate("table => table.scrollLeft") > 0
    assert abs(name.bounding_box()["x"] - left) < 1  # not 600 px to the left, out of view

    # The commune reads its figure beside the district's total, one indicator per row.
    editor.goto("/compare?period=2023Q3")
    leaflets = editor.locator("tr[data-indicator='TR01.total']")
    expect(leaflets).to_contain_text("4.321")
    expect(leaflets).to_contain_text("6.053")
    # Both on track: the commune's 288 % and the district's 74 % of the year's target, in a quarter.
    expect(leaflets.locator("td.achieved-met")).to_have_count(2)
    expect(leaflets.locator("td.achieved-met").first).to_have_css("background-color", MET_COLOUR)
    expect(editor.locator("[data-unit='16174']")).to_have_count(0)  # Yên Cát, a sibling
    editor.screenshot(path=str(shots_dir / "compare-2023Q3-commune.png"), full_page=True)
