"""The figures of a report sent upward (app/dispatches/figures.py): a district's communes, or a
province's, district by district."""
from datetime import date
from decimal import Decimal

from app.dispatches.figures import figures_for
from tenants import system_scope
from tests.rollups.engine_data import (
    FIGURES,
    make_nhu_thanh,
    make_nhu_xuan,
    refresh,
    report,
)

AFTER_THE_DEADLINE = date(2023, 11, 1)  # of 2023Q3: 10 October


def test_a_provinces_figures_are_each_districts_communes_by_name_with_the_missing_ones(tree, users, db):
    nhu_xuan, nhu_thanh = make_nhu_xuan(tree, users, db), make_nhu_thanh(tree, users, db)
    binh_luong, hai_long = nhu_xuan.communes[0], nhu_thanh.communes[0]
    made = report(nhu_xuan, binh_luong, "2023Q3", FIGURES[0])
    report(nhu_thanh, hai_long, "2023Q3", FIGURES[1])
    refresh(binh_luong.unit, "2023Q3")
    refresh(hai_long.unit, "2023Q3")

    with system_scope("a report to the province"):
        figures = figures_for(tree.province, "2023Q3", AFTER_THE_DEADLINE)

    assert [(line.district, line.row.name) for line in figures.communes] == [
        ("Huyện Như Thanh", "Hải Long"),
        ("Huyện Như Xuân", "Bình Lương"), ("Huyện Như Xuân", "Thanh Quân"), ("Huyện Như Xuân", "Yên Cát")]
    rows = {line.row.name: line.row for line in figures.communes}
    assert rows["Bình Lương"].cells["TR01.total"].value == Decimal(10)
    assert rows["Hải Long"].cells["TR01.total"].value == Decimal(20)
    assert "TR01.total" not in rows["Yên Cát"].cells
    assert (rows["Bình Lương"].plan_id, rows["Bình Lương"].report_id) == (binh_luong.plan.id, made.id)
    assert (rows["Bình Lương"].completeness.expected, rows["Bình Lương"].completeness.received) == (1, 1)
    assert figures.missing == ["Thanh Quân", "Yên Cát"]
    assert figures.total.cells["TR01.total"].value == Decimal(30)
