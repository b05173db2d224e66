"""A small hand-made township for web and browser tests.

Township 示范镇 (441500100000) is the box 115.70–115.76 E × 23.88–23.92 N, split
into 东村 (east) and 西村 (west) at 115.73; each village has two groups, one
north and one south of 23.90. Five households, three with sensitive flags.
"""

from geoalchemy2 import WKTElement

from gridmgmt.db.models import Household, PartyOrg, Road, Township, Village, VillageGroup

TOWNSHIP_CODE = "441500100000"
OTHER_TOWNSHIP_CODE = "441500200000"


def _box(west: float, south: float, east: float, north: float, multi: bool = True) -> WKTElement:
    ring = f"(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    wkt = f"MULTIPOLYGON({ring})" if multi else f"POLYGON{ring}"
    return WKTElement(wkt, srid=4326)


def _point(lon: float, lat: float) -> WKTElement:
    return WKTElement(f"POINT({lon} {lat})", srid=4326)


def _line(*points: tuple[float, float]) -> WKTElement:
    coords = ", ".join(f"{lon} {lat}" for lon, lat in points)
    return WKTElement(f"LINESTRING({coords})", srid=4326)


def add_small_township(session) -> None:
    """Insert 示范镇 with villages, groups, households, roads, a venue; plus an empty 邻镇."""
    town = Township(
        code=TOWNSHIP_CODE,
        name="示范镇",
        county="示范县",
        geom=_box(115.70, 23.88, 115.76, 23.92),
        seat=_point(115.731, 23.901),
    )
    other = Township(code=OTHER_TOWNSHIP_CODE, name="邻镇", county="示范县", geom=_box(115.80, 23.88, 115.86, 23.92))
    session.add_all([town, other])
    session.flush()
    west = Village(township_id=town.id, code="441500100201", name="西村", geom=_box(115.70, 23.88, 115.73, 23.92))
    east = Village(township_id=town.id, code="441500100202", name="东村", geom=_box(115.73, 23.88, 115.76, 23.92))
    session.add_all([west, east])
    session.flush()
    groups = {}
    for village, (w, e) in ((west, (115.70, 115.73)), (east, (115.73, 115.76))):
        for suffix, (s, n), label in (("01", (23.90, 23.92), "上组"), ("02", (23.88, 23.90), "下组")):
            group = VillageGroup(
                village_id=village.id,
                code=village.code + suffix,
                name=village.name + label,
                geom=_box(w, s, e, n, multi=False),
            )
            groups[group.code] = group
    session.add_all(groups.values())
    session.flush()
    households = [
        ("44150010020101001", west, "44150010020101", 115.71, 23.91, {"hardship": True}),
        ("44150010020102001", west, "44150010020102", 115.72, 23.89, {"petitioner": True}),
        (
            "44150010020201001",
            east,
            "44150010020201",
            115.74,
            23.91,
            {"critically_ill": True, "left_behind_children": True, "empty_nest_elderly": True},
        ),
        ("44150010020202001", east, "44150010020202", 115.75, 23.89, {}),
        ("44150010020202002", east, "44150010020202", 115.7512345678, 23.8912345678, {}),
    ]
    for code, village, group_code, lon, lat, flags in households:
        session.add(
            Household(
                village_id=village.id,
                group_id=groups[group_code].id,
                code=code,
                head="张三",
                geom=_point(lon, lat),
                **flags,
            )
        )
    session.add_all(
        [
            Road(
                township_id=town.id,
                code="X101",
                name="县道101",
                road_class="county",
                geom=_line((115.69, 23.90), (115.77, 23.90)),
            ),
            Road(
                township_id=town.id,
                code="C201",
                name="西村路",
                road_class="village",
                geom=_line((115.715, 23.90), (115.715, 23.915)),
            ),
            Road(
                township_id=other.id,
                code="C999",
                name="邻镇村道",
                road_class="village",
                geom=_line((115.81, 23.89), (115.85, 23.91)),
            ),
            PartyOrg(
                township_id=town.id,
                village_id=west.id,
                code="P4415001002",
                name="西村党支部",
                org_type="branch",
                venue=_point(115.716, 23.902),
            ),
        ]
    )
    session.commit()
