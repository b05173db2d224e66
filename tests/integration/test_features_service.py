"""Feature collections in PostGIS: pages, bbox, scope, single items, extents."""

import json

import pytest
from sqlalchemy import select

from gridmgmt.db.models import DemoSite, Household, PartyOrg, Village
from gridmgmt.domain.permissions import Scope
from gridmgmt.services.mapdata.features import (
    FeatureNotFound,
    InvalidQuery,
    UnknownCollection,
    collection,
    extent,
    item,
    items,
    parse_bbox,
)
from tests.web.sample import add_small_township

EVERYTHING = Scope(township_ids=None)


@pytest.fixture
def township(session):
    add_small_township(session)


def _features(page) -> list[dict]:
    return [json.loads(f) for f in page.features]


def test_households_page_has_only_safe_properties(session, township):
    page = items(session, collection("households"), EVERYTHING)
    features = _features(page)
    assert page.number_matched == 5 and len(features) == 5
    assert [f["id"] for f in features] == sorted(f["id"] for f in features)
    for feature in features:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        assert set(feature["properties"]) == {"code", "village_id", "group_id", "grid_cell_id"}
    assert "张三" not in "".join(page.features)


def test_paging_counts_every_match(session, township):
    page = items(session, collection("households"), EVERYTHING, limit=2, offset=4)
    assert page.number_matched == 5 and len(page.features) == 1


def test_pages_cover_every_feature_once_and_follow_changes(session, township):
    """Pages by offset are consecutive runs of ids; the count (kept per data version) follows
    a deleted household."""
    households = collection("households")
    pages = [_features(items(session, households, EVERYTHING, limit=2, offset=at)) for at in (0, 2, 4)]
    ids = [f["id"] for page in pages for f in page]
    assert ids == sorted(session.scalars(select(Household.id)))
    session.delete(session.get(Household, ids[-1]))
    session.commit()
    page = items(session, households, EVERYTHING, limit=2, offset=2)
    assert page.number_matched == 4 and [f["id"] for f in _features(page)] == ids[2:4]


def test_bbox_keeps_features_that_intersect(session, township):
    west_half = (115.69, 23.87, 115.729, 23.93)
    codes = {
        f["properties"]["code"] for f in _features(items(session, collection("households"), EVERYTHING, bbox=west_half))
    }
    assert codes == {"44150010020101001", "44150010020102001"}
    roads = _features(items(session, collection("roads"), EVERYTHING, bbox=west_half))
    assert {f["properties"]["code"] for f in roads} == {"X101", "C201"}


def test_coordinates_have_6_decimals(session, township):
    text = "".join(items(session, collection("households"), EVERYTHING).features)
    assert "115.751235" in text and "115.7512345" not in text


def test_scope_limits_households_and_items(session, township):
    east = session.scalars(select(Village.id).where(Village.name == "东村")).one()
    scope = Scope(township_ids=None, village_ids=frozenset({east}))
    page = items(session, collection("households"), scope)
    assert page.number_matched == 3
    west_household = session.scalars(select(Household.id).where(Household.village_id != east)).first()
    with pytest.raises(FeatureNotFound):
        item(session, collection("households"), str(west_household), scope)
    no_households = Scope(township_ids=None, households=False)
    assert items(session, collection("households"), no_households).number_matched == 0


def test_single_item_and_missing_ones(session, township):
    venue = json.loads(item(session, collection("party_venues"), "1", EVERYTHING))
    assert venue["id"] == 1 and venue["properties"]["name"] == "西村党支部"
    for fid in ("999", "abc", "-1"):
        with pytest.raises(FeatureNotFound, match="party_venues"):
            item(session, collection("party_venues"), fid, EVERYTHING)


def test_demo_sites_sit_at_their_venue(session, township):
    org = session.scalars(select(PartyOrg)).one()
    session.add(DemoSite(party_org_id=org.id, status="awarded", theme="industry", award_year=2025))
    session.commit()
    features = _features(items(session, collection("demo_sites"), EVERYTHING))
    assert len(features) == 1
    assert features[0]["geometry"]["coordinates"] == [115.716, 23.902]
    assert features[0]["properties"]["party_org_code"] == "P4415001002"
    assert features[0]["properties"]["theme"] == "industry"


def test_every_collection_reads(session, township):
    for coll_id in ("villages", "village_groups", "roads", "grid_cells", "party_venues", "demo_sites"):
        items(session, collection(coll_id), EVERYTHING)
    assert items(session, collection("villages"), EVERYTHING).number_matched == 2


def test_extent(session, township):
    assert extent(session, collection("villages"), EVERYTHING) == pytest.approx((115.70, 23.88, 115.76, 23.92))
    assert extent(session, collection("grid_cells"), EVERYTHING) is None


def test_unknown_collection():
    with pytest.raises(UnknownCollection, match="parcels"):
        collection("parcels")


def test_bbox_parameter():
    assert parse_bbox(None) is None
    assert parse_bbox("115.7,23.8,115.8,23.9") == (115.7, 23.8, 115.8, 23.9)
    for bad in ("1,2,3", "a,b,c,d", "115.8,23.8,115.7,23.9", "0,-91,1,0", "1,2,3,4,5,6"):
        with pytest.raises(InvalidQuery, match="bbox"):
            parse_bbox(bad)
