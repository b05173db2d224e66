"""Click's own text in Chinese: help headings, usage lines and error messages.

Click looks every message it prints up through gettext (`from gettext import gettext as _` in each of
its modules). `install()` rebinds that `_` (and `ngettext`) in click's modules to a look-up in CATALOGUE:
click has no hook of its own, and gettext's catalogue search would need a LANGUAGE setting that the
programs we start (pg_ctl, pg_dump) would inherit. Messages only a programmer can cause (a badly
declared option, an unknown colour) are left out and stay English; tests/unit/test_cli_wording.py
checks the catalogue against click's source.
"""

import importlib

CATALOGUE = {
    # help pages
    "Usage:": "用法：",
    "Options": "选项",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（随情况而定）",
    "deprecated": "已停用",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提示：命令“{name}”已停用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "提示：{param_type}“{name}”已停用。{extra_message}",
    # how an error is shown
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Aborted!": "已取消。",
    # what was missing or not understood
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项“{name}”。",
    "No such command {name!r}.": "没有命令“{name}”。",
    "Did you mean {possibility}?": "是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是不是要用其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} does not take a value.": "选项“{name}”后面不带值。",
    "Option {name!r} requires an argument.": "选项“{name}”后面须给出值。",
    "Option {name!r} requires {nargs} arguments.": "选项“{name}”后面须给出 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”须有 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "须有 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "须有 {nargs} 个值，给了 {len} 个。",
    "{len_type} values are required, but {len_value} was given.": "须有 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "须有 {len_type} 个值，给了 {len_value} 个。",
    "Value must be an iterable.": "须给出一组值。",
    # values
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not {choice}.": "“{value}”不是可选值 {choice}。",
    "{value!r} is not one of {choices}.": "“{value}”不是可选值（{choices}）之一。",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合格式 {formats} 中的任何一种。",
    "{value} is not in the range {range}.": "{value} 超出范围：{range}。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的{number_type}。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "“{value}”不是有效的是/否值，可用：{states}",
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    # files
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "“{filename}”是文件，这里须为{name}。",
    "{name} {filename!r} is a directory.": "“{filename}”是目录，这里须为{name}。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
    # prompts
    "Repeat for confirmation": "再次输入以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不再询问，直接确认。",
    "Press any key to continue...": "按任意键继续……",
}

# Click's modules that look messages up; each imported `gettext as _` (some `ngettext` too).
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
# The usage line's own words, which click takes from each command rather than from gettext.
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."


def gettext(message: str) -> str:
    """MESSAGE in Chinese, or as it is when the catalogue has no entry."""
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """SINGULAR or PLURAL (by COUNT) in Chinese."""
    return gettext(singular if count == 1 else plural)


def install() -> None:
    """Make click's look-ups use the catalogue, for every message it prints from now on."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
