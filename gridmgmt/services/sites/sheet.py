"""The demo-site review sheet (Excel): candidates with score breakdowns, the sites against the
创建标准, the review record."""

import io

from sqlalchemy.orm import Session

from gridmgmt.domain.clock import local_text
from gridmgmt.domain.site_criteria import CRITERIA, SiteConfig, corridor_distance
from gridmgmt.domain.site_review import AWARD_LEVELS, STEP_LABEL_OF_STATUS
from gridmgmt.domain.site_standards import venue_standard
from gridmgmt.domain.vocab import DEMO_SITE_THEMES, ORG_FIELDS, ROAD_CLASSES
from gridmgmt.domain.wording import file_name
from gridmgmt.reports.sheets import EXPORT_WORKBOOK, add_sheet, new_book
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.sites.records import site_records
from gridmgmt.services.sites.selection import Scored, township_id


def _metres(value: float | None):
    return "" if value is None else round(value)


def candidate_rows(scored: list[Scored], config: SiteConfig, chosen=frozenset()) -> tuple[list, list]:
    """Headers and one row per candidate: standards, spatial criteria, points, exclusions."""
    headers = (
        ["党组织编码", "党组织名称", "领域", "示范主题", "状态", "入选", "合格", "总分", "服务范围加分", "综合得分"]
        + list(CRITERIA.values())
        + ["场所面积(m²)", "正式党员", "支委人数", f"距{'/'.join(ROAD_CLASSES[c] for c in config.corridor_classes)}(m)"]
        + [f"距{label}(m)" for label in ROAD_CLASSES.values()]
        + [
            "到乡镇驻地道路距离(m)",
            f"{config.catchment_m:g}米内行政村",
            f"{config.catchment_m:g}米内农户",
            "上级党委",
            "阵地标准",
            "不合格原因",
        ]
    )
    rows = []
    for s in scored:
        c, sc = s.candidate, s.score
        rows.append(
            [
                c.code,
                c.name,
                ORG_FIELDS.get(c.field, c.field),
                DEMO_SITE_THEMES.get(c.theme, ""),
                STEP_LABEL_OF_STATUS.get(c.status, "未申报"),
                "是" if c.party_org_id in chosen else "",
                "否" if sc.excluded else "是",
                sc.total,
                sc.catchment_points,
                sc.objective,
            ]
            + [sc.breakdown.get(k, 0.0) for k in CRITERIA]
            + [c.venue_area_m2, c.full_members, c.committee_size, _metres(corridor_distance(c, config))]
            + [_metres(c.road_m.get(k)) for k in ROAD_CLASSES]
            + [_metres(c.seat_road_m), c.catchment_villages, c.catchment_households, c.committee_name]
            + [venue_standard(c.field, config.standard)[0], "；".join(sc.excluded)]
        )
    return headers, rows


HISTORY_HEADER = [
    "党组织编码",
    "党组织名称",
    "环节",
    "原状态",
    "新状态",
    "级别",
    "年度",
    "评审意见/原因",
    "评审人",
    "时间",
    "已撤销",
]
STANDARD_HEADER = ["党组织编码", "党组织名称", "状态", "示范主题", "亮点", "创建标准", "缺项"]


def _standard_rows(sites) -> list[list]:
    """One row per site: its theme, 亮点 and what it lacks against the 创建标准 today."""
    return [
        [
            site.code,
            site.name,
            STEP_LABEL_OF_STATUS[site.status],
            DEMO_SITE_THEMES.get(site.theme, ""),
            site.highlight or "",
            "未达标" if site.shortfalls else "达标",
            "；".join(site.shortfalls),
        ]
        for site in sites
    ]


def _history_rows(sites, tz: str) -> list[list]:
    rows = []
    for site in sites:
        for h in site.history:
            rows.append(
                [
                    site.code,
                    site.name,
                    h.label,
                    STEP_LABEL_OF_STATUS.get(h.from_status, "未申报"),
                    STEP_LABEL_OF_STATUS[h.to_status],
                    AWARD_LEVELS.get(h.level, ""),
                    h.year,
                    h.comment or "",
                    h.decided_by,
                    local_text(h.decided_at, tz),
                    "是" if h.undone else "",
                ]
            )
    return rows


def review_sheet(
    session: Session,
    township_code: str,
    scored: list[Scored],
    config: SiteConfig,
    chosen=frozenset(),
    *,
    actor: Actor,
    tz: str,
) -> bytes:
    """The review sheet as XLSX bytes: 候选评分, 创建标准 and 评审记录 (times in the time zone TZ);
    writes the audit row and commits."""
    sites = site_records(session, township_id(session, township_code), config.standard)
    book = new_book()
    add_sheet(book, "候选评分", *candidate_rows(scored, config, chosen))
    add_sheet(book, "创建标准", STANDARD_HEADER, _standard_rows(sites))
    add_sheet(book, "评审记录", HISTORY_HEADER, _history_rows(sites, tz))
    out = io.BytesIO()
    book.save(out)
    record(
        session,
        actor,
        EXPORT_WORKBOOK,
        target=file_name("demo_sites", township_code, ext="xlsx"),
        detail={"workbook": "demo_sites", "township": township_code, "chosen": len(chosen)},
    )
    session.commit()
    return out.getvalue()
