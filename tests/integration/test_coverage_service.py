"""Coverage on a hand-made township where every number is worked out by hand.

Local metres (x east, y north) around 115.7°E 23.9°N, converted with a local
transverse Mercator, so PostGIS distances match the hand figures to well under 1 %.

    y=2000 ┌──────────── village A ─────────┬──────────────── village B ───────────────┐
           │ group A1 (x<1000) │ group A2   │ group B1                       h_off ·   │
    y=1000 ├─h1──h2──h3────────VA─────h4─h5─┼VB─S1────────S2────────S3────────────────┤ road
    y=0    └───────────────────┴────────────┴──────────────────────────────────────────┘
           x=0                1000        2000                                       4500
"""

from datetime import date

import numpy as np
import pytest
import shapely
from pyproj import Transformer
from shapely import LineString, MultiPolygon, Point, box

from gridmgmt.db.models import (
    Cadre,
    CadreVillage,
    EconomicOrg,
    Household,
    PartyMember,
    PartyOrg,
    Road,
    Township,
    Village,
    VillageGroup,
)
from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.postings import PostingCheck
from gridmgmt.network.topology import build_topology
from gridmgmt.services.coverage.county import county_figures
from gridmgmt.services.coverage.layers import coverage_layers
from gridmgmt.services.coverage.report import NO_ROADS_NOTE, TownshipNotFound, township_coverage

TO_LONLAT = Transformer.from_crs(
    "+proj=tmerc +lat_0=23.9 +lon_0=115.7 +k=1 +ellps=WGS84", 4326, always_xy=True
).transform
TOWN = "441624999000"
TODAY = PostingCheck(date(2026, 6, 1))  # the postings here are open-ended


def _ewkt(geom) -> str:
    lonlat = shapely.transform(geom, lambda xy: np.column_stack(TO_LONLAT(xy[:, 0], xy[:, 1])))
    return f"SRID=4326;{lonlat.wkt}"


def _multi(minx, miny, maxx, maxy) -> str:
    return _ewkt(MultiPolygon([box(minx, miny, maxx, maxy)]))


# Households: (name, group, x, y); S1–S3 are three settlements 1000 m apart in group B1.
HOMES = [
    ("h1", "A1", 100, 1020),
    ("h2", "A1", 300, 970),
    ("h3", "A1", 500, 1010),
    ("h4", "A2", 1500, 1040),
    ("h5", "A2", 1600, 1050),
    ("s1a", "B1", 2200, 1010),
    ("s1b", "B1", 2250, 990),
    ("s1c", "B1", 2300, 1010),
    ("s2a", "B1", 3200, 1010),
    ("s2b", "B1", 3250, 990),
    ("s2c", "B1", 3300, 1010),
    ("s3a", "B1", 4200, 1010),
    ("s3b", "B1", 4250, 990),
    ("s3c", "B1", 4300, 1010),
    ("h_off", "B1", 3250, 1650),
]


@pytest.fixture
def town(session):
    """The township above, loaded and with its road topology built."""
    t = Township(code=TOWN, name="测试镇", geom=_multi(0, 0, 4500, 2000))
    a = Village(code="441624999201", name="甲村", is_weak_org=True, geom=_multi(0, 0, 2000, 2000))
    b = Village(code="441624999202", name="乙村", geom=_multi(2000, 0, 4500, 2000))
    session.add(t)
    session.flush()
    a.township_id = b.township_id = t.id
    session.add_all([a, b])
    session.flush()
    groups = {
        "A1": VillageGroup(village_id=a.id, code="44162499920101", name="一组", geom=_multi(0, 0, 1000, 2000)),
        "A2": VillageGroup(village_id=a.id, code="44162499920102", name="二组", geom=_multi(1000, 0, 2000, 2000)),
        "B1": VillageGroup(village_id=b.id, code="44162499920201", name="三组", geom=_multi(2000, 0, 4500, 2000)),
    }
    session.add_all(groups.values())
    session.flush()
    homes = {}
    for name, group, x, y in HOMES:
        g = groups[group]
        homes[name] = Household(
            village_id=g.village_id, group_id=g.id, code=f"H{name}", head=name, member_count=3, geom=_ewkt(Point(x, y))
        )
    session.add_all(homes.values())
    session.add_all(
        [
            Road(township_id=t.id, code=f"R{i}", road_class="village", geom=_ewkt(LineString(line)))
            for i, line in enumerate([[(0, 1000), (2000, 1000)], [(2000, 1000), (4500, 1000)]])
        ]
    )
    session.flush()
    _party(session, t, a, b, homes)
    build_topology(session)
    session.commit()
    return t


def _party(session, t, a, b, homes):
    """Orgs, members, firms and cadres with one gap of each kind."""

    def org(code, name, **kw):
        o = PartyOrg(township_id=t.id, code=code, name=name, **kw)
        session.add(o)
        session.flush()
        return o

    top = org("T0", "镇党委", org_type="party_committee", committee_size=7)
    # Branch A: 7 full members in h1 (3), h2 (2), h3 (2) and no committee.
    org_a = org(
        "TA", "甲村党支部", org_type="branch", parent_id=top.id, village_id=a.id, venue=_ewkt(Point(1000, 1000))
    )
    # Branch B: 9 full members, one in each S home: three settlements, committee of 3.
    org_b = org(
        "TB",
        "乙村党支部",
        org_type="branch",
        parent_id=top.id,
        village_id=b.id,
        committee_size=3,
        venue=_ewkt(Point(2100, 1000)),
    )
    # A firm branch of 6 full members (no homes) with a committee it should not have.
    firm_branch = org(
        "TF",
        "乙村电子厂党支部",
        org_type="branch",
        parent_id=top.id,
        village_id=b.id,
        field="enterprise",
        committee_size=3,
        venue=_ewkt(Point(2600, 1200)),
    )
    people = (
        [(org_a, homes[h]) for h in ["h1"] * 3 + ["h2"] * 2 + ["h3"] * 2]
        + [(org_b, homes[h]) for h in ("s1a", "s1b", "s1c", "s2a", "s2b", "s2c", "s3a", "s3b", "s3c")]
        + [(firm_branch, None)] * 6
    )
    session.add_all(
        [
            PartyMember(
                party_org_id=o.id, household_id=h.id if h else None, code=f"M{i}", name=f"党员{i}", status="full"
            )
            for i, (o, h) in enumerate(people)
        ]
    )
    session.add_all(
        [
            EconomicOrg(
                township_id=t.id,
                village_id=b.id,
                code="F1",
                name="无党组织厂",
                kind="enterprise",
                above_scale=True,
                geom=_ewkt(Point(3000, 900)),
            ),
            EconomicOrg(
                township_id=t.id,
                village_id=b.id,
                code="F2",
                name="电子厂",
                kind="enterprise",
                above_scale=True,
                party_org_id=firm_branch.id,
                geom=_ewkt(Point(2600, 1200)),
            ),
            EconomicOrg(
                township_id=t.id,
                village_id=a.id,
                code="C1",
                name="茶叶合作社",
                kind="cooperative",
                geom=_ewkt(Point(600, 900)),
            ),
        ]
    )
    cadres = [
        Cadre(township_id=t.id, code=c, name=c, cadre_role=r)
        for c, r in [("K0", "township_secretary"), ("K1", "township_leader"), ("K2", "township_leader")]
    ]
    session.add_all(cadres)
    session.flush()
    session.add_all(
        [
            CadreVillage(cadre_id=cadres[0].id, village_id=a.id, assignment="gua_dian"),
            CadreVillage(cadre_id=cadres[1].id, village_id=b.id, assignment="gua_dian"),
        ]
    )


def _codes(frame, column="code"):
    return sorted(frame[column])


def test_every_planted_gap_and_nothing_else(session, town):
    report = township_coverage(session, TOWN, postings=TODAY)
    f = report.findings
    assert _codes(f["blank_group"]) == ["44162499920102"]
    assert f["blank_village"].empty
    assert _codes(f["committee_missing"]) == ["TA"]
    assert _codes(f["committee_not_allowed"]) == ["TF"]
    assert f["committee_size"].empty
    assert _codes(f["split_needed"]) == ["TB"]
    assert f["split_needed"].reasons.tolist() == ["党员居住分散"]
    assert _codes(f["firm_without_org"]) == ["F1"]
    assert _codes(f["coop_without_org"]) == ["C1"]
    assert _codes(f["leader_posting"]) == ["K2"]
    assert f["village_uncovered"].empty
    assert _codes(f["first_secretary_missing"]) == ["441624999201"]
    assert f["first_secretary_missing"].designations.tolist() == ["软弱涣散村"]


def test_figures_per_group_village_and_township(session, town):
    report = township_coverage(session, TOWN, postings=TODAY)
    groups = report.groups.set_index("code")
    assert groups.loc["44162499920101", ["households", "residents", "members", "party_households"]].tolist() == [
        3,
        9,
        7,
        3,
    ]
    assert groups.per_100["44162499920101"] == pytest.approx(233.3)
    assert groups.loc["44162499920201", ["households", "members"]].tolist() == [10, 9]
    villages = report.villages.set_index("code")
    assert villages.loc["441624999201", ["households", "members", "per_100"]].tolist() == [5, 7, 140.0]
    # Firm members live nowhere: they count in their branch, not in any area.
    assert report.township["members"] == 16 and report.township["households"] == 15
    branches = report.branches.set_index("code")
    assert branches.loc["TB", ["members", "full", "settlements"]].tolist() == [9, 9, 3]


def test_reach_along_the_road_and_off_it(session, town):
    report = township_coverage(session, TOWN, postings=TODAY)
    by_head = {h: report.reach.loc[i] for h, i in _ids(session).items()}
    # h1: 20 m to the road, 900 m along it to venue A.
    assert by_head["h1"].venue_m == pytest.approx(920, rel=0.01)
    # s3b: 10 m to the road, 2150 m along it to venue B: beyond 2 km.
    assert by_head["s3b"].venue_m == pytest.approx(2160, rel=0.01)
    # h4: 40 m off the road; s1a is 700 m along it and 10 m off (h3 would be 1050 m).
    assert by_head["h4"].member_m == pytest.approx(750, rel=0.01)
    # h_off is 650 m from the road: straight lines, to venue B (1150, 650) and to s2a (50, 640).
    assert by_head["h_off"].off_network
    assert by_head["h_off"].venue_m == pytest.approx((1150**2 + 650**2) ** 0.5, rel=0.01)
    assert by_head["h_off"].member_m == pytest.approx((50**2 + 640**2) ** 0.5, rel=0.01)
    assert sorted(report.findings["venue_far"].code) == ["Hs3a", "Hs3b", "Hs3c"]
    assert set(report.findings["venue_far"].venue) == {"乙村党支部"}
    assert sorted(report.findings["member_far"].code) == ["Hh4", "Hh5", "Hh_off"]
    assert len(report.reach) == 15
    villages = report.villages.set_index("code")
    assert villages.loc["441624999202", ["venue_far", "member_far", "off_network"]].tolist() == [3, 1, 1]


def _ids(session):
    return dict(session.query(Household.head, Household.id).all())


def test_proposals_follow_the_settlements(session, town):
    report = township_coverage(session, TOWN, postings=TODAY)
    proposals = report.proposals
    assert proposals.branch.tolist() == ["乙村党支部"] * 3 and proposals.members.tolist() == [3, 3, 3]
    homes = {v: k for k, v in _ids(session).items()}
    heads = [sorted(homes[h] for h in ids) for ids in proposals.household_ids]
    assert heads == [["s1a", "s1b", "s1c"], ["s2a", "s2b", "s2c"], ["s3a", "s3b", "s3c"]]
    # Homes 50 m apart along the road, 10 m off it: 70 m from the middle one to each end.
    assert proposals.spread_m.tolist() == [pytest.approx(140 / 3, abs=2)] * 3


def test_thresholds_come_from_the_rules(session, town):
    rules = CoverageRules(venue_reach_m=2500, member_reach_m=700, dispersed_settlements=4)
    report = township_coverage(session, TOWN, rules, postings=TODAY)
    assert report.findings["venue_far"].empty
    # h4 is 750 m from s1a; h5 (50 + 600 + 10) and h_off (642 m) are within 700.
    assert sorted(report.findings["member_far"].code) == ["Hh4"]
    assert report.findings["split_needed"].empty and report.proposals.empty


def test_unknown_township_and_read_only(session, town):
    with pytest.raises(TownshipNotFound, match="没有编码为 1 的乡镇"):
        township_coverage(session, "1", postings=TODAY)
    assert township_coverage(session, TOWN, with_reach=False, postings=TODAY).reach is None


def test_county_figures_match_the_township_report(session, town):
    figures = county_figures(session)
    report = township_coverage(session, TOWN, with_reach=False, postings=TODAY)
    columns = ["households", "residents", "members", "full", "probationary", "party_households"]
    assert (figures["groups"][columns] == report.groups[columns]).all().all()
    # Straight lines: s3a–s3c are 2100–2200 m from venue B; h_off is 1321 m from it.
    assert figures["groups"].venue_far_line.tolist() == [0, 0, 3]
    township = figures["townships"].iloc[0]
    assert township[["households", "members", "blank_groups", "venue_far_line"]].tolist() == [15, 16, 1, 3]


def test_without_roads_the_report_says_what_it_skipped(session, town):
    session.execute(Road.__table__.delete())
    session.commit()
    report = township_coverage(session, TOWN, postings=TODAY)
    assert report.notes == [NO_ROADS_NOTE] and report.reach is None
    assert _codes(report.findings["blank_group"]) == ["44162499920102"]
    assert _codes(report.findings["committee_missing"]) == ["TA"]
    assert report.findings["split_needed"].empty and report.proposals.empty
    assert "venue_far" not in report.findings


def test_venues_carry_their_reach(session, town):
    report = township_coverage(session, TOWN, postings=TODAY)
    venues = {f["properties"]["name"]: f["properties"] for f in coverage_layers(session, report).venues["features"]}
    # h1–h4 are nearest to venue A (h4: 540 m against 640 m); h5 (550 m), the three
    # settlements and h_off to venue B, of which s3a–s3c lie beyond 2 km. The firm branch meets
    # inside its firm: no resident venue.
    assert venues == {
        "甲村党支部": {"name": "甲村党支部", "served": 4, "far": 0},
        "乙村党支部": {"name": "乙村党支部", "served": 11, "far": 3},
    }
    orgs = dict(session.query(PartyOrg.code, PartyOrg.id).all())
    assert report.reach.venue_id.value_counts().to_dict() == {orgs["TB"]: 11, orgs["TA"]: 4}
