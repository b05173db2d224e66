"""The demo city: ten counties of twenty townships (about 2,000,000 households), one county at a time.

Each county is built like the county demo (`build_county`) inside its share of one city
outline, with its own 6-digit code under 河源 (4416xx), so township, village and household
codes never repeat. Same seed and `until` → identical data; the counties come one by one so
that a loader can write and forget each (a whole city does not sit in memory at once).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import numpy as np

from geodata.demo import (
    HOUSEHOLDS_PER_TOWNSHIP,
    SCALES,
    VILLAGES_PER_TOWNSHIP,
    DemoData,
    build_county,
    names,
    township_codes,
    township_radius,
)
from geodata.demo.shapes import blob, tile

# 河源's counties (和平县 first: the county demo's code), then four made-up ones to reach ten.
CITY_COUNTIES = {
    "441624": "和平县",
    "441602": "源城区",
    "441621": "紫金县",
    "441622": "龙川县",
    "441623": "连平县",
    "441625": "东源县",
    "441626": "青溪县",
    "441627": "石门县",
    "441628": "云岭县",
    "441629": "白沙县",
}


@dataclass(frozen=True)
class CitySize:
    """How big the generated city is: counties, townships per county, villages and households per township."""

    counties: int = len(CITY_COUNTIES)
    townships: int = SCALES["county"]
    villages: int = VILLAGES_PER_TOWNSHIP
    households: int = HOUSEHOLDS_PER_TOWNSHIP

    def county_codes(self) -> list[str]:
        """The 6-digit codes of the counties generated."""
        return list(CITY_COUNTIES)[: self.counties]

    def township_codes(self) -> list[str]:
        """The 12-digit codes of every township generated (the seed does not change them)."""
        return [code for county in self.county_codes() for code in township_codes("county", county, self.townships)]


@dataclass(frozen=True)
class CountyPart:
    """One generated county of the city."""

    code: str
    name: str
    data: DemoData


def generate_city(seed: int = 1, until: date | None = None, size: CitySize = CitySize()) -> Iterator[CountyPart]:
    """The counties of the demo city for SEED, one at a time; visits end the day before UNTIL."""
    until = until or date(2026, 1, 1)
    rng = np.random.default_rng([seed, len(CITY_COUNTIES)])
    radius = township_radius(size.villages) * np.sqrt(size.townships * size.counties)
    counties, _ = tile(rng, blob(rng, (0.0, 0.0), radius), size.counties)
    for c, (code, outline) in enumerate(zip(size.county_codes(), counties)):
        county_rng = np.random.default_rng([seed, c, 0])
        outlines, _ = tile(county_rng, outline, size.townships)
        town_names = names.place_names(county_rng, size.townships, "镇")
        codes = township_codes("county", code, size.townships)
        data = build_county(
            [seed, c, 1], outlines, codes, town_names, CITY_COUNTIES[code], until, (size.villages, size.households)
        )
        firms = data.tables["economic_org"]
        # The credit code's characters 3–8 are the registering county's code.
        firms["code"] = firms["code"].str.slice_replace(2, 8, code)
        yield CountyPart(code, CITY_COUNTIES[code], data)
