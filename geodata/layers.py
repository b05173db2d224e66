"""The importable layers: their columns, Chinese and English header names, and value kinds.

Canonical names equal the database columns where there is one; `*_code` names refer to
another row by its code; lon/lat (and seat_lon/seat_lat) are WGS84 degrees.
"""

from geodata.layer_schema import (
    GROUP_CODE,
    HOUSEHOLD_CODE,
    VILLAGE_CODE,
    WKT,
    Field,
    Layer,
    code_field,
    flag,
    lonlat,
    name_field,
)
from geodata.roster_layers import CADRES, POSTINGS
from gridmgmt.domain.vocab import (
    ECONOMIC_ORG_KINDS,
    EIGHT_HAVES,
    MEMBER_STATUSES,
    MUST_VISIT_FLAGS,
    ORG_FIELDS,
    ORG_TYPES,
    ROAD_CLASSES,
    SIX_HAVES,
    WATER_KINDS,
)

# Stored as the Chinese word, as the demo generator writes it.
GENDERS = {"男": "男", "女": "女"}


TOWNSHIPS = Layer(
    "townships",
    "township",
    "乡镇",
    (
        code_field("区划代码", "统计用区划代码", "乡镇编码"),
        name_field("乡镇名称", "镇名", "乡镇"),
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
        code_field("村编码", "区划代码", "统计用区划代码", "行政村编码"),
        name_field("村名", "村名称", "行政村", "行政村名称"),
        flag("is_community", "社区", "是否社区", "community", short="community"),
        flag("is_poverty_alleviated", "脱贫村", "是否脱贫村", short="poverty"),
        flag("is_revitalization_focus", "乡村振兴重点村", "重点村", short="revital"),
        flag("is_weak_org", "软弱涣散村", "软弱涣散", short="weak_org"),
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
        code_field("组编码", "小组编码"),
        name_field("组名", "小组名称", "村民小组", "自然村"),
        VILLAGE_CODE,
        *lonlat(),
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
        code_field("户编码", "户号"),
        Field("head", "户主", aliases=("户主", "户主姓名", "姓名"), required=True),
        Field("address", "地址", aliases=("地址", "住址", "门牌")),
        Field(
            "member_count",
            "人口",
            "int",
            ("人口", "家庭人口", "人数", "户籍人口", "members"),
            short="members",
            default=1,
        ),
        # Files made before the labels said 家庭 (空巢老人, 留守儿童) still import.
        *(
            flag(n, label, *{label.removesuffix("家庭")} - {label}, short=s)
            for (n, label), s in zip(
                MUST_VISIT_FLAGS.items(), ("hardship", "crit_ill", "empty_nest", "left_child", "petitioner")
            )
        ),
        flag("is_party_household", "党员户", "共产党员户", short="party_hh"),
        flag("is_party_center_household", "党员中心户", short="party_ctr"),
        VILLAGE_CODE,
        GROUP_CODE,
        *lonlat(),
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
        code_field("道路编码", "路线编码", "路线编号", required=False),
        name_field("道路名称", "路名", required=False),
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
    code_prefix="RD",
)

WATERS = Layer(
    "waters",
    "water",
    "水系",
    (
        code_field("水系编码", "河流编码", "水体编码", required=False),
        name_field("河流名称", "水体名称", "河名", required=False),
        Field(
            "kind",
            "类型",
            "enum",
            ("类型", "水系类型", "水体类型", "kind", "type"),
            required=True,
            choices=WATER_KINDS,
            synonyms={"河": "river", "江": "river", "溪": "river", "渠": "canal", "水渠": "canal", "池塘": "pond"},
        ),
        WKT,
    ),
    "geom",
    "line_or_polygon",
    True,
    code_prefix="WT",
)

PARTY_ORGS = Layer(
    "party_orgs",
    "party_org",
    "党组织",
    (
        code_field("组织编码", "党组织编码", "org_code"),
        name_field("组织名称", "党组织名称"),
        Field(
            "org_type",
            "组织类型",
            "enum",
            ("组织类型", "类型", "type"),
            required=True,
            choices=ORG_TYPES,
            synonyms={"支部": "branch", "总支": "general_branch"},
        ),
        Field("field", "领域", "enum", ("领域", "所属领域"), choices=ORG_FIELDS, default="rural"),
        Field(
            "parent_code",
            "上级组织编码",
            aliases=("上级组织编码", "上级编码", "上级党组织编码", "parent"),
            short="parent",
        ),
        Field("village_code", "村编码", aliases=("村编码", "所在村编码"), short="village"),
        Field(
            "committee_size", "委员人数", "int", ("委员人数", "支委人数", "委员会人数"), short="committee", default=0
        ),
        Field(
            "venue_area_m2", "场所面积", "float", ("场所面积", "活动场所面积", "面积", "venue_area"), short="venue_area"
        ),
        # Files made before the labels said 家庭 (空巢老人, 留守儿童) still import.
        *(
            flag(n, label, *{label.removesuffix("家庭")} - {label}, short=s)
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
        # Files made before the labels said 家庭 (空巢老人, 留守儿童) still import.
        *(
            flag(n, label, *{label.removesuffix("家庭")} - {label}, short=s)
            for (n, label), s in zip(
                SIX_HAVES.items(), ("flag_rules", "furniture", "archives", "study_nook", "av_equip", "materials")
            )
        ),
        *lonlat("场所"),
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
        code_field("党员编号", "党员编码"),
        name_field("姓名"),
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
            default="full",
        ),
        flag("is_mobile", "流动党员", "是否流动党员", "mobile"),
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
        code_field("统一社会信用代码", "信用代码", "企业编码"),
        name_field("企业名称", "单位名称"),
        Field(
            "kind",
            "类型",
            "enum",
            ("类型", "类别", "组织形式"),
            required=True,
            choices=ECONOMIC_ORG_KINDS,
            synonyms={"公司": "enterprise", "专业合作社": "cooperative", "农民专业合作社": "cooperative"},
        ),
        flag("above_scale", "规模以上", "是否规模以上", "规上企业", "规上", short="abv_scale"),
        Field("employees", "从业人数", "int", ("从业人数", "职工人数", "员工人数")),
        Field("party_org_code", "党组织编码", aliases=("党组织编码", "org_code"), short="org_code"),
        VILLAGE_CODE,
        *lonlat(),
        WKT,
    ),
    "geom",
    "point",
    True,
)

LAYERS = {
    layer.name: layer
    for layer in (
        TOWNSHIPS,
        VILLAGES,
        GROUPS,
        HOUSEHOLDS,
        ROADS,
        WATERS,
        PARTY_ORGS,
        PARTY_MEMBERS,
        ECONOMIC_ORGS,
        CADRES,
        POSTINGS,
    )
}
