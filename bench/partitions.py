"""Does partitioning household and visit by county pay on the demo city? A measured prototype.

A copy of the city bench database (bench.scale) gets household and visit as declarative
LIST partitions by county code (a new column: the first 6 digits of the township code;
the primary key becomes (id, county_code), as PostgreSQL requires, so the foreign keys
that point at household are dropped), with the same secondary indexes per partition.
grid_membership is empty in the demo (no plan allocated), so it is left out. The household
tile p95, one township's compliance and the 县级总览 are then measured on the copy and on the
original, in turns, with bench.scale's own functions. The copy is dropped at the end.

    .venv/bin/python -m bench.partitions
"""

from psycopg import sql

from bench.scale import DATABASES, STEP_LIMIT_S, TILE_ZOOMS, cold, compliance_s, dashboard_s, paired, tile_p95_ms
from gridmgmt.config import get_settings
from gridmgmt.db.cluster import ensure_database
from gridmgmt.db.roles import connect

COPY = "gridmgmt_bench_scale_part"
# Where each table finds its county: the township code through its village or its cadre.
COUNTY_OF = {
    "household": "SELECT left(t.code, 6) FROM village v JOIN township t ON t.id = v.township_id WHERE v.id = x.village_id",
    "visit": "SELECT left(t.code, 6) FROM cadre c JOIN township t ON t.id = c.township_id WHERE c.id = x.cadre_id",
}


def _partitioned(conn, table: str, counties: list[str]) -> None:
    """Replace TABLE by a copy LIST-partitioned on county_code, indexed as it was."""
    flat = f"{table}_flat"
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
        (table,),
    ).fetchall()
    conn.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(sql.Identifier(table), sql.Identifier(flat)))
    conn.execute(
        sql.SQL(
            "CREATE TABLE {} (LIKE {} INCLUDING DEFAULTS, county_code char(6) NOT NULL) PARTITION BY LIST (county_code)"
        ).format(sql.Identifier(table), sql.Identifier(flat))
    )
    for code in counties:
        conn.execute(
            sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES IN ({})").format(
                sql.Identifier(f"{table}_{code}"), sql.Identifier(table), sql.Literal(code)
            )
        )
    conn.execute(
        sql.SQL("INSERT INTO {} SELECT x.*, ({}) FROM {} x").format(
            sql.Identifier(table), sql.SQL(COUNTY_OF[table]), sql.Identifier(flat)
        )
    )
    conn.execute(sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier(flat)))
    conn.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (id, county_code)").format(sql.Identifier(table)))
    for _, definition in indexes:
        conn.execute(definition)
    conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))


def partitioned_copy() -> str:
    """URL of a fresh copy of the city database with household and visit partitioned by county."""
    settings = get_settings()
    city = DATABASES["city"]
    ensure_database(settings, city)
    with connect(settings.admin_url_for()) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(COPY)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {} OWNER {}").format(
                sql.Identifier(COPY), sql.Identifier(city), sql.Identifier(settings.pg_user)
            )
        )
    url = settings.url_for(COPY)
    with connect(url) as conn:
        counties = [row[0] for row in conn.execute("SELECT DISTINCT left(code, 6) FROM township ORDER BY 1")]
        for table in COUNTY_OF:
            _partitioned(conn, table, counties)
    return url


def main() -> None:
    """Measure the flat city database beside its partitioned copy, print a table, drop the copy."""
    settings = get_settings()
    urls = {"flat": settings.url_for(DATABASES["city"]), "partitioned": partitioned_copy()}
    steps = [(f"农户瓦片 z{z} p95（SQL）", "ms", paired, tile_p95_ms, (z,)) for z in TILE_ZOOMS]
    steps += [("一个镇的走访合规", "s", paired, compliance_s, ()), ("县级总览从零计算", "s", cold, dashboard_s, ())]
    print("| 分区试验（市库） | 不分区 | 按县分区 | 分区 ÷ 不分区 |\n|---|---|---|---|")
    try:
        for name, unit, how, fn, args in steps:
            found = how(fn, STEP_LIMIT_S, urls, *args)
            cells = [
                f"{v:,.2f} {unit}" if v is not None else f"did not finish in {STEP_LIMIT_S} s" for v in found.values()
            ]
            ratio = f"{found['partitioned'] / found['flat']:.2f}×" if None not in found.values() else "—"
            print(f"| {name} | {cells[0]} | {cells[1]} | {ratio} |", flush=True)
    finally:
        with connect(settings.admin_url_for()) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(COPY)))


if __name__ == "__main__":
    main()
