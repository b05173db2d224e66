"""Compliance as tables with Chinese headers: for the CLI, JSON and an Excel workbook.

Rows that name 必访 households (duties whose targets are flagged households) reveal
sensitive flags: they are left out unless asked for, and asking is audited.
"""

import io
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import STATUSES, per_cadre, summarise
from gridmgmt.domain.duties import PERIODS
from gridmgmt.domain.vocab import CADRE_ROLES, EVENT_TYPES
from gridmgmt.domain.wording import file_name
from gridmgmt.reports.sheets import EXPORT_WORKBOOK, add_sheet, new_book
from gridmgmt.services.accounts.audit import Actor, record
from gridmgmt.services.visits.compliance import CodeNotFound, Compliance
from gridmgmt.services.visits.places import URGENT_FIRST

COUNT_HEADERS = {"done": "已完成", "due": "待走访", "overdue": "逾期", "total": "应走访", "rate": "完成率"}
EVENT_STATES = {"overdue": "逾期未到场", "open": "待到场", "late": "超时到场"}
# Completion tables worst first: the lowest done rate, then the most overdue.
WORST_FIRST = {"by": ["rate", "overdue"], "ascending": [True, False]}


@dataclass(frozen=True)
class ReportFilter:
    """Narrow a report to one village or one cadre (codes), and whether to name 必访 households."""

    village: str | None = None
    cadre: str | None = None
    include_sensitive: bool = False


def narrow(comp: Compliance, f: ReportFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """COMP's (status rows, events) in F's village; with F's cadre, that cadre's rows (CodeNotFound for unknown codes)."""
    status, events = comp.status, comp.events
    if f.village:
        villages = comp.data.villages
        match = villages.id[villages.code == f.village]
        if match.empty:
            raise CodeNotFound(f"本乡镇没有编码为 {f.village} 的行政村")
        status, events = status[status.village_id == match.iat[0]], events[events.village_id == match.iat[0]]
    if f.cadre:
        cadres = comp.data.staff.cadres
        match = cadres.id[cadres.code == f.cadre]
        if match.empty:
            raise CodeNotFound(f"本乡镇没有编码为 {f.cadre} 的干部")
        # Their rows, each carrying their id: the shared ones become theirs too; others' own rows go.
        status = per_cadre(status, comp.pairs[comp.pairs.cadre_id == match.iat[0]])
        status = status[status.cadre_id == match.iat[0]]
    return status, events


def _counts(frame: pd.DataFrame, keys: dict[str, str]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=[*keys.values(), *COUNT_HEADERS.values()])
    table = summarise(frame, list(keys)).sort_values(**WORST_FIRST, kind="stable")
    return table[[*keys, *COUNT_HEADERS]].rename(columns={**keys, **COUNT_HEADERS}).reset_index(drop=True)


def report_tables(
    comp: Compliance, f: ReportFilter = ReportFilter(), residence: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Sheet name → table: by duty, by village, by cadre, the open list, the events, and with
    RESIDENCE (gridmgmt.services.visits.residence) the residents' days in their village."""
    status, events = narrow(comp, f)
    duties = {d.code: d for d in comp.duties}
    villages = comp.data.villages.set_index("id")
    named = status.assign(
        职责=status.duty.map(lambda c: duties[c].name),
        周期=status.duty.map(lambda c: PERIODS[duties[c].period]),
        行政村=status.village_id.map(villages.name),
    )
    cadres = comp.data.staff.cadres.set_index("id")
    mine = per_cadre(status, comp.pairs).assign(
        干部=lambda t: _cadre_label(t.cadre_id, cadres),
        角色=lambda t: t.cadre_id.map(cadres.cadre_role).map(CADRE_ROLES),
        职责=lambda t: t.duty.map(lambda c: duties[c].name),
    )
    return {
        "职责汇总": _counts(named, {"职责": "职责", "周期": "周期"}),
        "分村": _counts(named, {"行政村": "行政村", "职责": "职责"}),
        "分人": _counts(mine, {"干部": "干部", "角色": "角色", "职责": "职责"}),
        "待走访清单": _open_list(comp, named, duties, f.include_sensitive),
        "四必到事件": _event_table(events, villages, comp.settings.timezone),
        **({} if residence is None else {"驻村在村天数": _residence_table(comp, residence, f)}),
    }


RESIDENCE_STATES = {"short": "不足", "met": "达标", "open": "本月进行中"}


def _residence_table(comp: Compliance, residence: pd.DataFrame, f: ReportFilter) -> pd.DataFrame:
    """The residents' days in their village per month (003 三.5), narrowed like the other tables."""
    cadres = comp.data.staff.cadres.set_index("id")
    villages = comp.data.villages.set_index("id")
    rows = residence
    if f.village:
        rows = rows[rows.village_id.map(villages.code) == f.village]
    if f.cadre:
        rows = rows[rows.cadre_id.map(cadres.code) == f.cadre]
    state = [("short" if s else "met") if c else "open" for c, s in zip(rows.complete, rows.short)]
    return pd.DataFrame(
        {
            "干部": _cadre_label(rows.cadre_id, cadres),
            "角色": rows.cadre_id.map(cadres.cadre_role).map(CADRE_ROLES),
            "行政村": rows.village_id.map(villages.name),
            "月份": [m.strftime("%Y-%m") for m in rows.month],
            "在村天数": rows.days,
            "应在村天数": rows.required,
            "状态": [RESIDENCE_STATES[s] for s in state],
        }
    ).reset_index(drop=True)


def _cadre_label(ids: pd.Series, cadres: pd.DataFrame) -> pd.Series:
    """Each cadre of IDS as 姓名（编码）, from CADRES indexed by id."""
    return ids.map(cadres.name).astype("string") + "（" + ids.map(cadres.code).astype("string") + "）"


def _open_list(comp: Compliance, named: pd.DataFrame, duties: dict, sensitive: bool) -> pd.DataFrame:
    def of_target(target: str) -> list[str]:
        return [code for code, duty in duties.items() if duty.target == target]

    keep = named[named.status != "done"]
    if not sensitive:
        keep = keep[~keep.duty.isin(of_target("flagged_households"))]
    homes = comp.data.households.set_index("id")
    groups = comp.data.groups.set_index("id")
    on_group = keep.duty.isin(of_target("village_groups"))
    code = keep.target_id.map(homes.code).where(~on_group, keep.target_id.map(groups.code))
    name = keep.target_id.map(homes["head"]).where(~on_group, keep.target_id.map(groups.name))
    # Most overdue first: overdue before due, then the longest unvisited (never visited first).
    keep = keep.assign(rank=keep.status.map(URGENT_FIRST.index), target_code=code, target_name=name)
    keep = keep.sort_values(["rank", "last_visit", "行政村", "target_code"], na_position="first", kind="stable")
    table = pd.DataFrame(
        {
            "行政村": keep.行政村,
            "编码": keep.target_code,
            "农户/小组": keep.target_name,
            "职责": keep.职责,
            "状态": keep.status.map(STATUSES),
            "最近走访": pd.to_datetime(keep.last_visit).dt.strftime("%Y-%m-%d"),
        }
    )
    return table.reset_index(drop=True)


def _event_table(events: pd.DataFrame, villages: pd.DataFrame, tz: str) -> pd.DataFrame:
    # Overdue first, then open, then attended late; open ones by the nearest deadline, the others newest first.
    shown = pd.concat(
        [
            events[events.state == "overdue"].sort_values("reported_at", ascending=False),
            events[events.state == "open"].sort_values("attend_by"),
            events[events.state == "late"].sort_values("reported_at", ascending=False),
        ]
    )

    def local(column: str) -> pd.Series:
        return pd.to_datetime(shown[column], utc=True).dt.tz_convert(tz).dt.strftime("%Y-%m-%d %H:%M")

    return pd.DataFrame(
        {
            "行政村": shown.village_id.map(villages.name),
            "类型": shown.event_type.map(EVENT_TYPES),
            "上报时间": local("reported_at"),
            "到场时限": local("attend_by"),
            "状态": shown.state.map(EVENT_STATES),
            "到场时间": local("attended_at"),
        }
    ).reset_index(drop=True)


def audit_export(session: Session, actor: Actor, comp: Compliance, fmt: str, sensitive: bool) -> None:
    """Write the export of COMP's tables (head names; with SENSITIVE, 必访 households) into the audit log; commit."""
    record(
        session,
        actor,
        "export_sensitive" if sensitive else EXPORT_WORKBOOK,
        target=file_name("visits", comp.data.township["code"], comp.day, ext=fmt),
        detail={
            "workbook": "visits",
            "township": comp.data.township["code"],
            "day": comp.day.isoformat(),
            "format": fmt,
            "sensitive": sensitive,
        },
    )
    session.commit()


def workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per table, Chinese headers, widths that fit."""
    book = new_book()
    for title, table in tables.items():
        add_sheet(
            book,
            title,
            list(table.columns),
            ([None if pd.isna(v) else v for v in row] for row in table.itertuples(index=False)),
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_workbook(
    session: Session, actor: Actor, comp: Compliance, tables: dict[str, pd.DataFrame], sensitive: bool = False
) -> bytes:
    """The .xlsx of TABLES (made from COMP), audited as ACTOR's and committed."""
    data = workbook(tables)
    audit_export(session, actor, comp, "xlsx", sensitive)
    return data
