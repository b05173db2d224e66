"""The password policy: long enough, not a common password, not the username."""

from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 10
MAX_LENGTH = 256
# A password may contain a username shorter than this: a two-letter name would
# otherwise forbid half the dictionary.
MIN_NAME_IN_PASSWORD = 3
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@lru_cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case (read once, on first use)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str) -> str | None:
    """Why PASSWORD may not be USERNAME's password, in Chinese; None when it may."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    if len(password) > MAX_LENGTH:
        return f"密码不能超过 {MAX_LENGTH} 个字符"
    if not password.isprintable():
        return "密码不能包含换行、制表符等控制字符"
    lowered, name = password.lower(), username.lower()
    if lowered in common_passwords():
        return "这个密码太常见，很容易被猜到，请换一个"
    if lowered == name or (len(name) >= MIN_NAME_IN_PASSWORD and name in lowered):
        return "密码不能包含用户名"
    return None
