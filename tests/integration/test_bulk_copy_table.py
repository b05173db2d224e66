"""copy_table: an Arrow table COPYed as CSV batches arrives value for value, NULL apart from the empty text."""

from datetime import date

import pyarrow as pa
from sqlalchemy import text

from gridmgmt.db import bulk

AWKWARD = ["", None, 'say "hi", then\nleave', "逗号，引号“”", "\\N", "a\rb", " padded "]


def test_every_value_survives_in_order_across_batches(session, monkeypatch):
    monkeypatch.setattr(bulk, "COPY_BATCH_ROWS", 3)
    n = len(AWKWARD)
    data = pa.table(
        {
            "t": pa.array(AWKWARD, pa.string()),
            "i": pa.array([None, *range(-3, n - 4)], pa.int64()),
            "f": pa.array([0.1, None, -0.0, 1e-300, 2.5, 1e300, 3.0]),
            "b": pa.array([True, False, None, True, False, True, None]),
            "d": pa.array([date(2026, 1, 31), None, *[date(2000, 2, 29)] * (n - 2)], pa.date32()),
            "n": pa.array(range(n), pa.int32()),
        }
    )
    seen = []

    def shown():
        for row in range(n):
            seen.append(row)
            yield row
        seen.append("end")

    session.execute(text("CREATE TEMP TABLE copied (n int, t text, i bigint, f float8, b boolean, d date)"))
    bulk.copy_table(session, "copied", data, shown())
    rows = session.execute(text("SELECT t, i, f, b, d FROM copied ORDER BY n")).all()
    assert [tuple(r) for r in rows] == list(zip(*(data[c].to_pylist() for c in ("t", "i", "f", "b", "d")), strict=True))
    # One item per row, and the display run to its end (where the web job reports "all sent").
    assert seen == [*range(n), "end"]
    session.rollback()
