"""Choices on the command line that take the Chinese word or the code, and show the Chinese words."""

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

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


# The formats (codes of domain.vocab.FORMATS) an output file's extension may name, preferred first.
SUFFIX_FORMATS = {
    ".gpkg": ("gpkg",),
    ".geojson": ("geojson",),
    ".json": ("json", "geojson"),
    ".csv": ("csv",),
    ".shp": ("shp",),
    ".xlsx": ("xlsx",),
    ".png": ("png",),
    ".pdf": ("pdf",),
    ".html": ("html",),
    ".htm": ("html",),
    ".txt": ("table",),
}


def output_format(fmt: str | None, output: Path | None, choice: LabelledChoice, default: str | None = None) -> str:
    """The format to write: FMT (a code of CHOICE) when given, else the one OUTPUT's extension names, else
    DEFAULT. A UsageError when they disagree (a GeoPackage named .geojson misleads every program that opens
    it), when the extension names a format CHOICE does not offer, or when nothing names one."""
    suffix = output.suffix.lower() if output else ""
    named = SUFFIX_FORMATS.get(suffix, ())
    offered = [code for code in named if code in choice.labels]
    if named and not offered:
        raise click.UsageError(f"不能输出为 {suffix} 文件；可选格式：{choice.listing()}")
    if fmt and offered and fmt not in offered:
        fits = next((s for s, codes in SUFFIX_FORMATS.items() if fmt in codes), "")
        raise click.UsageError(
            f"输出文件 {output.name} 的扩展名与格式 {choice.labels[fmt]} 不符：请改用 {fits or '相符的扩展名'}，"
            f"或去掉 --format（按扩展名输出 {choice.labels[offered[0]]}）"
        )
    found = fmt or (offered[0] if offered else default)
    if found is None:
        raise click.UsageError(f"请用 --format 指明输出格式，或用相应的扩展名；可选格式：{choice.listing()}")
    return found
