"""The tables an import works on, as Core: its TEMP tables, and the database's tables as the catalog lists them.

The catalog rather than the ORM models: loading every model would cost each `gridmgmt import` a quarter
second of start-up, and the table an import writes is only known from its layer at run time.
"""

from collections import defaultdict

from sqlalchemy import BigInteger, Boolean, Column, Date, Double, Integer, MetaData, String, Table, Text, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause, column, table
from sqlalchemy.types import UserDefinedType

from geodata.prepare import Prepared
from gridmgmt.db.bulk import SRID

STAGE = "import_stage"
# The stage's column type for each kind of field.
KINDS = {"text": Text, "enum": Text, "int": BigInteger, "float": Double, "bool": Boolean, "date": Date}
# Resolved foreign keys, filled by the checks in links.py.
ID_COLUMNS = ("village_id", "group_id", "household_id", "party_org_id", "party_member_id", "cadre_id")
# The tables an import reads besides the one it writes.
LOOKUPS = ("township", "village", "village_group", "household", "party_org", "party_member", "cadre")

_COLUMNS = table(
    "columns",
    column("table_schema"),
    column("table_name"),
    column("column_name"),
    column("character_maximum_length"),
    column("ordinal_position"),
    schema="information_schema",
)


class Geometry(UserDefinedType):
    """A PostGIS geometry column of a TEMP table (KIND, EPSG:4326); values pass through untouched."""

    cache_ok = True

    def __init__(self, kind: str = "Geometry"):
        self.kind = kind

    def get_col_spec(self, **_) -> str:
        """The column type in DDL."""
        return f"geometry({self.kind}, {SRID})"


def temporary(name: str, *columns: Column) -> Table:
    """A TEMP table NAME of COLUMNS, dropped at commit."""
    return Table(name, MetaData(), *columns, prefixes=["TEMPORARY"], postgresql_on_commit="DROP")


# Located rows: their village, township and (households) village group.
PLACE = temporary(
    "import_place",
    Column("row", Integer, nullable=False),
    Column("village_id", BigInteger),
    Column("township_id", BigInteger),
    Column("group_id", BigInteger),
)
# For rows that are not points: the point each row is located by.
SPOT = temporary("import_spot", Column("row", Integer, nullable=False), Column("geom", Geometry("Point")))


def stage_table(prepared: Prepared) -> Table:
    """The staging table of PREPARED: row (record number), its stored columns, ids, geometries, version read."""
    fields = [Column(c, KINDS[prepared.layer.field(c).kind]) for c in prepared.stored_columns()]
    return temporary(
        STAGE,
        Column("row", Integer, nullable=False),
        *fields,
        *(Column(c, BigInteger) for c in ID_COLUMNS),
        # Points are located in Python before staging (places.py): their village, township and group.
        *(Column(f"place_{c}", BigInteger) for c in ("village_id", "township_id", "group_id")),
        Column("geom", Geometry()),
        Column("seat", Geometry("Point")),
        Column("seen_version", Integer),
    )


def catalog(session: Session, names: set[str]) -> dict[str, TableClause]:
    """The tables NAMES as the catalog lists them; text columns with a limit are String(limit)."""
    c = _COLUMNS
    rows = session.execute(
        select(c.c.table_name, c.c.column_name, c.c.character_maximum_length)
        .where(c.c.table_schema == func.current_schema(), c.c.table_name.in_(sorted(names)))
        .order_by(c.c.table_name, c.c.ordinal_position)
    ).all()
    columns = defaultdict(list)
    for name, column_name, limit in rows:
        columns[name].append(column(column_name, String(limit) if limit else None))
    return {name: table(name, *columns[name]) for name in names}
