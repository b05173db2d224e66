"""What an importable layer is made of: its fields (columns with their Chinese and English
header names and value kinds) and the fields several layers share."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """One column: KIND is text|int|float|bool|enum|date; DERIVED columns are exported, not read."""

    name: str
    label: str
    kind: str = "text"
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    # Words that could mean more than one choice: refused with this question, never guessed.
    questions: dict[str, str] = field(default_factory=dict)
    short: str | None = None
    derived: bool = False
    default: object = None  # what a blank cell means (the column's default); None: no value

    @property
    def shp_name(self) -> str:
        """The name used in Shapefile exports (DBF allows 10 characters)."""
        return self.short or self.name


@dataclass(frozen=True)
class Layer:
    """An importable layer: TABLE, its fields, and where its geometry goes (GEOM_COLUMN)."""

    name: str
    table: str
    label: str
    fields: tuple[Field, ...]
    geom_column: str | None = None
    geom_kind: str | None = None  # point | polygon | line | any
    geom_required: bool = False
    needs_township: bool = True
    personal: bool = False  # rows name or locate people: exporting them is audited
    # Layers without a natural code: a row without one gets CODE_PREFIX and a digest of its geometry.
    code_prefix: str | None = None
    # Layers with no natural code of their own: a row's code when the file gives none, from its parsed values.
    natural_code: Callable[[dict], str] | None = None

    def field(self, name: str) -> Field | None:
        """The field called NAME, if the layer has one."""
        return next((f for f in self.fields if f.name == name), None)


def code_field(*aliases: str, required: bool = True) -> Field:
    """The code column, under its usual names and ALIASES."""
    return Field("code", "编码", aliases=("编码", "代码", *aliases), required=required)


def name_field(*aliases: str, required: bool = True) -> Field:
    """The name column, under its usual names and ALIASES."""
    return Field("name", "名称", aliases=("名称", *aliases), required=required)


def flag(name: str, label: str, *aliases: str, short: str | None = None) -> Field:
    """A yes/no column NAME (LABEL in Chinese), false when left empty."""
    return Field(name, label, "bool", aliases=(label, *aliases), short=short, default=False)


def lonlat(prefix: str = "") -> tuple[Field, Field]:
    """Point columns; PREFIX-ed Chinese names (场所经度…) are accepted too."""
    lon_aliases = ("经度", "longitude", "lng", "x", "x坐标")
    lat_aliases = ("纬度", "latitude", "y", "y坐标")
    if prefix:
        lon_aliases += (f"{prefix}经度",)
        lat_aliases += (f"{prefix}纬度",)
    return Field("lon", "经度", "float", lon_aliases), Field("lat", "纬度", "float", lat_aliases)


WKT = Field("wkt", "WKT 几何", aliases=("几何", "geometry", "geom", "the_geom"))
VILLAGE_CODE = Field("village_code", "村编码", aliases=("村编码", "行政村编码"), short="village", derived=True)
GROUP_CODE = Field("group_code", "组编码", aliases=("组编码", "小组编码"), derived=True)
HOUSEHOLD_CODE = Field("household_code", "户编码", aliases=("户编码", "户号", "所在户编码"), short="hh_code")
