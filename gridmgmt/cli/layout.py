"""The project's click classes: usage lines in Chinese, help laid out in terminal columns, where a
Chinese character takes two.

Click measures text in characters and breaks lines only at spaces, so Chinese help runs twice as wide as
the terminal and long names (GRIDMGMT_DB_NAME) get cut in two. Here a line may break between any two
Chinese characters, never inside an English word, and never before closing punctuation.
"""

import re
import unicodedata

import click

from gridmgmt.cli import zh

# A run of spaces; or an English word or option (a run of visible ASCII) or one other character, held
# together with the opening brackets before it and the closing punctuation after it (no line ends in 「（」
# and none starts with 「，」).
TOKEN = re.compile(r"\s+|[（《「“]*(?:[!-~]+|.)[，。；：、？！）》」”]*")
# A line break inside a paragraph: dropped next to a Chinese character, a space between English words.
JOIN = re.compile(r"\s*\n\s*")


def columns(text: str) -> int:
    """How many terminal columns TEXT takes: two for a wide (Chinese) character, one for others."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _joined(text: str) -> str:
    """TEXT's lines as one line (a paragraph)."""

    def join(match: re.Match) -> str:
        before, after = text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]
        return "" if columns(before) == 2 or columns(after) == 2 else " "

    return JOIN.sub(join, text.strip())


def wrap(text: str, width: int, first: str = "", rest: str = "") -> str:
    """TEXT as one paragraph in lines of at most WIDTH columns, the first led by FIRST, the others by REST."""
    lines, line, empty = [], first, True
    for token in TOKEN.findall(_joined(text)):
        if token.isspace():
            line += "" if empty else " "
            continue
        if not empty and columns(line.rstrip()) + columns(token) > width:
            lines.append(line.rstrip())
            line, empty = rest, True
        line, empty = line + token, False
    return "\n".join([*lines, line.rstrip()])


def wrap_paragraphs(text: str, width: int, indent: str = "") -> str:
    """TEXT's paragraphs (separated by blank lines) wrapped to WIDTH, each line led by INDENT."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(wrap(p, width, indent, indent) for p in paragraphs)


class Formatter(click.HelpFormatter):
    """Click's help layout, measured in columns and wrapped between Chinese characters."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """用法： PROG ARGS, the arguments wrapped under themselves."""
        prefix = f"{zh.gettext('Usage:')} " if prefix is None else prefix
        lead = f"{prefix:>{self.current_indent}}{prog} "
        self.write(wrap(args, self.width - self.current_indent, lead, " " * columns(lead)) + "\n")

    def write_heading(self, heading: str) -> None:
        """选项： with a full-width colon (click writes 选项:)."""
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        """TEXT's paragraphs, indented and wrapped."""
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """Terms and their descriptions in two columns; a long term has its description on the next line."""
        rows = list(rows)
        term_width = min(max((columns(term) for term, _ in rows), default=0), col_max)
        margin = " " * (self.current_indent + term_width + col_spacing)
        for term, text in rows:
            line = " " * self.current_indent + term
            if columns(term) > term_width and text:
                self.write(line + "\n")
                line = margin
            first, *rest = wrap_paragraphs(text, max(self.width - len(margin), 10)).split("\n") if text else [""]
            padding = " " * (len(margin) - columns(line)) if first else ""
            self.write(f"{line}{padding}{first}\n" + "".join(f"{margin}{r}\n" if r else "\n" for r in rest))


class Context(click.Context):
    """A context whose help pages use the Formatter."""

    formatter_class = Formatter


class Command(click.Command):
    """A command whose usage line reads `[选项]` and whose help is laid out in columns."""

    context_class = Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", zh.OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """A group like Command, whose usage reads `[选项] 命令 [参数]...`; its subcommands and subgroups are alike."""

    context_class = Context
    command_class = Command
    group_class = type  # subgroups are of this same class

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", zh.OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", zh.SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)
