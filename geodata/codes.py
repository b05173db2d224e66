"""Stable codes for rows of layers without a natural one (roads from an OSM or 天地图 extract).

A row's code is a digest of its geometry (in EPSG:4326, to 1e-7 degrees, direction-free), so the same
file imported again yields the same codes and `--update` updates rather than duplicates.
"""

import hashlib

import numpy as np
import pandas as pd
import shapely

# Decimal degrees kept before hashing: about 1 cm, below any survey's precision.
GRID_SIZE = 1e-7
DIGEST_CHARS = 16
GENERATED_HEADER = "编码（自动生成）"


def geometry_code(prefix: str, geom) -> str:
    """PREFIX and a digest of GEOM that ignores coordinate noise below GRID_SIZE and line direction."""
    canonical = shapely.normalize(shapely.set_precision(geom, GRID_SIZE))
    return prefix + hashlib.sha1(shapely.to_wkb(canonical, byte_order=1)).hexdigest()[:DIGEST_CHARS]


def fill_codes(codes: pd.Series | None, geoms: np.ndarray, prefix: str) -> pd.Series:
    """CODES with every blank one (all when None) replaced by its geometry's code.

    A geometry repeated in the file gets -2, -3… in file order, so each row keeps a code of its own;
    rows without a geometry keep no code (their missing geometry is reported).
    """
    out = pd.Series([None] * len(geoms), dtype=object) if codes is None else codes.copy()
    seen: dict[str, int] = {}
    for i, geom in enumerate(geoms):
        if out.iat[i] is not None or geom is None:
            continue
        code = geometry_code(prefix, geom)
        seen[code] = seen.get(code, 0) + 1
        out.iat[i] = code if seen[code] == 1 else f"{code}-{seen[code]}"
    return out
