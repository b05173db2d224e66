"""Loading a tiny demo city: two counties county by county, their codes apart, one transaction."""

from datetime import date

import pytest
from sqlalchemy import text

from geodata.demo.city import CitySize
from gridmgmt.services.accounts.scopes import county_scope
from gridmgmt.services.imports.demo import DemoExists, run_demo

UNTIL = date(2026, 7, 1)
TINY = CitySize(counties=2, townships=2, villages=3, households=120)


def _scalar(session, sql: str):
    return session.execute(text(sql)).scalar_one()


def test_two_tiny_counties_load_with_their_codes_indexes_and_keys(session):
    said = []
    counts = run_demo(session, 1, "city", UNTIL, if_empty=False, say=said.append, city=TINY)
    assert [line.split("：")[0] for line in said if line.startswith("县 ")] == [
        "县 1/2 441624 和平县",
        "县 2/2 441602 源城区",
    ]
    assert counts["township"] == 4 and counts["household"] == _scalar(session, "SELECT count(*) FROM household")
    assert counts["visit"] == _scalar(session, "SELECT count(*) FROM visit") > 0
    towns = session.execute(text("SELECT left(code, 6), county, count(*) FROM township GROUP BY 1, 2 ORDER BY 1")).all()
    assert [tuple(t) for t in towns] == [("441602", "源城区", 2), ("441624", "和平县", 2)]
    # Every household's code starts with its own township's: no county borrows another's codes.
    strays = _scalar(
        session,
        "SELECT count(*) FROM household h JOIN village v ON v.id = h.village_id JOIN township t ON t.id = v.township_id "
        "WHERE left(h.code, 9) <> left(t.code, 9)",
    )
    assert strays == 0
    # The indexes and foreign keys dropped for the load are back.
    assert _scalar(session, "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_household_geom'") == 1
    keys = _scalar(session, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'visit'::regclass AND contype = 'f'")
    assert keys >= 4
    ids = county_scope(session, "leader", "441602").township_ids
    assert len(ids) == 2
    with pytest.raises(DemoExists, match="441624100000"):
        run_demo(session, 2, "city", UNTIL, if_empty=False, city=TINY)
    assert _scalar(session, "SELECT count(*) FROM township") == 4
