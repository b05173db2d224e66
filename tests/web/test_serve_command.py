"""`gridmgmt serve` (and --production) refuses clearly when it cannot start (it never gets to serve here)."""

import socket

import pytest
from click.testing import CliRunner

from gridmgmt.cli import main
from gridmgmt.config import get_settings


def test_serve_without_front_end_assets_says_what_to_run(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "node_modules", tmp_path)
    result = CliRunner().invoke(main, ["serve", "--port", "8000"])
    assert result.exit_code == 1
    assert "前端资源未安装" in result.output and "make setup" in result.output


@pytest.mark.parametrize("production", [[], ["--production"]])
def test_serve_on_a_busy_port_says_so(production):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", *production, "--port", str(port)])
    assert result.exit_code == 1
    assert f"无法监听 127.0.0.1:{port}" in result.output


def test_production_serve_with_a_bad_proxy_setting_says_so(monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", "caddy.lan")
    result = CliRunner().invoke(main, ["serve", "--production"])
    assert result.exit_code == 1
    assert "GRIDMGMT_TRUSTED_PROXIES" in result.output
