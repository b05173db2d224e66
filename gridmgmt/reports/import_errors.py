"""The errors of a refused import as an Excel workbook, for the clerk to correct the file by."""

from io import BytesIO

from geodata.errors import RowError
from gridmgmt.reports.sheets import add_sheet, new_book


def import_errors_workbook(file_name: str, layer_label: str, errors: list[RowError]) -> bytes:
    """The .xlsx bytes: 概况 (file, layer, count) and 错误 (record, column, problem), one row per error."""
    book = new_book()
    add_sheet(book, "概况", ["项目", "内容"], [("文件", file_name), ("图层", layer_label), ("错误数", len(errors))])
    rows = [("整个文件" if e.row is None else e.row, e.field or "", e.message) for e in errors]
    add_sheet(book, "错误", ["第几条记录", "列", "问题"], rows)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
