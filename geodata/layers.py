"""The importable layers: their columns, Chinese and English header names, and value kinds.

Canonical names equal the database columns where there is one; `*_code` names refer to
another row by its code; lon/lat (and seat_lon/seat_lat) are WGS84 degrees.
"""

from dataclasses import dataclass, field

from gridmgmt.domain.vocab import (
    CADRE_ROLES,
    ECONOMIC_ORG_KINDS,
    EIGHT_HAVES,
    MEMBER_STATUSES,
    MUST_VISIT_FLAGS,
    ORG_FIELDS,
    ORG_TYPES,
    ROAD_CLASSES,
)

# Stored as the Chinese word, as the demo generator writes it.
GENDERS = {"男": "男", "女": "女"}


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
    short: str | None = None
    derived: bool = False

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

    def field(self, name: str) -> Field | None:
        """The field called NAME, if the layer has one."""
        return next((f for f in self.fields if f.name == name), None)


def _code(*aliases: str) -> Field:
    return Field("code", "编码", aliases=("编码", "代码", *aliases), required=True)


def _name(*aliases: str, required: bool = True) -> Field:
    return Field("name", "名称", aliases=("名称", *aliases), required=required)


def _flag(name: str, label: str, *aliases: str, short: str | None = None) -> Field:
    return Field(name, label, "bool", aliases=(label, *aliases), short=short)


def _lonlat(prefix: str = "") -> tuple[Field, Field]:
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

TOWNSHIPS = Layer(
    "townships",
    "township",
    "乡镇",
    (
        _code("区划代码", "统计用区划代码", "乡镇编码"),
        _name("乡镇名称", "镇名", "乡镇"),
        Field("county", "所属县", aliases=("所属县", "县", "区县", "所属县区")),
        Field("seat_lon", "驻地经度", "float", ("驻地经度",)),
        Field("seat_lat", "驻地纬度", "float", ("驻地纬度",)),
        WKT,
    ),
    "geom",
    "polygon",
    True,
    needs_township=False,
)

VILLAGES = Layer(
    "villages",
    "village",
    "行政村",
    (
        _code("村编码", "区划代码", "统计用区划代码", "行政村编码"),
        _name("村名", "村名称", "行政村", "行政村名称"),
        _flag("is_community", "社区", "是否社区", "community", short="community"),
        _flag("is_poverty_alleviated", "脱贫村", "是否脱贫村", short="poverty"),
        _flag("is_revitalization_focus", "乡村振兴重点村", "重点村", short="revital"),
        _flag("is_weak_org", "软弱涣散村", "软弱涣散", short="weak_org"),
        WKT,
    ),
    "geom",
    "polygon",
    True,
)

GROUPS = Layer(
    "groups",
    "village_group",
    "村民小组",
    (
        _code("组编码", "小组编码"),
        _name("组名", "小组名称", "村民小组", "自然村"),
        VILLAGE_CODE,
        *_lonlat(),
        WKT,
    ),
    "geom",
    "any",
    True,
)

HOUSEHOLDS = Layer(
    "households",
    "household",
    "农户",
    (
        _code("户编码", "户号"),
        Field("head", "户主", aliases=("户主", "户主姓名", "姓名"), required=True),
        Field("address", "地址", aliases=("地址", "住址", "门牌")),
        Field("member_count", "人口", "int", ("人口", "家庭人口", "人数", "户籍人口", "members"), short="members"),
        *(
            _flag(n, label, short=s)
            for (n, label), s in zip(
                MUST_VISIT_FLAGS.items(), ("hardship", "crit_ill", "empty_nest", "left_child", "petitioner")
            )
        ),
        _flag("is_party_household", "党员户", "共产党员户", short="party_hh"),
        _flag("is_party_center_household", "党员中心户", short="party_ctr"),
        VILLAGE_CODE,
        GROUP_CODE,
        *_lonlat(),
        WKT,
    ),
    "geom",
    "point",
    True,
    personal=True,
)

ROADS = Layer(
    "roads",
    "road",
    "道路",
    (
        _code("道路编码", "路线编码", "路线编号"),
        _name("道路名称", "路名", required=False),
        Field(
            "road_class",
            "道路等级",
            "enum",
            ("道路等级", "等级", "行政等级", "class"),
            required=True,
            choices=ROAD_CLASSES,
        ),
        WKT,
    ),
    "geom",
    "line",
    True,
)

PARTY_ORGS = Layer(
    "party_orgs",
    "party_org",
    "党组织",
    (
        _code("组织编码", "党组织编码", "org_code"),
        _name("组织名称", "党组织名称"),
        Field(
            "org_type",
            "组织类型",
            "enum",
            ("组织类型", "类型", "type"),
            required=True,
            choices=ORG_TYPES,
            synonyms={"支部": "branch", "总支": "general_branch"},
        ),
        Field("field", "领域", "enum", ("领域", "所属领域"), choices=ORG_FIELDS),
        Field(
            "parent_code",
            "上级组织编码",
            aliases=("上级组织编码", "上级编码", "上级党组织编码", "parent"),
            short="parent",
        ),
        Field("village_code", "村编码", aliases=("村编码", "所在村编码"), short="village"),
        Field("committee_size", "委员人数", "int", ("委员人数", "支委人数", "委员会人数"), short="committee"),
        Field(
            "venue_area_m2", "场所面积", "float", ("场所面积", "活动场所面积", "面积", "venue_area"), short="venue_area"
        ),
        *(
            _flag(n, label, short=s)
            for (n, label), s in zip(
                EIGHT_HAVES.items(),
                (
                    "std_venue",
                    "signage",
                    "act_room",
                    "service",
                    "has_office",
                    "library",
                    "outdoor",
                    "notice",
                ),
            )
        ),
        *_lonlat("场所"),
        WKT,
    ),
    "venue",
    "point",
)

PARTY_MEMBERS = Layer(
    "party_members",
    "party_member",
    "党员",
    (
        _code("党员编号", "党员编码"),
        _name("姓名"),
        Field(
            "gender",
            "性别",
            "enum",
            ("性别", "sex"),
            choices=GENDERS,
            synonyms={"m": "男", "male": "男", "f": "女", "female": "女"},
        ),
        Field("birth_year", "出生年份", "int", ("出生年份", "出生年")),
        Field("joined_on", "入党日期", "date", ("入党日期", "入党时间")),
        Field(
            "status",
            "党员类型",
            "enum",
            ("党员类型", "状态", "类别"),
            choices=MEMBER_STATUSES,
            synonyms={"正式": "full", "预备": "probationary"},
        ),
        _flag("is_mobile", "流动党员", "是否流动党员", "mobile"),
        HOUSEHOLD_CODE,
        Field(
            "org_code", "党组织编码", aliases=("党组织编码", "所在党组织编码", "组织编码", "支部编码"), required=True
        ),
    ),
    personal=True,
)

ECONOMIC_ORGS = Layer(
    "economic_orgs",
    "economic_org",
    "企业/合作社",
    (
        _code("统一社会信用代码", "信用代码", "企业编码"),
        _name("企业名称", "单位名称"),
        Field(
            "kind",
            "类型",
            "enum",
            ("类型", "类别", "组织形式"),
            required=True,
            choices=ECONOMIC_ORG_KINDS,
            synonyms={"公司": "enterprise", "专业合作社": "cooperative", "农民专业合作社": "cooperative"},
        ),
        _flag("above_scale", "规模以上", "是否规模以上", "规上企业", "规上", short="abv_scale"),
        Field("employees", "从业人数", "int", ("从业人数", "职工人数", "员工人数")),
        Field("party_org_code", "党组织编码", aliases=("党组织编码", "org_code"), short="org_code"),
        VILLAGE_CODE,
        *_lonlat(),
        WKT,
    ),
    "geom",
    "point",
    True,
)

CADRES = Layer(
    "cadres",
    "cadre",
    "干部",
    (
        _code("干部编号", "工号"),
        _name("姓名"),
        Field(
            "cadre_role",
            "职务",
            "enum",
            ("职务", "角色", "身份", "role"),
            required=True,
            choices=CADRE_ROLES,
            synonyms={"书记": "township_secretary", "驻村工作队员": "work_team"},
        ),
        Field("phone", "电话", aliases=("电话", "手机", "联系电话", "手机号")),
        HOUSEHOLD_CODE,
        Field("party_member_code", "党员编号", aliases=("党员编号",), short="member_cd"),
        *_lonlat("住址"),
        WKT,
    ),
    "home",
    "point",
    personal=True,
)

LAYERS = {
    layer.name: layer
    for layer in (
        TOWNSHIPS,
        VILLAGES,
        GROUPS,
        HOUSEHOLDS,
        ROADS,
        PARTY_ORGS,
        PARTY_MEMBERS,
        ECONOMIC_ORGS,
        CADRES,
    )
}
