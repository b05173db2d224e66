"""Every workbook users download shows shares as percentages and counts with thousands separators
(issue 18: 完成率 read 0.0985). The workbooks are the .xlsx rows of docs/permissions.md, fetched by
the admin, who may download them all."""

from io import BytesIO

import openpyxl

from gridmgmt.reports.sheets import PERCENT, column_format
from tests.web.test_permissions_matrix import matrix_rows


def _workbooks(client) -> dict[str, openpyxl.Workbook]:
    books = {}
    for method, url, _endpoint, statuses in matrix_rows():
        # Import templates are forms to fill in: their example row stays as typed (geodata/templates.py).
        if method == "GET" and url.endswith(".xlsx") and statuses["admin"] == 200 and "/templates/" not in url:
            answer = client.get(url)
            assert answer.status_code == 200, url
            books[url] = openpyxl.load_workbook(BytesIO(answer.data))
    return books


def _numbers(book: openpyxl.Workbook):
    """(sheet, label, cell) of every number in BOOK, LABEL being its column's header (or its row's item)."""
    for sheet in book:
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    label = row[0].value if header[0] == "项目" else header[cell.column - 1]
                    yield sheet.title, str(label), cell


def test_every_workbook_formats_its_numbers(admin_client, people):
    books = _workbooks(admin_client)
    assert {"coverage.xlsx", "sites.xlsx", "visits.xlsx", "grid-roster.xlsx", "org-life.xlsx", "export.xlsx"} <= {
        url.rsplit("/", 1)[1] for url in books
    }
    wrong, shares = [], 0
    for url, book in books.items():
        for sheet, label, cell in _numbers(book):
            expected = column_format(label)
            shares += expected == PERCENT
            if expected == PERCENT and "%" not in cell.number_format:
                wrong.append(f"{url} {sheet} {label}: {cell.value} as {cell.number_format}")
            if expected is None and cell.number_format == "General":
                wrong.append(f"{url} {sheet} {label}: {cell.value} without thousands separators")
    assert shares > 0 and wrong == []
