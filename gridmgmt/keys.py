"""Generated secrets in 0600 files under var/secrets: the session key and the local cluster's passwords."""

import os
import secrets
from pathlib import Path

# Shorter keys are refused when serving beyond this machine (token_urlsafe(32) gives 43).
MIN_SESSION_KEY = 32


class SessionKeyMissing(RuntimeError):
    """No session key is configured, so sessions could not be signed safely."""

    def __init__(self) -> None:
        super().__init__("未配置会话密钥：请运行 gridmgmt init 生成密钥文件，或设置 GRIDMGMT_SECRET_KEY")


def read_secret(path: Path) -> str | None:
    """The secret stored at PATH, or None when there is none."""
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def write_secret(path: Path, force: bool = False) -> bool:
    """Store a new random secret at PATH, readable by this account only; True when written.

    An existing secret is kept unless FORCE: replacing it signs everyone out, or locks the
    app out of its database.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(32) + "\n")
    try:
        if force:
            os.replace(draft, path)
        else:
            os.link(draft, path)  # atomic, and fails when another process wrote one first
        return True
    except FileExistsError:
        return False
    finally:
        draft.unlink(missing_ok=True)


def ensure_secret(path: Path) -> str:
    """The secret at PATH, generated first when there is none."""
    write_secret(path)
    return read_secret(path)
