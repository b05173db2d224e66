"""`gridmgmt user …` on the test database."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.models import ApiToken, AppUser, AuditLog
from gridmgmt.services.accounts.actors import ActorRefused, named_actor
from gridmgmt.services.accounts.demo_users import DEMO_PASSWORD
from gridmgmt.services.accounts.logins import LoginFailed, authenticate
from gridmgmt.services.accounts.users import user_for_token
from tests.web.people import add_people
from tests.web.sample import TOWNSHIP_CODE, add_small_township


@pytest.fixture
def cli(db_url, session, monkeypatch):
    """Run `gridmgmt ARGS` against the test database; returns the click result."""
    monkeypatch.setenv("GRIDMGMT_DB_NAME", get_settings().test_db_name)
    get_settings.cache_clear()
    add_small_township(session)
    yield lambda *args, stdin=None: CliRunner().invoke(main, list(args), input=stdin)
    monkeypatch.undo()
    get_settings.cache_clear()


def test_add_with_password_from_stdin(cli, session):
    result = cli(
        "user",
        "add",
        "wang",
        "--role",
        "planner",
        "--township",
        TOWNSHIP_CODE,
        "--password-stdin",
        stdin="s3cret-pass\n",
    )
    assert result.exit_code == 0, result.output
    assert "已添加用户 wang（镇党委/组织委员）" in result.output
    assert authenticate(session, "wang", "s3cret-pass", None).role == "planner"


def test_add_prompts_twice_without_echo(cli, session):
    result = cli("user", "add", "root", "--role", "admin", stdin="pass-word-1\npass-word-1\n")
    assert result.exit_code == 0, result.output
    assert "pass-word-1" not in result.output
    assert "密码" in result.output and "再次输入密码" in result.output


def test_bad_requests_exit_non_zero_in_chinese(cli, session):
    result = cli("user", "add", "wang", "--role", "planner", "--password-stdin", stdin="s3cret-pass\n")
    assert result.exit_code == 1 and "必须属于一个乡镇" in result.output
    assert cli("user", "role", "nobody", "leader").exit_code == 1
    assert cli("user", "add", "x", "--role", "boss", "--password-stdin").exit_code == 2
    assert session.scalars(select(AppUser)).all() == []


def test_passwd_role_list_and_token(cli, session):
    cli(
        "user",
        "add",
        "wang",
        "--role",
        "planner",
        "--township",
        TOWNSHIP_CODE,
        "--password-stdin",
        stdin="s3cret-pass\n",
    )
    assert cli("user", "passwd", "wang", "--password-stdin", stdin="new-pass-22\n").exit_code == 0
    assert cli("user", "role", "wang", "leader").output.strip() == "wang 的角色已改为 领导（只读）"
    assert "wang\t领导（只读）\t示范镇" in cli("user", "list").output
    result = cli("user", "token", "wang", "--name", "qgis", "--expires-days", "30")
    secret = result.stdout.strip()
    assert result.exit_code == 0 and secret.startswith("gm_")
    assert user_for_token(session, secret).username == "wang"
    assert session.scalars(select(ApiToken.name)).all() == ["qgis"]
    assert cli("user", "revoke", "wang", "--name", "other").output.strip() == "已吊销 wang 的 0 个访问令牌"
    assert cli("user", "revoke", "wang").output.strip() == "已吊销 wang 的 1 个访问令牌"
    assert user_for_token(session, secret) is None


def test_demo_users_twice(cli, session):
    add_people(session)
    first = cli("user", "demo", "--township", TOWNSHIP_CODE)
    assert first.exit_code == 0, first.output
    assert "演示账号" in first.output and "demo_grid" in first.output and f"密码 {DEMO_PASSWORD}" in first.output
    second = cli("user", "demo", "--township", TOWNSHIP_CODE)
    assert "账号已存在" in second.output
    # One per role and demo_county: the sample county 441500 has two townships.
    assert len(session.scalars(select(AppUser).where(AppUser.username.like("demo_%"))).all()) == 6
    assert "demo_county" in first.output and "县级总览：县 441500 的 2 个乡镇" in first.output


def test_weak_passwords_are_refused_in_chinese(cli, session):
    for weak, message in (
        ("12345678", "至少需要 10 个字符"),
        ("qwertyuiop", "太常见"),
        ("wang-2026-pass", "不能包含用户名"),
    ):
        result = cli("user", "add", "wang", "--role", "admin", "--password-stdin", stdin=weak + "\n")
        assert result.exit_code == 1 and message in result.output
    assert session.scalars(select(AppUser)).all() == []


def test_disable_and_enable(cli, session):
    for name in ("root", "wang"):
        cli("user", "add", name, "--role", "admin", "--password-stdin", stdin="s3cret-pass\n")
    assert "停用" in cli("user", "disable", "--help").output
    assert cli("user", "disable", "wang").output.strip() == "已停用用户 wang"
    assert "wang\t系统管理员\t全部乡镇（已停用）" in cli("user", "list").output
    with pytest.raises(LoginFailed):
        authenticate(session, "wang", "s3cret-pass", None)
    refused = cli("user", "disable", "root")
    assert refused.exit_code == 1 and "最后一个在用的系统管理员" in refused.output
    assert cli("user", "enable", "wang").output.strip() == "已启用用户 wang"
    assert authenticate(session, "wang", "s3cret-pass", None).username == "wang"
    actions = session.scalars(select(AuditLog.action).where(AuditLog.target == "wang").order_by(AuditLog.id)).all()
    assert actions == ["add_user", "disable_user", "enable_user"]


def test_add_a_county_leader(cli, session):
    """Issue 17: `--county` ties a leader to every township of the county; `user list` says so."""
    result = cli(
        "user", "add", "county", "--role", "leader", "--county", "441500", "--password-stdin", stdin="s3cret-pass\n"
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(AppUser).where(AppUser.username == "county")).one()
    assert (user.county_code, user.township_id) == ("441500", None)
    assert "county\t领导（只读）\t县 441500" in cli("user", "list").output
    refused = cli(
        "user", "add", "x", "--role", "reviewer", "--county", "441500", "--password-stdin", stdin="s3cret-pass\n"
    )
    assert refused.exit_code == 1 and "只有" in refused.output


def test_a_county_planner_acts_for_the_townships_of_their_county_only(cli, session):
    """`--as` a county planner: any township of their county, no other, and never every township."""
    assert (
        cli(
            "user", "add", "cp", "--role", "planner", "--county", "441500", "--password-stdin", stdin="s3cret-pass\n"
        ).exit_code
        == 0
    )
    assert named_actor(session, "cp", ("export_data",), TOWNSHIP_CODE).username == "cp"
    with pytest.raises(ActorRefused, match="不属于乡镇 441600100000"):
        named_actor(session, "cp", ("export_data",), "441600100000")
    with pytest.raises(ActorRefused, match="请用 --township 指定"):
        named_actor(session, "cp", ("export_data",), None)
