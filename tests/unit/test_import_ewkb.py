"""The spliced EWKB the importer COPYs equals shapely's own EWKB with SRID 4326."""

import numpy as np
import shapely

from gridmgmt.services.imports.staging import ewkb


def test_spliced_ewkb_matches_shapely():
    geoms = np.array(
        [
            shapely.Point(115.7, 23.9),
            None,
            shapely.from_wkt("LINESTRING(1 2, 3 4)"),
            shapely.from_wkt("MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)))"),
        ],
        dtype=object,
    )
    expected = shapely.to_wkb(shapely.set_srid(geoms, 4326), include_srid=True, byte_order=1)
    got = ewkb(geoms)
    assert got[1] is None
    assert [g for g in got if g] == [e for e in expected if e]
    assert got[0].hex().upper().startswith("0101000020E6100000")
