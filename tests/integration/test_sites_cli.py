"""`gridmgmt sites …` end to end on the hand-measured township."""

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from tests.actors import ADMIN, add_actor
from tests.integration.sites_fixture import TOWN, add_township, add_user


@pytest.fixture
def cli(session, monkeypatch):
    """The CLI on the test database, with the township and a reviewer."""
    add_township(session)
    add_user(session, "judge", "reviewer")
    add_user(session, "boss", "planner")
    add_actor(session)
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    monkeypatch.setenv("GRIDMGMT_ACTOR", ADMIN)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def run(runner, *args, code=0):
    result = runner.invoke(main, ["sites", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_score_select_tour(cli):
    out = run(cli, "score", TOWN, "--catchment-m", "1000")
    assert "PB\tB党支部" in out and "活动场所面积100 m²，低于120 m²" in out
    out = run(cli, "select", TOWN, "-k", "2", "--spacing-m", "500", "--tour")
    assert "最优方案" in out and "PA\tA党支部" in out and "PC\tC党支部" in out
    assert "观摩路线（近似最短" in out and "1\tA党支部\t本段 0.6 公里" in out
    assert "返回\t乡镇驻地\t本段 1.9 公里" in out  # from C, the last site
    out = run(cli, "select", TOWN, "-k", "2", "--spacing-m", "5000", code=1)
    assert "选不出2个示范点" in out
    assert "0\t乡镇驻地" in run(cli, "tour", TOWN, "PC", "PA")
    assert "没有编码为 PX 的党组织" in run(cli, "tour", TOWN, "PX", code=1)
    assert "“beauty=3”" in run(cli, "score", TOWN, "--weight", "beauty=3", code=2)
    assert "评分权重不能为负数" in run(cli, "score", TOWN, "--weight", "党员人数=-1", code=2)


def test_weights_by_chinese_name_or_code(cli):
    """A weight names its criterion in Chinese or by code; both change the same score."""

    def members_column(*weight):
        header, *rows = run(cli, "score", TOWN, *weight).splitlines()
        column = header.split("\t").index("党员人数")
        return [row.split("\t")[column] for row in rows]

    by_name, by_code, plain = (
        members_column("--weight", "党员人数=0"),
        members_column("--weight", "members=0"),
        members_column(),
    )
    assert by_name == by_code != plain and set(by_name) == {"0"}


def test_review_history_reminders_sheet(cli, tmp_path):
    assert "A党支部（PA）：申报，现为“申报”" in run(
        cli,
        "review",
        "PA",
        "apply",
        "--user",
        "judge",
        "--year",
        "2026",
        "--theme",
        "industry",
        "--highlight",
        "党员带头种辣椒",
        "--comment",
        "申报",
        "--secretary-model",
    )
    assert "需先完成：实地验收" in run(cli, "review", "PA", "授牌", "--user", "judge", "--level", "县级", code=1)
    assert "需先完成：实地验收" in run(cli, "review", "PA", "award", "--user", "judge", "--level", "county", code=1)
    assert "可选：镇级、县级、市级" in run(cli, "review", "PA", "award", "--user", "judge", "--level", "省级", code=2)
    assert "只有示范点评审人员" in run(cli, "review", "PA", "preliminary", "--user", "boss", code=1)
    header, *rows = run(cli, "score", TOWN).splitlines()
    column = header.split("\t").index("联系点/书记示范点")  # the application's 书记示范点 scores
    assert {r.split("\t")[0]: r.split("\t")[column] for r in rows} == {"PA": "15", "PB": "0", "PC": "0"}
    out = run(cli, "history", "PA")
    assert "2026年\t申报" in out and "judge\t申报" in out
    assert "【已逾期】验收已于07月10日截止" in run(cli, "reminders", TOWN, "--date", "2026-08-01")
    run(cli, "sheet", TOWN, "-o", str(tmp_path / "s.xlsx"))
    assert load_workbook(tmp_path / "s.xlsx")["评审记录"]["C2"].value == "申报"
