"""A small demo township (6 villages) and a neighbour in its county, loaded once per test module.

Test modules import the `town` and `db` fixtures from here.
"""

from datetime import date

import pytest
from shapely import affinity
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from geodata.demo import generate
from gridmgmt.db.models import Township
from gridmgmt.services.imports.demo import load_demo
from tests.tables import empty_tables

DAY = date(2026, 1, 1)
NEIGHBOUR_CODE = "441624999000"


def load_town(engine) -> str:
    """Load the demo township and a neighbour township; return the demo township's code."""
    data = generate(seed=3, villages=6, households=600, until=DAY)
    with sessionmaker(engine, expire_on_commit=False)() as session:
        load_demo(session, data)
        town = data.tables["township"].iloc[0]
        # The same outline moved east: a second township in the county, for the inset.
        outline = affinity.translate(town.geom, xoff=town.geom.bounds[2] - town.geom.bounds[0])
        session.add(Township(code=NEIGHBOUR_CODE, name="邻镇", county=town.county, geom=f"SRID=4326;{outline.wkt}"))
        session.commit()
    return town.code


def add_plan_and_sites(engine) -> None:
    """A published grid plan with one cell per village group, and demo sites in every status."""
    with engine.begin() as conn:
        conn.execute(
            text("""
            INSERT INTO grid_plan (township_id, name, status, published_at)
            SELECT id, '测试方案', 'published', now() FROM township WHERE code <> :n"""),
            {"n": NEIGHBOUR_CODE},
        )
        conn.execute(
            text("""
            INSERT INTO grid_cell (plan_id, village_id, code, geom)
            SELECT p.id, g.village_id, g.code, ST_Multi(g.geom) FROM village_group g, grid_plan p
            WHERE ST_GeometryType(g.geom) IN ('ST_Polygon', 'ST_MultiPolygon')""")
        )
        conn.execute(
            text("""
            INSERT INTO grid_membership (plan_id, household_id, cell_id)
            SELECT c.plan_id, h.id, c.id FROM household h JOIN village_group g ON g.id = h.group_id
            JOIN grid_cell c ON c.code = g.code""")
        )
        conn.execute(
            text("""
            INSERT INTO demo_site (party_org_id, status)
            SELECT id, (ARRAY['awarded', 'awarded', 'applied', 'rectifying', 'revoked'])[n]
            FROM (SELECT id, row_number() OVER (ORDER BY code) AS n FROM party_org
                  WHERE venue IS NOT NULL AND org_type <> 'party_committee') o WHERE n <= 5""")
        )


def new_session(engine) -> Session:
    """A session on the test database."""
    return sessionmaker(engine, expire_on_commit=False)()


@pytest.fixture(scope="module")
def town(engine):
    """Code of the loaded demo township, with a grid plan and demo sites; emptied after the module."""
    empty_tables(engine)
    code = load_town(engine)
    add_plan_and_sites(engine)
    yield code
    empty_tables(engine)


@pytest.fixture
def db(engine, town):
    """A session on the loaded township; the audit log is emptied after each test."""
    with new_session(engine) as session:
        yield session
        session.execute(text("DELETE FROM audit_log"))
        session.commit()
