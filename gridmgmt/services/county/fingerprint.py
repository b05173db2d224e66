"""Numbers that change when what the county overview is made from changes.

The figures but the visits: tables with a data version (kept by triggers,
gridmgmt.db.queries.data_version) give theirs; the other small tables their row count and latest
update. A township's visit figures: for every table its compliance reads, the township's rows are
counted and the ids of the transactions that last wrote them (PostgreSQL's xmin) summed, so any
insert, update or delete of that township's rows, by the app or by hand, changes its stamp and
no other township's. The duties are the same for all townships.
"""

import hashlib

from sqlalchemy import BigInteger, Select, Text, cast, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from gridmgmt.db.models import (
    Cadre,
    CadreVillage,
    Event,
    GridCell,
    GridMembership,
    GridPlan,
    Household,
    PartyMember,
    Village,
    VillageGroup,
    Visit,
)
from gridmgmt.db.models.duties import Duty
from gridmgmt.db.queries import data_version

VERSIONED = ("township", "village", "village_group", "household", "party_org", "grid_plan", "grid_cell", "demo_site")
COUNTED = (Cadre, CadreVillage, Event, PartyMember, Duty)


def fingerprint(session: Session) -> tuple:
    """The data version of VERSIONED and the count and latest update of COUNTED."""
    counted = [select(f(t.updated_at)).scalar_subquery() for t in COUNTED for f in (func.count, func.max)]
    return (data_version(session, VERSIONED), *session.execute(select(*counted)).one())


def _written(model) -> object:
    """The id of the transaction that last wrote each row of MODEL's table (xmin, as a number)."""
    return cast(cast(literal_column(f"{model.__tablename__}.xmin"), Text), BigInteger)


# Each table compliance reads, with the township its rows belong to (through their village,
# cadre or plan); (model, township column, the join that reaches it or None).
_SOURCES = (
    (Village, Village.township_id, None),
    (VillageGroup, Village.township_id, (Village, Village.id == VillageGroup.village_id)),
    (Household, Village.township_id, (Village, Village.id == Household.village_id)),
    (Event, Village.township_id, (Village, Village.id == Event.village_id)),
    (Cadre, Cadre.township_id, None),
    (CadreVillage, Cadre.township_id, (Cadre, Cadre.id == CadreVillage.cadre_id)),
    (Visit, Cadre.township_id, (Cadre, Cadre.id == Visit.cadre_id)),
    (GridPlan, GridPlan.township_id, None),
    (GridCell, GridPlan.township_id, (GridPlan, GridPlan.id == GridCell.plan_id)),
    (GridMembership, GridPlan.township_id, (GridPlan, GridPlan.id == GridMembership.plan_id)),
)
# What a township's figures are made from, as data versions (triggers, migrations 0011, 0018, 0026).
COMPLIANCE_TABLES = (*(model.__tablename__ for model, _, _ in _SOURCES), Duty.__tablename__)


def _source_rows(model, township, join, township_ids: list[int]) -> Select:
    """(table, township id, rows, sum of their writing transactions) of MODEL per township."""
    rows = select(
        literal(model.__tablename__).label("source"),
        township.label("township_id"),
        func.count().label("rows"),
        func.coalesce(func.sum(_written(model)), 0).label("written"),
    ).select_from(model)
    if join is not None:
        rows = rows.join(*join)
    return rows.where(township.in_(township_ids)).group_by(township)


def township_stamps(session: Session, township_ids: list[int]) -> dict[int, str]:
    """Township id → a digest that changes whenever a row its visit compliance reads changes
    (its villages, groups, households, events, cadres, postings, visits, plans, cells and
    memberships, and the duties of every township)."""
    found = session.execute(union_all(*(_source_rows(*source, township_ids) for source in _SOURCES))).all()
    duties = session.execute(select(func.count(), func.coalesce(func.sum(_written(Duty)), 0)).select_from(Duty)).one()
    parts = {t: [f"duty:{duties[0]}:{duties[1]}"] for t in township_ids}
    for source, township, rows, written in sorted(found):
        parts[township].append(f"{source}:{rows}:{written}")
    return {t: hashlib.sha256("|".join(p).encode()).hexdigest() for t, p in parts.items()}
