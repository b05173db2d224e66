"""No public default session key (issue 15, finding 1): `gridmgmt init`, and serve refuses without a key."""

import socket
import stat

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from gridmgmt.cli import main
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.keys import SessionKeyMissing
from gridmgmt.services.accounts.logins import start_session
from web import create_app
from web.auth import cookie_id

OLD_PUBLIC_DEFAULT = "dev-only-change-me"


@pytest.fixture
def no_key(monkeypatch, tmp_path):
    """Settings with no GRIDMGMT_SECRET_KEY and an empty var dir (so no key file)."""
    monkeypatch.delenv("GRIDMGMT_SECRET_KEY")
    monkeypatch.setenv("GRIDMGMT_VAR_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


def _signed_session(key: str, user_id: int, db_url: str) -> str:
    """A session cookie naming a live login session of USER_ID, signed with KEY, as whoever
    knows the key and a session's id could make one."""
    with make_session(db_url) as session:
        cookie_user = cookie_id(user_id, start_session(session, user_id))
    forger = Flask("forger")
    forger.secret_key = key
    return (
        SecureCookieSessionInterface().get_signing_serializer(forger).dumps({"_user_id": cookie_user, "_fresh": True})
    )


def test_cookie_signed_with_the_old_public_default_opens_nothing(no_key, db_url, people):
    assert CliRunner().invoke(main, ["init"]).exit_code == 0
    app = create_app({"TESTING": True, "DATABASE_URL": db_url})  # the key as serve would read it
    forged = app.test_client()
    forged.set_cookie("session", _signed_session(OLD_PUBLIC_DEFAULT, people["admin"], db_url))
    response = forged.get("/audit")
    assert response.status_code == 302 and response.location.startswith("/login")
    genuine = app.test_client()  # the same cookie under the app's key does open it: the test can fail
    genuine.set_cookie("session", _signed_session(no_key.session_key(), people["admin"], db_url))
    assert genuine.get("/audit").status_code == 200


def test_app_without_any_key_refuses_to_start(no_key, db_url):
    with pytest.raises(SessionKeyMissing, match="gridmgmt init"):
        create_app({"DATABASE_URL": db_url})


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "gridmgmt.example"])
def test_serve_beyond_loopback_without_a_key_refuses(no_key, host):
    result = CliRunner().invoke(main, ["serve", "--host", host, "--port", "8000"])
    assert result.exit_code == 1
    assert "必须先配置会话密钥" in result.output and "gridmgmt init" in result.output
    assert "GRIDMGMT_SECRET_KEY" in result.output
    assert not no_key.secret_key_file.exists()


def test_serve_beyond_loopback_refuses_a_short_key(no_key, monkeypatch):
    monkeypatch.setenv("GRIDMGMT_SECRET_KEY", OLD_PUBLIC_DEFAULT)
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "8000"])
    assert result.exit_code == 1 and "至少 32 个字符" in result.output


def test_serve_on_loopback_generates_the_missing_key(no_key):
    with socket.socket() as busy:  # so that serve stops right after the key check
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--host", "127.0.0.1", "--port", str(port)])
    assert "已生成会话密钥" in result.output and f"无法监听 127.0.0.1:{port}" in result.output
    assert stat.S_IMODE(no_key.secret_key_file.stat().st_mode) == 0o600


def test_init_writes_a_private_key_once(no_key):
    first = CliRunner().invoke(main, ["init"])
    assert first.exit_code == 0 and "已生成会话密钥" in first.output
    path = no_key.secret_key_file
    key = path.read_text().strip()
    assert len(key) >= 32 and key != OLD_PUBLIC_DEFAULT
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = CliRunner().invoke(main, ["init"])
    assert again.exit_code == 0 and "未覆盖" in again.output
    assert path.read_text().strip() == key
    forced = CliRunner().invoke(main, ["init", "--force"])
    assert forced.exit_code == 0 and path.read_text().strip() != key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_init_help_is_chinese():
    result = CliRunner().invoke(main, ["init", "--help"])
    assert "生成会话密钥文件" in result.output and "不覆盖" in result.output
