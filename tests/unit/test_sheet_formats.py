"""Numbers in workbooks read as a township reads them: 9.9% not 0.0985, 1,234 not 1234, 2026 not 2,026."""

from openpyxl import Workbook

from gridmgmt.reports.sheets import PERCENT, WHOLE, add_sheet, column_format


def test_shares_are_percentages_and_counts_have_thousands_separators():
    book = Workbook()
    add_sheet(book, "完成情况", ["行政村", "应走访", "完成率", "年度", "党组织编码", "平均路程（米）"], [
        ["西村", 1234, 0.0985, 2026, 4415001, 812.5],
    ])  # fmt: skip
    row = book["完成情况"][2]
    assert [cell.number_format for cell in row] == ["General", WHOLE, PERCENT, "General", "General", "#,##0.0#"]


def test_an_item_value_sheet_formats_each_row_by_its_item():
    book = Workbook()
    add_sheet(book, "概况", ["项目", "数值"], [["户数", 3314], ["完成率", 0.5], ["本年度", 2026]])
    assert [row[1].number_format for row in book["概况"].iter_rows(min_row=2)] == [WHOLE, PERCENT, "General"]


def test_the_header_words_decide():
    assert column_format("走访完成率") == column_format("党员占比") == PERCENT
    assert column_format("距国道(m)") is None
