"""The importable layers of the cadre roster: the cadres with their roles, and their postings
(包村, 挂点, 驻村工作队, 第一书记) to villages."""

from geodata.layer_schema import HOUSEHOLD_CODE, WKT, Field, Layer, code_field, lonlat, name_field
from gridmgmt.domain.postings import posting_code
from gridmgmt.domain.vocab import ASSIGNMENTS, CADRE_ROLES

# 职务 words of a cadre roster, each naming one role. A bare “书记” names none: see SECRETARY_QUESTION.
CADRE_ROLE_WORDS = {
    **dict.fromkeys(("党委书记", "镇委书记", "乡党委书记", "街道党工委书记"), "township_secretary"),
    **dict.fromkeys(
        ("镇领导班子成员", "班子成员", "领导班子成员", "镇长", "乡长", "副镇长", "副乡长", "镇党委副书记", "党委副书记")
        + ("人大主席", "纪委书记", "组织委员", "宣传委员", "武装部长", "镇党委委员", "党委委员"),
        "township_leader",
    ),
    **dict.fromkeys(("镇机关干部", "机关干部", "乡干部", "包村干部"), "township_cadre"),
    **dict.fromkeys(
        ("村党支部书记", "村党总支书记", "村党委书记", "社区党组织书记", "社区党支部书记", "社区党委书记")
        + ("村支书", "支部书记", "党支部书记", "村书记", "社区书记", "村支部书记"),
        "village_secretary",
    ),
    **dict.fromkeys(
        ("村两委干部", "村委委员", "村委会主任", "村主任", "村委主任", "社区干部", "村支委"), "village_cadre"
    ),
    **dict.fromkeys(("驻村工作队员", "驻村队员", "驻村干部", "驻村工作队"), "work_team"),
    **dict.fromkeys(("驻村第一书记",), "first_secretary"),
    **dict.fromkeys(("专职网格员", "兼职网格员"), "grid_worker"),
}
SECRETARY_QUESTION = "“{value}”不明确：是镇党委书记、村党组织书记还是第一书记？请写全称（如“村党组织书记”“镇党委书记”）"

CADRES = Layer(
    "cadres",
    "cadre",
    "干部",
    (
        code_field("干部编号", "工号"),
        name_field("姓名"),
        Field(
            "cadre_role",
            "职务",
            "enum",
            ("职务", "角色", "身份", "role"),
            required=True,
            choices=CADRE_ROLES,
            synonyms=CADRE_ROLE_WORDS,
            questions=dict.fromkeys(("书记", "副书记", "支书记"), SECRETARY_QUESTION),
        ),
        Field("phone", "电话", aliases=("电话", "手机", "联系电话", "手机号")),
        HOUSEHOLD_CODE,
        Field("party_member_code", "党员编号", aliases=("党员编号",), short="member_cd"),
        *lonlat("住址"),
        WKT,
    ),
    "home",
    "point",
    personal=True,
)


def _posting_code(row: dict) -> str:
    return posting_code(row["cadre_code"], row["village_code"], row["assignment"], row.get("start_date"))


POSTINGS = Layer(
    "postings",
    "cadre_village",
    "驻村包村安排",
    (
        Field("code", "编号", aliases=("编号", "安排编号", "编码")),
        Field("cadre_code", "干部编号", aliases=("干部编号", "干部编码", "工号"), required=True, short="cadre"),
        Field("village_code", "村编码", aliases=("村编码", "行政村编码", "村代码"), required=True, short="village"),
        Field(
            "assignment",
            "类型",
            "enum",
            ("类型", "安排类型", "驻村类型", "派驻类型", "kind"),
            required=True,
            choices=ASSIGNMENTS,
            synonyms={
                "第一书记": "first_secretary",
                "驻村第一书记": "first_secretary",
                "工作队": "work_team",
                "驻村工作队员": "work_team",
                "工作队员": "work_team",
                "挂点联系": "gua_dian",
                "包村联系": "bao_cun",
            },
            short="kind",
        ),
        Field("start_date", "开始日期", "date", ("开始日期", "起始日期", "派驻日期", "开始时间"), short="start"),
        Field("end_date", "结束日期", "date", ("结束日期", "截止日期", "离任日期", "结束时间"), short="end"),
    ),
    personal=True,
    natural_code=_posting_code,
)
