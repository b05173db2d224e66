"""Choices on the command line that take the Chinese word or the code, and show the Chinese words."""

import re
from collections.abc import Iterable, Mapping

import click

# A list may be written 困难家庭,信访户 or 困难家庭、信访户 or with the full-width comma.
LIST_SEPARATORS = re.compile(r"[,，、]")


class LabelledChoice(click.ParamType):
    """One of the codes of LABELS (code -> Chinese label), written as the code or as the label.

    The value passed on is always the code; --help shows the labels. CODES limits the choice to some
    of LABELS' codes.
    """

    name = "选项"

    def __init__(self, labels: Mapping[str, str], codes: Iterable[str] | None = None):
        self.labels = {code: labels[code] for code in (labels if codes is None else codes)}
        self._codes = {code.lower(): code for code in self.labels}
        self._codes |= {label.lower(): code for code, label in self.labels.items()}

    def code_of(self, text: str) -> str | None:
        """The code TEXT names (a code or a label, any case), or None."""
        return self._codes.get(str(text).strip().lower())

    def convert(self, value, param, ctx):
        """VALUE as a code; fails, listing the labels, when it names none."""
        code = self.code_of(value)
        if code is None:
            self.fail(f"“{value}”不是可选值；可选：{self.listing()}", param, ctx)
        return code

    def listing(self) -> str:
        """The labels, for messages: 镇级、县级、市级."""
        return "、".join(self.labels.values())

    def get_metavar(self, param, ctx) -> str:
        """[镇级|县级|市级]; {…} for a required argument."""
        choices = "|".join(self.labels.values())
        required = param.required and param.param_type_name == "argument"
        return f"{{{choices}}}" if required else f"[{choices}]"

    def get_missing_message(self, param, ctx) -> str:
        """What to give when the value is missing."""
        return f"可选：{self.listing()}"


class LabelledList(LabelledChoice):
    """Several codes of LABELS, separated by commas or 、; the value passed on is a tuple of codes."""

    name = "列表"

    def convert(self, value, param, ctx):
        """VALUE as a tuple of codes (empty for an empty text)."""
        if isinstance(value, tuple):
            return value
        return tuple(
            LabelledChoice.convert(self, item, param, ctx) for item in LIST_SEPARATORS.split(value) if item.strip()
        )

    def get_metavar(self, param, ctx) -> str:
        """[甲|乙|丙]，… : one or more, separated by commas."""
        return f"[{'|'.join(self.labels.values())}]，…"
