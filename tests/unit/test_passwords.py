"""The password policy: length, the common-password list, the username."""

import pytest

from gridmgmt.domain.passwords import common_passwords, password_problem


@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "password",
        "qwertyuiop",
        "1234567890",
        "123456789a",
        "woaini1314",
        "a123456789",
        "QWERTYUIOP",
        "WoAiNi1314",
        "1qaz2wsx3edc",
        "password123",
    ],
)
def test_classic_passwords_are_refused(password):
    assert password_problem(password, "zhangsan") is not None


@pytest.mark.parametrize(
    "password, username, message",
    [
        ("short-one", "li", "至少需要 10 个字符"),
        ("x" * 257, "li", "不能超过 256 个字符"),
        ("line\nbreak-pass", "li", "控制字符"),
        ("tab\tseparated", "li", "控制字符"),
        ("qwertyuiop", "li", "太常见"),
        ("ZhangSan2026!", "zhangsan", "不能包含用户名"),
        ("demo_admin", "DEMO_ADMIN", "不能包含用户名"),
        ("my-wang-pass-1", "wang", "不能包含用户名"),
    ],
)
def test_problems_are_named_in_chinese(password, username, message):
    assert message in password_problem(password, username)


@pytest.mark.parametrize(
    "password, username",
    [
        ("correct-horse-1", "zhangsan"),
        ("li-likes-long-walks", "li"),  # a two-letter name may appear inside
        ("wangge2026", "demo_admin"),  # the demo password
        ("网格管理二〇二六年春天", "wang"),
    ],
)
def test_good_passwords_pass(password, username):
    assert password_problem(password, username) is None


def test_the_list_is_lower_case_and_only_long_entries():
    listed = common_passwords()
    assert len(listed) > 1000
    assert all(entry == entry.lower() and len(entry) >= 10 for entry in listed)
