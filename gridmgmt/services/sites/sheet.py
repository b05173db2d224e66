"""The demo-site review sheet (Excel): candidates with score breakdowns, the review record."""

import io

from sqlalchemy.orm import Session

from gridmgmt.domain.site_criteria import CRITERIA, SiteConfig, corridor_distance
from gridmgmt.domain.site_review import AWARD_LEVELS, STEP_LABEL_OF_STATUS
from gridmgmt.domain.vocab import DEMO_SITE_THEMES, ORG_FIELDS, ROAD_CLASSES
from gridmgmt.reports.sheets import EXPORT_WORKBOOK, add_sheet, new_book
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.sites.review import site_records
from gridmgmt.services.sites.selection import Scored, township_id


def _metres(value: float | None):
    return "" if value is None else round(value)


def candidate_rows(scored: list[Scored], config: SiteConfig, chosen=frozenset()) -> tuple[list, list]:
    """Headers and one row per candidate: standards, spatial criteria, points, exclusions."""
    headers = (
        ["党组织编码", "党组织名称", "领域", "示范主题", "状态", "入选", "合格", "总分", "辐射加分", "目标值"]
        + list(CRITERIA.values())
        + ["场所面积(m²)", "正式党员", "支委人数", f"距{'/'.join(ROAD_CLASSES[c] for c in config.corridor_classes)}(m)"]
        + [f"距{label}(m)" for label in ROAD_CLASSES.values()]
        + [
            "到乡镇驻地道路距离(m)",
            f"{config.catchment_m:g}米内行政村",
            f"{config.catchment_m:g}米内农户",
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
            + [_metres(c.seat_road_m), c.catchment_villages, c.catchment_households, "；".join(sc.excluded)]
        )
    return headers, rows


HISTORY_HEADER = ["党组织编码", "党组织名称", "环节", "原状态", "新状态", "级别", "年度", "评审意见", "评审人", "时间"]


def _history_rows(session: Session, town: int) -> list[list]:
    rows = []
    for site in site_records(session, town):
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
                    h.decided_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                ]
            )
    return rows


def review_sheet(
    session: Session,
    township_code: str,
    scored: list[Scored],
    config: SiteConfig,
    chosen=frozenset(),
    actor: Actor = Actor("unknown"),
) -> bytes:
    """The review sheet as XLSX bytes: 候选评分 and 评审记录; writes the audit row and commits."""
    book = new_book()
    add_sheet(book, "候选评分", *candidate_rows(scored, config, chosen))
    add_sheet(book, "评审记录", HISTORY_HEADER, _history_rows(session, township_id(session, township_code)))
    out = io.BytesIO()
    book.save(out)
    record(
        session,
        actor,
        EXPORT_WORKBOOK,
        target=f"demo-sites-{township_code}.xlsx",
        detail={"workbook": "demo_sites", "township": township_code, "chosen": len(chosen)},
    )
    session.commit()
    return out.getvalue()
