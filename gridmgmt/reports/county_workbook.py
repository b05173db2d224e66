"""The 县级总览 as an Excel workbook: one sheet, a row per township in the page's order."""

import io

from gridmgmt.domain.county import FIGURES
from gridmgmt.readmodels import CountyOverview
from gridmgmt.reports.sheets import add_sheet, new_book

HEADER = ["排名", "乡镇", "乡镇编码", "农户", "网格方案", *(f.label for f in FIGURES), "走访应完成", "走访已完成"]


def _row(rank: int, row: dict) -> list:
    """One township's cells: its rank, name, code, households, plan state and figures."""
    plan = "已发布" if row["plan_published"] else "未发布"
    figures = [row[f.key] for f in FIGURES]
    return [rank, row["name"], row["code"], row["households"], plan, *figures, row["visits_total"], row["visits_done"]]


def county_workbook(overview: CountyOverview, rows: list[dict], sort_label: str) -> bytes:
    """The .xlsx bytes of OVERVIEW's ROWS (already ranked by the figure SORT_LABEL, worst first)."""
    book = new_book()
    title = f"{overview.name}县级总览（{overview.day.isoformat()}，按{sort_label}排序）"
    add_sheet(book, title, HEADER, (_row(rank, row) for rank, row in enumerate(rows, start=1)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
