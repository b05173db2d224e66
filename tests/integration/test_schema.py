"""The migrations build exactly the models' schema, and go down and up again."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from gridmgmt.config import get_settings
from gridmgmt.db.cluster import ensure_database
from gridmgmt.db.migrate import EXTENSION_TABLES, downgrade, include_object, upgrade
from gridmgmt.db.models import Base, Township
from tests.web.sample import add_small_township


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_extensions_present(engine):
    with engine.connect() as conn:
        names = set(conn.execute(text("SELECT extname FROM pg_extension")).scalars())
    assert {"postgis", "pgrouting"} <= names


def _own_database(suffix: str) -> str:
    # A database of its own: dropping PostGIS under other tests' pooled connections breaks them.
    settings = get_settings()
    name = f"{settings.test_db_name}_{suffix}"
    ensure_database(settings, name)
    return settings.url_for(name)


def test_downgrade_base_then_upgrade_head(db_url):
    url = _own_database("migrations")
    upgrade(url, "head")
    downgrade(url, "base")
    eng = create_engine(url)
    with eng.connect() as conn:
        left = set(
            conn.execute(
                text(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                    "AND table_type = 'BASE TABLE'"
                )
            ).scalars()
        )
    eng.dispose()
    upgrade(url, "head")
    # The local cluster's superuser made PostGIS, and its tables stay.
    assert left - EXTENSION_TABLES == {"alembic_version"}


def test_invalid_geometry_refused_by_database(session):
    bowtie = "SRID=4326;MULTIPOLYGON(((0 0,1 1,1 0,0 1,0 0)))"
    session.add(Township(code="441521100000", name="测试镇", geom=bowtie))
    with pytest.raises(IntegrityError, match="geom_valid"):
        session.commit()


@pytest.mark.parametrize(
    "point",
    ["ST_MakePoint(500, 23)", "ST_MakePoint(115, -91)", "ST_MakePoint('NaN', 23)", "ST_GeomFromText('POINT EMPTY')"],
)
def test_a_point_off_longitude_and_latitude_is_refused_by_database(session, point):
    """Migration 0028: an empty point, or one off -180..180 / -90..90, is refused (ST_IsValid let the first two
    kinds through); a point in range is stored."""
    add_small_township(session)
    session.commit()
    insert = (
        "INSERT INTO household (village_id, code, head, geom) "
        "SELECT id, :code, '测试', ST_SetSRID({}, 4326) FROM village ORDER BY id LIMIT 1"
    )
    session.execute(text(insert.format("ST_MakePoint(115.7, 23.9)")), {"code": "441624100001999"})
    with pytest.raises(IntegrityError, match="geom_lonlat"):
        session.execute(text(insert.format(point)), {"code": "441624100001998"})


def test_plans_stored_before_0030_are_marked_by_how_they_were_drawn(db_url):
    """Migration 0030: plans stored before it were drawn the old way ("households"), except those imported from
    a file of cell polygons ("file", found from their audit rows); plans made afterwards are "groups"."""
    url = _own_database("outlines")
    downgrade(url, "base")
    upgrade(url, "0029")
    eng = create_engine(url)
    with eng.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO township (id, code, name, geom) VALUES "
                "(1, '441624100000', '镇', 'SRID=4326;MULTIPOLYGON(((116 24,116.01 24,116 24.01,116 24)))')"
            )
        )
        conn.execute(
            text("INSERT INTO grid_plan (id, township_id, name) VALUES (1, 1, '划分'), (2, 1, '综治'), (3, 1, '清单')")
        )
        conn.execute(
            text(
                "INSERT INTO audit_log (actor, action, detail) VALUES "
                "('p', 'import_grid_plan', '{\"plan_id\": 2, \"kind\": \"grid_cells\"}'), "
                "('p', 'import_grid_plan', '{\"plan_id\": 3, \"kind\": \"grid_members\"}')"
            )
        )
    upgrade(url, "head")
    with eng.begin() as conn:
        conn.execute(text("INSERT INTO grid_plan (id, township_id, name) VALUES (4, 1, '新划分')"))
        marked = conn.execute(text("SELECT id, outlines FROM grid_plan ORDER BY id")).all()
    eng.dispose()
    assert marked == [(1, "households"), (2, "file"), (3, "households"), (4, "groups")]
