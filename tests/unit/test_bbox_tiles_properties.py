"""The OGC bbox, the OGC page and the tile z/x/y over generated text: anything either parses into a
valid value or is refused with the documented error (InvalidQuery, InvalidTile, a 400), and valid
values read back the same."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from gridmgmt.domain.limits import INT8_MAX
from gridmgmt.services.mapdata.features import DEFAULT_LIMIT, MAX_LIMIT, InvalidQuery, parse_bbox
from gridmgmt.services.mapdata.tiles import MAX_ZOOM, InvalidTile, TileAddress, parse_address, tile_at
from web.inputs import ItemsQuery

SETTINGS = settings(max_examples=400, derandomize=True, database=None, deadline=None)
# Web Mercator's latitude limit: arctan(sinh(π)).
MERCATOR_LAT = math.degrees(math.atan(math.sinh(math.pi)))
number_text = st.one_of(
    st.floats().map(repr),
    st.integers().map(str),
    st.floats().map(lambda f: f"{f:.3f}"),
    st.sampled_from(["", " 1 ", "1_0", "١٢", "+5", "0x10", "1e", "--1", "nan", "Infinity"]),
)
bbox_text = st.one_of(
    st.text(max_size=40),
    st.lists(number_text, min_size=0, max_size=6).map(",".join),
    st.lists(number_text, min_size=4, max_size=4).map(",".join),
)


@st.composite
def valid_bbox(draw):
    west, east = sorted(draw(st.floats(-180, 180)) for _ in range(2))
    south, north = sorted(draw(st.floats(-90, 90)) for _ in range(2))
    return west, south, east, north


@SETTINGS
@given(bbox_text)
def test_any_bbox_text_is_a_valid_box_or_refused(text):
    try:
        box = parse_bbox(text)
    except InvalidQuery as refused:
        assert str(refused).startswith("bbox ")
        return
    west, south, east, north = box
    assert all(map(math.isfinite, box)) and -180 <= west <= east <= 180 and -90 <= south <= north <= 90


@SETTINGS
@given(valid_bbox(), st.sampled_from(["{!r}", " {!r} ", "{:.17g}"]))
def test_a_valid_bbox_reads_back_exactly(box, written):
    assert parse_bbox(",".join(written.format(v) for v in box)) == box


@SETTINGS
@given(st.tuples(*[st.one_of(number_text, st.text(max_size=6))] * 3))
def test_any_tile_address_text_is_a_tile_or_refused(zxy):
    try:
        address = parse_address(*zxy)
    except InvalidTile as refused:
        assert "瓦片" in str(refused) or "缩放级别" in str(refused)
        return
    assert 0 <= address.z <= MAX_ZOOM and 0 <= address.x < 2**address.z and 0 <= address.y < 2**address.z


@st.composite
def tile(draw):
    z = draw(st.integers(0, MAX_ZOOM))
    return TileAddress(z, draw(st.integers(0, 2**z - 1)), draw(st.integers(0, 2**z - 1)))


@SETTINGS
@given(tile())
def test_a_tile_reads_back_from_its_url_text(address):
    assert parse_address(str(address.z), str(address.x), str(address.y)) == address


@SETTINGS
@given(st.floats(-180, 180), st.floats(-MERCATOR_LAT, MERCATOR_LAT), st.integers(0, MAX_ZOOM))
def test_every_position_on_the_map_is_on_a_valid_tile(lon, lat, z):
    address = tile_at(lon, lat, z)
    assert parse_address(str(address.z), str(address.x), str(address.y)) == address


@SETTINGS
@given(st.integers(1, 10**30), st.integers(0, INT8_MAX))
def test_a_page_reads_back_with_its_limit_capped(limit, offset):
    page = ItemsQuery.model_validate(MultiDict({"limit": str(limit), "offset": str(offset)}).to_dict())
    assert (page.limit, page.offset) == (min(limit, MAX_LIMIT), offset)
    assert ItemsQuery.model_validate({}).limit == DEFAULT_LIMIT
