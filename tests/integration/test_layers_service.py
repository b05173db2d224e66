"""The township layers service on real PostGIS."""

import pytest

from gridmgmt.domain.errors import TownshipNotFound
from gridmgmt.services.mapdata.layers import township_layers, township_summaries
from tests.web.sample import OTHER_TOWNSHIP_CODE, TOWNSHIP_CODE, add_small_township


@pytest.fixture
def township(session):
    add_small_township(session)
    return session


def _codes(collection):
    return sorted(f["properties"]["code"] for f in collection["features"])


def test_summaries_count_villages_and_households(township):
    summaries = {s.code: s for s in township_summaries(township)}
    assert (summaries[TOWNSHIP_CODE].villages, summaries[TOWNSHIP_CODE].households) == (2, 5)
    assert (summaries[OTHER_TOWNSHIP_CODE].villages, summaries[OTHER_TOWNSHIP_CODE].households) == (0, 0)


def test_layers_hold_the_townships_features(township):
    layers = township_layers(township, TOWNSHIP_CODE)
    assert layers.name == "示范镇"
    assert layers.bounds == ((23.88, 115.70), (23.92, 115.76))
    assert _codes(layers.villages) == ["441500100201", "441500100202"]
    assert len(layers.groups["features"]) == 4
    assert _codes(layers.roads) == ["C201", "X101"]  # not 邻镇's C999
    assert _codes(layers.venues) == ["P4415001002"]
    # Households are drawn from vector tiles, never embedded in the township's layers.
    assert layers.households is None and layers.household_count == 5


def test_village_labels_lie_inside_their_village(township):
    labels = {
        f["properties"]["name"]: f["geometry"]["coordinates"]
        for f in township_layers(township, TOWNSHIP_CODE).village_labels["features"]
    }
    assert 115.70 < labels["西村"][0] < 115.73 < labels["东村"][0] < 115.76


def test_unknown_code_raises_in_chinese(township):
    with pytest.raises(TownshipNotFound, match="没有编码为 nope 的乡镇"):
        township_layers(township, "nope")
