"""Every --help and every usage error of the command line reads in Chinese: no click scaffolding
(Usage:, Options:, [default: …], Error: Missing option …) and no English words beyond the names users
type or meet on files (option names, formats, EPSG…). Click stops these errors before any database opens."""

import ast
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gridmgmt.cli import main
from gridmgmt.cli.zh import CATALOGUE
from tests.wording import ALLOWED, WORD

# Things that are typed as they are: options, environment variables, paths under var/.
TYPED = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*|\bGRIDMGMT_\w+|\bvar/[\w/.]+")
# Click messages only a programmer can cause (a badly declared command, an unsupported shell or
# platform); they stay English.
DEVELOPER_ONLY = {
    "Name '{name}' defined twice",
    "Could not determine name for option with declarations {decls!r}",
    (
        "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
        "Did you mean to pass '--{name}'?"
    ),
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Invalid start character for option ({option})",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Choice({choices})",
    "Windows error: {error}",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "d",
    "Shell completion is not supported for Bash versions older than 4.4.",
    "Couldn't detect Bash version, shell completion is not supported.",
}


def _paths(group: click.Group = main, path: tuple[str, ...] = ()):
    """The name path of every command and group under GROUP."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _paths(command, (*path, name))


# `gridmgmt import template` is a word of `import` (gridmgmt/cli/io.py), not a subcommand of a group.
EXTRA_PATHS = [("import", "template")]
COMMAND_WORDS = {word for path in [*_paths(), *EXTRA_PATHS] for word in path} | {"gridmgmt"}


def _english(text: str, also: set[str] = frozenset()) -> set[str]:
    """The English words of TEXT that are neither allowed nor typed as they are."""
    return {w for w in WORD.findall(TYPED.sub(" ", text)) if w not in ALLOWED | COMMAND_WORDS | also}


def _run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="gridmgmt")


def test_every_help_page_is_chinese():
    pages = {(): _run("--help")} | {path: _run(*path, "--help") for path in [*_paths(), *EXTRA_PATHS]}
    assert len(pages) > 50 and all(page.exit_code == 0 for page in pages.values())
    english = {" ".join(path): words for path, page in pages.items() if (words := _english(page.output))}
    assert english == {}, english
    assert all("用法：" in page.output and "显示本帮助并退出" in page.output for page in pages.values())


def test_the_wording_check_catches_english():
    assert _english("Usage: gridmgmt [OPTIONS]  [default: table]") == {"Usage", "OPTIONS", "default", "table"}
    assert _english("用法：gridmgmt import --crs 坐标系 GRIDMGMT_ACTOR var/secrets/secret_key CSV") == set()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["visits", "event"], "错误：缺少选项 '--cadre'"),
        (["sites", "history"], "错误：缺少参数 '党组织编码'"),
        (["nope"], "错误：没有命令“nope”"),
        (["visits", "event", "--cadre", "C0", "--type", "flood"], "“flood”不是可选值；可选：不满情绪、突发事件"),
        (["grids", "publish", "x"], "“x”不是有效的整数"),
        (["visits", "route", "--cadre", "C0", "--date", "15/05/2025"], "日期须写成 年-月-日"),
        (["visits", "route", "--cadre"], "选项“--cadre”后面须给出值"),
        (["visits", "route", "--cadre", "C0", "--colour"], "没有选项“--colour”"),
        (["grids", "publish", "1", "2"], "多余的参数（2）"),
        (["db", "backup", "-o", __file__], f"“{__file__}”是文件，这里须为目录"),
    ],
)
def test_usage_errors_are_chinese(args, says):
    result = _run(*args)
    assert result.exit_code == 2 and says in result.output, result.output
    assert _english(result.output, also={w for a in args for w in WORD.findall(a)}) == set(), result.output


def test_a_missing_option_is_explained_in_chinese():
    result = _run("visits", "event", "--type", "突发事件")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "用法： gridmgmt visits event [选项]",
        "运行“gridmgmt visits event --help”查看帮助。",
        "",
        "错误：缺少选项 '--cadre'.",
    ]


def _click_messages() -> set[str]:
    """Every message click looks up through gettext: the text of each _("…") and ngettext("…", "…")."""
    messages = {"required"}  # looked up as _(extra["required"])
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                messages |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return messages


def test_the_catalogue_covers_every_message_click_can_show_users():
    messages = _click_messages()
    assert messages - DEVELOPER_ONLY - set(CATALOGUE) == set()
    assert set(CATALOGUE) - messages == set()  # no entry for a message click no longer has
