"""The desk-page bench's report row: a side that did not finish says so instead of a figure."""

from bench.deskpages import LOAD_TIMEOUT_S, PageRow, Weight


def test_a_row_compares_gzip_bytes_and_says_when_a_side_did_not_finish():
    ours, baseline = Weight("组织覆盖", "gridmgmt", 600_000, 140_000, 27), Weight("组织覆盖", "ce223c6", None, None)
    line = PageRow(ours, baseline).line()
    assert f"ce223c6: {LOAD_TIMEOUT_S} 秒内未完成" in line and "137 KB（27 个请求）" in line and "< 500 KB ✓" in line
    slow = PageRow(Weight("走访", "gridmgmt", None, None), Weight("走访", "ce223c6", 9, 9, 1)).line()
    assert f"| {LOAD_TIMEOUT_S} 秒内未完成 |" in slow and "✗" in slow
