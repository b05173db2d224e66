"""`gridmgmt serve` refuses clearly when it cannot start (it never gets to serve here)."""
import socket

from click.testing import CliRunner

from gridmgmt.cli import main
from gridmgmt.config import get_settings


def test_serve_without_front_end_assets_says_what_to_run(monkeypatch, tmp_path):
    monkeypatch.setattr(get_settings(), "node_modules", tmp_path)
    result = CliRunner().invoke(main, ["serve", "--port", "8000"])
    assert result.exit_code == 1
    assert "前端资源未安装" in result.output and "make setup" in result.output


def test_serve_on_a_busy_port_says_so():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"无法监听 127.0.0.1:{port}" in result.output
