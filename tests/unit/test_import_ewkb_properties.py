"""The importer's spliced EWKB equals shapely's own EWKB with SRID 4326, for generated geometries of
every kind (nested collections, empties, Z, M, ZM; with an SRID set before, or none), and None stays None.

Geometries are built from WKT with repr-formatted doubles, so any finite double (-0.0, subnormals,
1e308) reaches the writer unchanged.
"""

import numpy as np
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gridmgmt.services.imports.staging import ewkb

SETTINGS = settings(max_examples=200, derandomize=True, database=None, deadline=None)
DIMENSIONS = {"": 2, " Z": 3, " M": 3, " ZM": 4}
number = st.floats(allow_nan=False, allow_infinity=False).map(repr)


def _coords(dim: str, min_size: int, max_size: int = 6):
    """WKT coordinate lists 'x y[ z][ m], …' of MIN_SIZE to MAX_SIZE positions."""
    position = st.lists(number, min_size=DIMENSIONS[dim], max_size=DIMENSIONS[dim]).map(" ".join)
    return st.lists(position, min_size=min_size, max_size=max_size)


def _ring(dim: str):
    # Closed, four positions at least; validity does not matter to the WKB writer.
    return _coords(dim, 3).map(lambda c: f"({', '.join([*c, c[0]])})")


def _body(kind: str, dim: str):
    """The text after 'KIND{dim} ' for one geometry: EMPTY or its coordinates."""
    if kind == "POINT":
        filled = _coords(dim, 1, 1).map(lambda c: f"({c[0]})")
    elif kind == "LINESTRING":
        filled = _coords(dim, 2).map(lambda c: f"({', '.join(c)})")
    else:
        filled = st.lists(_ring(dim), min_size=1, max_size=3).map(lambda rings: f"({', '.join(rings)})")
    return st.one_of(st.just("EMPTY"), filled)


def _multi(kind: str, dim: str):
    return st.lists(_body(kind, dim), max_size=4).map(
        lambda parts: f"MULTI{kind}{dim} ({', '.join(parts)})" if parts else f"MULTI{kind}{dim} EMPTY"
    )


def _wkt(dim: str, depth: int = 2):
    """WKT of a geometry of dimension DIM: simple, multi, or a collection nested up to DEPTH."""
    simple = st.sampled_from(["POINT", "LINESTRING", "POLYGON"])
    kinds = [
        simple.flatmap(lambda k: _body(k, dim).map(lambda b: f"{k}{dim} {b}")),
        simple.flatmap(lambda k: _multi(k, dim)),
    ]
    if depth:
        kinds.append(
            st.lists(_wkt(dim, depth - 1), max_size=3).map(
                lambda parts: (
                    f"GEOMETRYCOLLECTION{dim} ({', '.join(parts)})" if parts else f"GEOMETRYCOLLECTION{dim} EMPTY"
                )
            )
        )
    return st.one_of(kinds)


geometry = st.sampled_from(list(DIMENSIONS)).flatmap(_wkt).map(shapely.from_wkt)
# An SRID set by whoever read the file (0: none) must not leak into the output.
with_srid = st.tuples(geometry, st.sampled_from([0, 4326, 4490, 3857, 2**31 - 1])).map(
    lambda pair: shapely.set_srid(pair[0], pair[1])
)
column = st.lists(st.one_of(st.none(), with_srid), min_size=1, max_size=8).map(lambda g: np.array(g, dtype=object))


@SETTINGS
@given(column)
def test_spliced_ewkb_is_shapelys_ewkb_with_srid_4326(geoms):
    got = ewkb(geoms)
    expected = shapely.to_wkb(shapely.set_srid(geoms, 4326), include_srid=True, byte_order=1)
    assert got == list(expected)


@SETTINGS
@given(column)
def test_spliced_ewkb_reads_back_as_the_same_geometry_in_4326(geoms):
    present = ~shapely.is_missing(geoms)
    got = np.array(ewkb(geoms), dtype=object)
    assert (got[~present] == None).all()  # noqa: E711 - elementwise on an object array
    back = shapely.from_wkb(got[present])
    assert (shapely.get_srid(back) == 4326).all()
    assert list(shapely.to_wkb(back, byte_order=1)) == list(shapely.to_wkb(geoms[present], byte_order=1))
