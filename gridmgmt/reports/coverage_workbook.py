"""The coverage report as an Excel workbook: a summary, the figures, one sheet per rule."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from gridmgmt.reports.coverage_tables import summary, tables
from gridmgmt.services.coverage import CoverageReport

HEADER_FILL = PatternFill("solid", fgColor="C00000")
HEADER_FONT = Font(bold=True, color="FFFFFF")
# Excel caps sheet names at 31 characters and forbids a few symbols.
SHEET_NAME_MAX = 31
MAX_WIDTH = 60


def _width(value) -> float:
    """Display width of VALUE: a CJK character takes two columns."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet(book: Workbook, title: str, header: list[str], rows) -> None:
    """A sheet with a bold frozen header row and columns as wide as their contents."""
    sheet = book.create_sheet(title[:SHEET_NAME_MAX].replace("/", "、"))
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, 2 + max(map(_width, column)))


def coverage_workbook(report: CoverageReport) -> bytes:
    """The .xlsx bytes: 概况, 行政村, 村民小组, one sheet per rule (empty when none), 党小组 proposals."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "概况", ["项目", "数值"], summary(report).items())
    for table in tables(report):
        frame = table.labelled()
        _sheet(book, table.title, list(frame.columns), frame.itertuples(index=False))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
