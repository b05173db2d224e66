"""Import header matching over generated headers: any decoration of any known name (case, spaces,
`_`, `-`, `/`, brackets, a BOM) maps to its standard name, whatever else the file holds, and no
two standard names of a layer share a header."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.errors import ImportRejected
from geodata.layers import LAYERS
from geodata.parsing import match_columns, normalise_header

SETTINGS = settings(max_examples=150, derandomize=True, database=None, deadline=None)
# What the docs promise not to matter, as Excel, WPS and Chinese input methods write it.
SEPARATORS = " \t\n\u3000\xa0_-/()（）[]【】"


def _names(field) -> list[str]:
    """Every header a field is known by: its name, its Shapefile name and its aliases."""
    return [field.name, field.shp_name, *field.aliases]


FIELDS = [(layer, field) for layer in LAYERS.values() for field in layer.fields]


@st.composite
def decorated(draw, name: str) -> str:
    """NAME with its ASCII letters in any case and runs of separators anywhere (a BOM first, maybe)."""
    letters = [c.upper() if c.isascii() and draw(st.booleans()) else c for c in name]
    runs = st.text(alphabet=SEPARATORS, max_size=3)
    text = "".join(draw(runs) + c for c in letters) + draw(runs)
    return ("\ufeff" if draw(st.booleans()) else "") + text


@st.composite
def header_row(draw):
    """(layer, {standard name: header}, headers in file order): some fields of a layer under a
    decorated known name each, among headers the layer does not know."""
    layer = draw(st.sampled_from(list(LAYERS.values())))
    chosen = draw(st.lists(st.sampled_from(layer.fields), unique_by=lambda f: f.name, max_size=8))
    wanted = {f.name: draw(st.sampled_from(_names(f)).flatmap(decorated)) for f in chosen}
    known = {normalise_header(n) for f in layer.fields for n in _names(f)}
    others = draw(st.lists(st.text(max_size=12).filter(lambda t: normalise_header(t) not in known), max_size=4))
    headers = [*wanted.values(), *others]
    random.Random(draw(st.integers(0, 2**16))).shuffle(headers)
    return layer, wanted, headers


@SETTINGS
@given(
    st.sampled_from(FIELDS).flatmap(
        lambda lf: st.tuples(st.just(lf), st.sampled_from(_names(lf[1])).flatmap(decorated))
    )
)
def test_any_decoration_of_a_known_name_maps_to_its_standard_name(case):
    (layer, field), header = case
    assert match_columns([header], layer) == {field.name: header}


@SETTINGS
@given(header_row())
def test_a_row_of_headers_maps_exactly_the_known_ones(row):
    layer, wanted, headers = row
    assert match_columns(headers, layer) == wanted


@SETTINGS
@given(
    st.sampled_from(FIELDS).flatmap(
        lambda lf: st.tuples(
            st.just(lf),
            st.sampled_from(_names(lf[1])).flatmap(decorated),
            st.sampled_from(_names(lf[1])).flatmap(decorated),
        )
    )
)
def test_two_headers_for_one_standard_name_are_refused(case):
    (layer, field), first, second = case
    with pytest.raises(ImportRejected) as refused:
        match_columns([first, second], layer)
    (error,) = refused.value.errors
    assert error.field == second and f"与列“{first}”重复" in error.message


@pytest.mark.parametrize("layer", LAYERS.values(), ids=list(LAYERS))
def test_no_two_standard_names_share_a_header(layer):
    owner: dict[str, str] = {}
    for field in layer.fields:
        for name in _names(field):
            key = normalise_header(name)
            assert key, f"{layer.name}.{field.name}: {name!r} is all separators"
            assert owner.setdefault(key, field.name) == field.name, (
                f"{layer.name}: {name!r} names both {owner[key]} and {field.name}"
            )
