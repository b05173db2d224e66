"""Excel sheets as a briefing wants them: a coloured, frozen header row and columns as wide as their contents."""

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

HEADER_FILL = PatternFill("solid", fgColor="C00000")
HEADER_FONT = Font(bold=True, color="FFFFFF")
# Excel caps sheet names at 31 characters and forbids a few symbols.
SHEET_NAME_MAX = 31
MAX_WIDTH = 60
# The audit action of every workbook export (coverage, demo-site review sheet).
EXPORT_WORKBOOK = "export_workbook"
# Shares are stored as fractions (0.0985) and shown as percentages (9.9%); other numbers get thousands
# separators, except years, codes and ordinal numbers, which are read as they are.
PERCENT = "0.0%"
WHOLE = "#,##0"
DECIMAL = "#,##0.0#"
PERCENT_HEADERS = ("率", "占比", "比例")
PLAIN_HEADERS = ("年度", "年份", "编码", "序号", "第几")


def display_width(value) -> int:
    """Display width of VALUE in Excel columns: a CJK character takes two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def cell_value(value):
    """VALUE as a cell may hold it: text loses the control characters Excel refuses."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def add_sheet(book: Workbook, title: str, header: list[str], rows) -> None:
    """A sheet TITLE with HEADER (bold, frozen) over ROWS and columns sized to their contents."""
    sheet = book.create_sheet(title[:SHEET_NAME_MAX].replace("/", "、"))
    sheet.append(header)
    for row in rows:
        sheet.append([cell_value(value) for value in row])
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"
    _format_numbers(sheet, header)
    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, 2 + max(map(display_width, column)))


def _format_numbers(sheet, header: list[str]) -> None:
    """Give every number of SHEET its format: by its column's header, or in an item/value sheet
    (header 项目, …) by the item in its row."""
    by_row = header[0] == "项目"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                label = str(row[0].value) if by_row else header[cell.column - 1]
                cell.number_format = column_format(label) or (WHOLE if float(cell.value).is_integer() else DECIMAL)


def column_format(header: str) -> str | None:
    """The number format of every number under HEADER: PERCENT for shares, "General" for years and codes,
    None when the value decides (whole numbers or decimals, with thousands separators)."""
    if any(word in header for word in PERCENT_HEADERS):
        return PERCENT
    if any(word in header for word in PLAIN_HEADERS):
        return "General"
    return None


def new_book() -> Workbook:
    """An empty workbook (openpyxl's default sheet removed)."""
    book = Workbook()
    book.remove(book.active)
    return book
