"""The demo city generator: ten distinct counties, codes that never repeat, same seed → same data."""

from datetime import date

import pandas as pd
import shapely

from geodata.demo.city import CITY_COUNTIES, CitySize, generate_city

UNTIL = date(2026, 7, 1)
TINY = CitySize(counties=3, townships=2, villages=3, households=120)


def _tables(seed: int) -> list[dict[str, pd.DataFrame]]:
    return [part.data.tables for part in generate_city(seed, UNTIL, TINY)]


def test_ten_counties_under_heyuan_with_their_own_codes():
    assert len(CITY_COUNTIES) == 10 and len(set(CITY_COUNTIES.values())) == 10
    assert list(CITY_COUNTIES)[0] == "441624"
    assert all(code.startswith("4416") and len(code) == 6 for code in CITY_COUNTIES)
    assert len(CitySize().township_codes()) == 200 == len(set(CitySize().township_codes()))


def test_each_county_part_carries_its_code_in_every_place_code():
    parts = list(generate_city(1, UNTIL, TINY))
    assert [p.code for p in parts] == ["441624", "441602", "441621"]
    for part in parts:
        tables = part.data.tables
        assert (tables["township"].county == part.name).all()
        assert tables["township"].code.tolist() == [f"{part.code}100000", f"{part.code}101000"]
        for table in ("village", "village_group", "household", "road"):
            assert tables[table].code.str.startswith(part.code).all(), table
        assert tables["economic_org"].code.str.slice(2, 8).eq(part.code).all()
        assert len(tables["household"]) > 0 and len(tables["visit"]) > 0
    codes = pd.concat([p.data.tables["household"].code for p in parts])
    assert codes.is_unique


def test_same_seed_same_city_other_seed_other_city():
    first, again, other = _tables(4), _tables(4), _tables(5)
    for a, b in zip(first, again):
        for name in a:
            pd.testing.assert_frame_equal(a[name], b[name], check_like=False)
    assert not first[0]["household"].geom.equals(other[0]["household"].geom)


def test_counties_do_not_overlap():
    outlines = [
        shapely.union_all(part.data.tables["township"].geom.to_numpy()) for part in generate_city(2, UNTIL, TINY)
    ]
    for i, a in enumerate(outlines):
        for b in outlines[i + 1 :]:
            assert a.intersection(b).area < 1e-9
