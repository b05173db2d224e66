"""The pure parts of a county run: how many workers, the progress line, the summary."""

from gridmgmt.services.county.runs import CountyRun, TownshipOutcome, worker_count


def test_worker_count_is_jobs_or_one_per_core_never_more_than_townships(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert worker_count(None, 20) == 2
    assert worker_count(8, 20) == 8
    assert worker_count(8, 3) == 3
    assert worker_count(None, 1) == 1
    monkeypatch.setattr("os.cpu_count", lambda: None)
    assert worker_count(None, 20) == 1


def test_progress_lines_say_done_or_failed_with_the_reason():
    done = TownshipOutcome("441624100000", "某某镇", 8.123, summary="76 个网格（方案 3）")
    assert done.ok and done.line(3, 20) == "[3/20] 某某镇 完成：76 个网格（方案 3），8.1 s"
    failed = TownshipOutcome("441624101000", "空镇", 0.2, error="乡镇 441624101000 没有农户，无法划分网格")
    assert not failed.ok and failed.line(4, 20) == "[4/20] 空镇 失败：乡镇 441624101000 没有农户，无法划分网格"


def test_summary_names_the_failed_townships():
    ok = TownshipOutcome("1", "甲镇", 1.0, summary="3 个网格")
    bad = TownshipOutcome("2", "乙镇", 1.0, error="原因")
    assert CountyRun("441624", [ok, ok], 12.34).summary() == "全县 2 个镇：2 个完成，0 个失败；用时 12.3 s"
    run = CountyRun("441624", [ok, bad], 5.0)
    assert run.failed == [bad] and run.summary() == "全县 2 个镇：1 个完成，1 个失败：乙镇；用时 5.0 s"
