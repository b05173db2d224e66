"""How the glossary's words are written for users: labels of codes, audit rows, download names,
the map attribution and the one-line description of every metric (docs/wording.md lists them all).

The vocabularies themselves live in gridmgmt.domain.vocab; this module only writes them out, so a
code never reaches a page, a sheet or a message where a word belongs.
"""

import math
from datetime import date, datetime

from gridmgmt.domain import vocab
from gridmgmt.domain.branch_rules import RULES, CoverageRules
from gridmgmt.domain.followups import CATEGORIES, STATES
from gridmgmt.domain.site_review import AWARD_LEVELS

# What a map says in its corner instead of Leaflet's own prefix (and its flag).
ATTRIBUTION = "党建网格化管理"
MISSING = "—"

# Kinds of audited objects: the part of an audit row's target before the colon ("household:4415…").
TARGET_KINDS = {
    "household": "农户",
    "demo_site": "示范点",
    "followup": "跟进事项",
    "photo": "照片",
    "unhelped": "困难户无人结对帮扶名单",
    "plan": "网格方案",
}
# Keys of an audit row's detail.
DETAIL_KEYS = {
    "township": "乡镇",
    "county": "县",
    "sort": "排序",
    "figure": "着色指标",
    "workbook": "表格",
    "cells": "网格",
    "fields": "敏感信息",
    "rows": "条数",
    "from": "原状态",
    "to": "新状态",
    "format": "格式",
    "edit": "修改",
    "year": "年度",
    "updated": "更新条数",
    "inserted": "新增条数",
    "update": "更新已有记录",
    "step": "环节",
    "start": "开始日期",
    "end": "结束日期",
    "sessions": "结束会话数",
    "sensitive": "含敏感信息",
    "role": "角色",
    "replaced_by": "被替换为方案",
    "reason": "原因",
    "reach": "含道路可达性",
    "plan": "网格方案",
    "plan_id": "网格方案",
    "org": "党组织",
    "name": "名称",
    "tokens": "令牌",
    "locked": "锁定网格数",
    "level": "级别",
    "layer": "图层",
    "layers": "图层",
    "kind": "类别",
    "key": "键",
    "households": "户数",
    "day": "日期",
    "chosen": "入选数",
    "stops": "观摩点数",
    "cells_without_worker": "无网格员的网格数",
    "category": "类别",
    "cadre": "干部",
    "bytes": "字节数",
    "before": "修改前",
    "after": "修改后",
    "paper": "纸张",
    "orientation": "方向",
    "workers_assigned": "分配网格员数",
    "households_linked": "联户农户数",
    "contact_point": "联系点",
    "secretary_model": "书记示范点",
}
# Download names (without the extension) of the workbooks and files users take away.
FILE_NAMES = {
    "coverage": "覆盖情况",
    "county": "县级总览",
    "county_map": "县级简报图",
    "demo_sites": "党建示范点",
    "site_tour": "示范点观摩路线",
    "visits": "走访情况",
    "grid_roster": "网格花名册",
    "org_life": "组织生活",
    "audit_log": "审计日志",
    "import_errors": "导入错误",
}
EDITS = {
    "lock": "锁定",
    "unlock": "解锁",
    "move": "移动农户",
    "group": "整组移动",
    "redraw": "重画边界",
    "merge": "合并",
    "split": "拆分",
    "redivide": "相邻网格重新划分",
}
ORIENTATIONS = {"portrait": "纵向", "landscape": "横向"}
# Codes are named from these vocabularies, the key's own first, then any of them.
VALUE_WORDS = {
    "role": vocab.ROLES,
    "step": vocab.REVIEW_STEPS,
    "from": {**vocab.DEMO_SITE_STATUSES, **STATES},
    "to": {**vocab.DEMO_SITE_STATUSES, **STATES},
    "format": vocab.FORMATS,
    "fields": vocab.MUST_VISIT_FLAGS,
    "workbook": FILE_NAMES,
    "category": CATEGORIES,
    "level": AWARD_LEVELS,
    "edit": EDITS,
    "orientation": ORIENTATIONS,
}
ANY_WORD = {
    **vocab.ASSIGNMENTS,
    **vocab.CADRE_ROLES,
    **vocab.EVENT_TYPES,
    **vocab.VISIT_KINDS,
    **vocab.PLAN_STATUSES,
    **vocab.DEMO_SITE_THEMES,
}


def label(words: dict[str, str], code) -> str:
    """The Chinese word of CODE in WORDS; a dash for a missing value (None, NaN), never "nan"."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return MISSING
    return words.get(code, str(code))


def yes_no(value: bool) -> str:
    """是 or 否."""
    return "是" if value else "否"


def value_text(key: str, value, words: dict[str, dict[str, str]] | None = None) -> str:
    """VALUE of detail KEY in words: codes named (from WORDS, then the glossary), lists joined with 、."""
    if isinstance(value, bool):
        return yes_no(value)
    if value is None:
        return MISSING
    if isinstance(value, (list, tuple)):
        return "、".join(value_text(key, item, words) for item in value) or MISSING
    if isinstance(value, dict):
        return "，".join(f"{value_text(key, k, words)} {value_text(k, v, words)}" for k, v in value.items())
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    named = {**VALUE_WORDS.get(key, {}), **(words or {}).get(key, {})}
    return named.get(value) or ANY_WORD.get(value) or str(value)


def detail_text(detail: dict | None, words: dict[str, dict[str, str]] | None = None) -> str:
    """An audit row's DETAIL as 键：值；… in Chinese (WORDS names codes the glossary does not know)."""
    if not detail:
        return ""
    return "；".join(f"{DETAIL_KEYS.get(k, k)}：{value_text(k, v, words)}" for k, v in detail.items())


def target_text(target: str | None) -> str:
    """An audit row's TARGET as users read it: 'household:4415…' → '农户 4415…'."""
    if not target:
        return ""
    kind, colon, rest = target.partition(":")
    return f"{TARGET_KINDS[kind]} {rest}" if colon and kind in TARGET_KINDS else target


def file_name(kind: str, *parts, ext: str) -> str:
    """The download name of a KIND of file: '覆盖情况-441500100000.xlsx'."""
    return "-".join([FILE_NAMES[kind], *map(str, parts)]) + f".{ext}"


# Every measure shown to users: its name and the one line that says what it means. The technical
# names (Polsby–Popper, 变异系数, …) stay in docs/wording.md.
METRICS = {
    # party coverage of a township, village or group (the coverage page's cards and tables)
    "per_100": ("每百户党员", "每 100 户农户中有几名党员，反映党员分布的疏密"),
    "party_households": ("党员户", "家中至少有一名党员的农户户数"),
    "mobile": ("外出流动党员", "常年在外、不在本村参加组织生活的党员人数"),
    "hardship_unhelped": ("困难户无人结对帮扶", "困难户中还没有党员结对帮扶的户数"),
    "venue_far": ("距活动场所过远的户数", "沿道路到最近党群服务中心或活动场所超过规定距离的农户户数"),
    "member_far": ("距党员户过远的户数", "沿道路到最近党员户超过规定距离的农户户数"),
    "off_network": ("离道路过远", "离最近道路太远、距离只能按直线估算的农户"),
    # a grid plan (the grid editor's summary)
    "cells": ("网格数", "本方案划分出的网格个数"),
    "households": ("农户数", "划入网格的农户户数"),
    "workload_max_min": ("最重网格是最轻网格的几倍", "各网格工作量最多的与最少的之比，越接近 1 越均衡"),
    "workload_cv": ("工作量差异程度", "各网格工作量相差多少（0 为完全一样），越小越均衡"),
    "worst_deviation": ("最大偏离本村平均", "工作量离本村网格平均值最远的网格偏离了多少"),
    "compactness": ("形状规整度", "网格形状接近圆形的程度（1 为圆形），越小越狭长、曲折"),
    "contiguous_share": ("连成一片的网格", "没有被分成几块的网格所占比例"),
    "out_of_bounds": ("超出上下限的网格", "工作量低于下限或高于上限的网格"),
    # the rules of a grid plan
    "must_visit_extra": ("必访户多算户数", "一户必访户在工作量中多算几户，如 0.5 即按 1.5 户计"),
    "tolerance": ("允许偏离本村平均", "每个网格的工作量最多可以比本村平均多或少的比例，如 0.2 即 ±20%"),
    # choosing demo sites
    "k": ("选出示范点个数", "要选出的党建示范点个数，留空则按候选情况自动确定"),
    "corridor_m": ("道路两侧范围（米）", "国道、省道、县道两侧多少米以内算作“靠近主要道路”"),
    "catchment_m": ("服务范围（米，沿道路）", "沿道路多少米以内的行政村和农户算作示范点能带动的范围"),
    "objective": ("综合得分", "入选示范点的得分之和（含服务范围加分），越高越好"),
    "arrive_min": ("预计到达（出发后分钟）", "从出发算起，按车速和每点停留时间估算的到达时间"),
}


def metric(key: str) -> str:
    """The name of metric KEY."""
    return METRICS[key][0]


def descriptions() -> dict[str, str]:
    """The one-line description of every measure, by the name users read."""
    return dict(METRICS.values())


def distance_text(metres: float) -> str:
    """METRES as users say it: '2 公里' from 1,000 metres up, else '500 米'."""
    return f"{metres / 1000:g} 公里" if metres >= 1000 else f"{metres:g} 米"


def rule_titles(rules: CoverageRules) -> dict[str, str]:
    """The coverage rules' titles (branch_rules.RULES), the two reach rules with RULES' distances."""
    return RULES | {
        "venue_far": f"距党群服务中心或活动场所超过 {distance_text(rules.venue_reach_m)}的农户",
        "member_far": f"距最近党员户超过 {distance_text(rules.member_reach_m)}的农户",
    }
