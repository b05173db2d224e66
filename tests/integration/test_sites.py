"""Demo-site criteria, selection and tour on a hand-measured township (real PostGIS)."""

import pytest
from sqlalchemy import text

from gridmgmt.analysis.siting import Rules, SelectionError
from gridmgmt.domain.errors import TownshipNotFound
from gridmgmt.domain.site_criteria import SiteConfig, in_corridor
from gridmgmt.services.sites.layers import tour_path
from gridmgmt.services.sites.measures import NoSeat
from gridmgmt.services.sites.selection import plan_tour, score_sites, select_sites
from tests.integration.sites_fixture import TOWN, add_township

CONFIG = SiteConfig(catchment_m=1000)


@pytest.fixture
def town(session):
    return add_township(session)


def by_letter(scored, ids):
    found = {s.candidate.party_org_id: s for s in scored}
    return {letter: found[org] for letter, org in ids.items()}


def test_distances_to_roads_and_seat(session, town):
    got = by_letter(score_sites(session, TOWN, CONFIG), town)
    a, b, c = (got[k].candidate for k in "ABC")
    assert a.road_m["county"] == pytest.approx(110.8, abs=1)
    assert a.road_m["village"] == pytest.approx(509, abs=2)  # 0.005° east
    assert a.road_m["national"] is None and a.road_m["township"] is None
    assert b.road_m["village"] == pytest.approx(50.9, abs=1)
    assert b.road_m["county"] == pytest.approx(554, abs=2)
    # Along the 县道 from the seat, then straight to the venue.
    assert a.seat_road_m == pytest.approx(509 + 110.8, abs=3)
    assert b.seat_road_m == pytest.approx(1018 + 554 + 50.9, abs=5)
    assert c.seat_road_m == pytest.approx(1018 + 814 + 110.8, abs=5)


def test_corridor_membership(session, town):
    got = by_letter(score_sites(session, TOWN, CONFIG), town)
    assert [in_corridor(got[k].candidate, CONFIG) for k in "ABC"] == [True, False, True]
    assert got["A"].score.breakdown["corridor"] == 20.0
    assert got["B"].score.breakdown["corridor"] == 0.0
    wide = by_letter(score_sites(session, TOWN, SiteConfig(corridor_m=600)), town)
    assert in_corridor(wide["B"].candidate, SiteConfig(corridor_m=600))


def test_catchment_counts_households_by_road(session, town):
    got = by_letter(score_sites(session, TOWN, CONFIG), town)
    # H1 (≈337 m) and H4 (≈268 m) from A; H3 (≈182 m) from B; H2 from C. H4 is 1067 m from B.
    assert [got[k].candidate.catchment_households for k in "ABC"] == [2, 1, 1]
    assert got["A"].candidate.catchment_villages == 1
    wide = by_letter(score_sites(session, TOWN, SiteConfig(catchment_m=1100)), town)
    assert wide["B"].candidate.catchment_households == 2


def test_hard_exclusion_and_ranking(session, town):
    scored = score_sites(session, TOWN, CONFIG)
    got = by_letter(scored, town)
    assert got["B"].score.excluded == ("活动场所面积100 m²，低于120 m²",)
    assert got["A"].eligible and got["C"].eligible
    objectives = [s.score.objective for s in scored]
    assert objectives == sorted(objectives, reverse=True)
    # Every trip to the seat runs along the 县道 (H3 joins it at the foot of the 村道):
    # A and C lie 111 m from it, B 554 m.
    assert [got[k].candidate.on_main_route for k in "ABC"] == [True, False, True]
    narrow = by_letter(score_sites(session, TOWN, SiteConfig(main_route_m=100)), town)
    assert not narrow["A"].candidate.on_main_route


def test_selection_skips_excluded_and_honours_spacing(session, town):
    scored = score_sites(session, TOWN, CONFIG)
    chosen = select_sites(scored, Rules(k=2), time_limit_s=5, workers=1)
    assert set(chosen.ids) == {town["A"], town["C"]} and chosen.optimal
    # A and C are 1342 m apart (0.013° east, 0.002° south): 1300 m spacing keeps both, 1400 m cannot.
    assert select_sites(scored, Rules(k=2, min_spacing_m=1300), time_limit_s=5, workers=1).optimal
    with pytest.raises(SelectionError, match="选不出2个"):
        select_sites(scored, Rules(k=2, min_spacing_m=1400), time_limit_s=5, workers=1)
    # A is rural, C an enterprise branch: one per field still allows both.
    assert len(select_sites(scored, Rules(k=2, max_per_field=1), time_limit_s=5, workers=1).ids) == 2
    with pytest.raises(SelectionError, match="只有2个合格候选"):
        select_sites(scored, Rules(k=3), time_limit_s=5, workers=1)
    with pytest.raises(SelectionError, match="不符合硬性条件"):
        select_sites(scored, Rules(k=2, must_include=frozenset({town["B"]})), time_limit_s=5, workers=1)


def test_tour_from_the_seat(session, town):
    tour = plan_tour(session, TOWN, [town["C"], town["B"], town["A"]], speed_kmh=30, stay_min=10)
    assert [s.party_org_id for s in tour.stops] == [None, town["A"], town["B"], town["C"]]
    assert not tour.gaps and len(tour.legs) == 4  # three out, one back
    # seat→A 620 m; A→B 111 + 509 + 554 + 51; B→C 51 + 554 + 814 + 111.
    assert tour.stops[1].leg_m == pytest.approx(620, abs=5)
    assert tour.stops[2].leg_m == pytest.approx(1225, abs=8)
    assert tour.total_m == pytest.approx(620 + 1225 + 1530, abs=15)
    # 30 km/h is 500 m a minute; 10 minutes at each of A and B before reaching C.
    assert tour.stops[3].arrive_min == pytest.approx(tour.total_m / 500 + 20, abs=0.1)
    # Back from C as C came from the seat: 111 to the 县道, 814 + 1018 along it.
    assert tour.back_m == pytest.approx(1018 + 814 + 110.8, abs=5)
    assert tour.round_m == pytest.approx(tour.total_m + tour.back_m)
    assert tour.back_min == pytest.approx(tour.stops[3].arrive_min + 10 + tour.back_m / 500, abs=0.1)


def test_tour_path_ends_with_the_way_back(session, town):
    """The map's legs: one per site, then the way back to the seat, marked back."""
    legs = tour_path(plan_tour(session, TOWN, [town["A"], town["C"]]))["features"]
    assert [(f["properties"]["leg"], f["properties"]["to"], f["properties"]["back"]) for f in legs] == [
        (1, "A党支部", False),
        (2, "C党支部", False),
        (3, "乡镇驻地", True),
    ]
    assert legs[-1]["properties"]["km"] == pytest.approx(1.9, abs=0.05)


def test_unknown_township_and_missing_seat(session, town):
    with pytest.raises(TownshipNotFound, match="没有编码为 nope 的乡镇"):
        score_sites(session, "nope")
    with pytest.raises(SelectionError, match="不在本乡镇或没有活动场所"):
        plan_tour(session, TOWN, [999])
    session.execute(text("UPDATE township SET seat = NULL"))
    with pytest.raises(NoSeat, match="未登记驻地"):
        plan_tour(session, TOWN, [town["A"]])
    # Without a seat the standards are still judged; nothing is reachable.
    scored = score_sites(session, TOWN)
    assert all("从乡镇驻地沿道路无法到达" in s.score.excluded for s in scored)
    assert {s.candidate.venue_area_m2 for s in scored} == {150, 100, 200}
