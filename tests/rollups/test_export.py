"""The comparison table as XLSX: text never becomes a formula; the percentages achieved keep
the page's colours; a commune sees only itself."""
import io
import re
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter

from app.extensions import db
from tenants import system_scope
from tests.rollups import compare_data

figures = compare_data.figures  # the fixture: rollups of Như Xuân for 2023Q1
refresh_after_the_communes_are_read = compare_data.refresh_after_the_communes_are_read


def workbook_xml(response) -> tuple[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    return (archive.read("xl/sharedStrings.xml").decode(), archive.read("xl/worksheets/sheet1.xml").decode())


def test_the_files_name_is_in_the_readers_language(client, login_as, figures):
    login_as("officer")
    client.post("/language", data={"locale": "en", "next": "/"})
    response = client.get("/compare.xlsx?unit=402&period=2023Q1")
    assert 'filename=compare-nhu-xuan-2023Q1.xlsx' in response.headers["Content-Disposition"]


def test_the_district_exports_a_row_per_commune_and_the_total(client, login_as, figures):
    login_as("officer")
    response = client.get("/compare.xlsx?unit=402&period=2023Q1")
    assert response.status_code == 200
    assert 'filename=so-sanh-nhu-xuan-2023Q1.xlsx' in response.headers["Content-Disposition"]
    strings, sheet = workbook_xml(response)
    for name in ("Bình Lương", "Yên Cát", "Xuân Bình", "Huyện Như Xuân", "Số tờ rơi phát ra",
                 "So sánh số liệu: Huyện Như Xuân, kỳ báo cáo Quý 1/2023",
                 "Tính cả các báo cáo đã nộp, chưa được huyện duyệt."):
        assert name in strings
    assert "<v>90</v>" in sheet and "<v>105</v>" in sheet  # a value and the total's % achieved


def test_numbers_are_grouped_by_thousands_and_the_total_row_says_it_is_the_total(client, login_as, figures):
    login_as("officer")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/compare.xlsx?unit=402&period=2023Q1").get_data())).active
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=4)}
    total = rows["Tổng: Huyện Như Xuân"]
    assert total[1].font.b
    header = [cell.value for cell in sheet[3]]
    value, target, percent = (header.index(title) for title in (
        "TR01 Số tờ rơi phát ra", "TR01 Số tờ rơi phát ra: chỉ tiêu kế hoạch", "TR01 Số tờ rơi phát ra: % đạt"))
    assert (total[value].value, total[target].value, total[percent].value) == (210, 200, 105)
    assert (total[value].number_format, total[target].number_format, total[percent].number_format) == (
        "#,##0", "#,##0", "0.0")
    assert rows["Bình Lương"][value].number_format == "#,##0" and not rows["Bình Lương"][value].font.b


def test_the_communes_and_the_district_total_are_read_from_one_commit(client, login_as, figures,
                                                                     refresh_after_the_communes_are_read):
    login_as("officer")
    _strings, sheet = workbook_xml(client.get("/compare.xlsx?unit=402&period=2023Q1"))
    assert "<v>90</v>" in sheet and "<v>105</v>" in sheet  # 210 of 200, as Bình Lương's 90 adds up to
    assert "<v>180</v>" not in sheet and "<v>150</v>" not in sheet  # the refresh's figure, and 300 of 200

def test_each_percentage_achieved_column_has_the_pages_colour_bands(client, login_as, figures):
    login_as("officer")
    response = client.get("/compare.xlsx?unit=402&period=2023Q1")
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    titles = [cell.value or "" for cell in sheet[3]]
    percent_columns = [get_column_letter(index) for index, title in enumerate(titles, start=1) if title.endswith("% đạt")]
    assert len(percent_columns) == 4  # TT01 in total, female and male, then TR01, as the page shows them
    rules = {str(formatting.sqref): [(rule.operator, rule.formula[0] if rule.operator else None, rule.stopIfTrue,
                                      rule.dxf.fill.bgColor.rgb) for rule in formatting.rules]
             for formatting in sheet.conditional_formatting}
    # From the highest band down, the first that holds stops: ≥ 100, ≥ 80, ≥ 50 % of what is due by
    # the period's end, then any other figure. Each figure adds up over the year: a quarter owes 25 %.
    bands = [("greaterThanOrEqual", "25.0", True, "FFA3CFBB"), ("greaterThanOrEqual", "20.0", True, "FFE2F4E8"),
             ("greaterThanOrEqual", "12.5", True, "FFFFF3CD"), (None, None, True, "FFF8D7DA")]
    assert rules == {f"{letter}4:{letter}{sheet.max_row}": bands for letter in percent_columns}


def test_the_titles_and_the_units_stay_in_view_and_the_titles_wrap(client, login_as, figures):
    login_as("officer")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/compare.xlsx?unit=402&period=2023Q1").get_data())).active
    assert sheet.freeze_panes == "C4"  # below the titles' row, right of the code and the name
    assert all(cell.alignment.wrap_text for cell in sheet[3] if cell.value)
    assert sheet.column_dimensions["C"].width > 10


def test_text_that_looks_like_a_formula_stays_text(client, login_as, figures):
    with system_scope("test data"):
        figures.third_commune.name = "=1+1"
        db.session.commit()
    login_as("officer")
    strings, sheet = workbook_xml(client.get("/compare.xlsx?unit=402&period=2023Q1"))
    assert "<t>=1+1</t>" in strings
    assert "<f>" not in sheet


def test_a_commune_user_exports_only_its_own_row_and_the_district_total(client, login_as, figures):
    login_as("editor")
    response = client.get("/compare.xlsx?period=2023Q1")
    assert response.status_code == 200
    assert "so-sanh-binh-luong-2023Q1.xlsx" in response.headers["Content-Disposition"]
    strings, sheet = workbook_xml(response)
    assert "Bình Lương" in strings and "Huyện Như Xuân" in strings
    assert "Yên Cát" not in strings and "Xuân Bình" not in strings
    assert len(re.findall(r"<row ", sheet)) == 5  # title, which reports count, header, own row, total


def test_a_years_export_has_the_grid_of_the_communes_reports_on_a_sheet_of_its_own(client, login_as, figures):
    login_as("officer")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/compare.xlsx?unit=402&period=2023").get_data()))
    assert book.sheetnames == ["2023", "Báo cáo"]
    rows = [[cell.value for cell in row] for row in book["Báo cáo"].iter_rows()]
    assert rows[:2] == [["Báo cáo của các xã trong năm 2023", None, None, None, None],
                        ["Xã", "Quý 1/2023", "Quý 2/2023", "Quý 3/2023", "Quý 4/2023"]]
    assert rows[2:] == [["Bình Lương", "chờ huyện duyệt, nộp muộn", *["chưa nộp"] * 3],
                        ["Yên Cát", "đã tiếp nhận, nộp muộn", *["chưa nộp"] * 3]]
    assert book["Báo cáo"]["B3"].fill.fgColor.rgb.endswith("FFF3CD")  # the page's colour for waiting
    assert openpyxl.load_workbook(io.BytesIO(client.get(
        "/compare.xlsx?unit=402&period=2023Q1").get_data())).sheetnames == ["2023Q1"]  # a quarter: no grid


def test_a_commune_users_year_export_has_its_own_reports_only(client, login_as, figures):
    login_as("editor")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/compare.xlsx?period=2023").get_data()))
    assert [row[0] for row in book["Báo cáo"].iter_rows(values_only=True)] == [
        "Báo cáo của xã trong năm 2023", "Xã", "Bình Lương"]


def test_no_rollups_no_export(client, login_as, tree, users):
    login_as("officer")
    assert client.get("/compare.xlsx?unit=402").status_code == 404
