"""The coverage report as an Excel workbook: a summary, the figures, one sheet per rule."""

from io import BytesIO

from gridmgmt.readmodels import CoverageReport
from gridmgmt.reports.coverage_tables import summary, tables
from gridmgmt.reports.sheets import add_sheet, new_book


def coverage_workbook(report: CoverageReport) -> bytes:
    """The .xlsx bytes: 概况, 行政村, 村民小组, one sheet per rule (empty when none), 党小组 proposals."""
    book = new_book()
    add_sheet(book, "概况", ["项目", "数值"], summary(report).items())
    for table in tables(report):
        frame = table.labelled()
        add_sheet(book, table.title, list(frame.columns), frame.itertuples(index=False))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
