"""Locate the rows of a point layer in villages and village groups in Python, from their coordinates
(gridmgmt.analysis.covering: no point geometry is made).

The same rules as the SQL locating in links.py, without staging an index first: a row's village is
the smallest-id village of the township covering its point; a household's group is the smallest-id
polygon group of that village covering it, else the village's nearest point group (ties: smallest id).
"""

from dataclasses import dataclass, field

import numpy as np
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from gridmgmt.analysis.covering import CoverIndex

NONE = -1


def first_hits(inputs: np.ndarray, hits: np.ndarray, size: int) -> np.ndarray:
    """For SIZE inputs, the smallest of the HITS each input index in INPUTS got (NONE for none)."""
    first = np.full(size, NONE, dtype=np.int64)
    order = np.lexsort((hits, inputs))
    rows, at = np.unique(inputs[order], return_index=True)
    first[rows] = hits[order][at]
    return first


@dataclass
class Places:
    """The villages (of one township, or all) and, for households, the village groups points are located in,
    read and indexed once: a file read in batches locates each batch against the same polygons."""

    village_ids: np.ndarray
    township_ids: np.ndarray
    villages: np.ndarray
    groups: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None
    village_index: CoverIndex = field(init=False)
    group_index: CoverIndex | None = field(init=False)

    def __post_init__(self):
        self.village_index = CoverIndex(self.villages)
        self.group_index = None if self.groups is None else CoverIndex(self.groups[3][self.groups[2] == 2])

    @classmethod
    def load(cls, session: Session, tables: dict[str, TableClause], township_id: int | None, groups: bool) -> "Places":
        """The villages of TOWNSHIP_ID (None: all) and, with GROUPS, every village group."""
        return cls(*_villages(session, tables, township_id), _groups(session, tables) if groups else None)

    def locate(self, xy: np.ndarray) -> dict[str, np.ndarray]:
        """The staged columns place_village_id, place_township_id and (with groups) place_group_id of the points
        XY ((n, 2) coordinates, NaN: no point): the village covering each, its township and its group; NONE: not
        located (nullable() for the stage)."""
        first = first_hits(*self.village_index.covering(xy), len(xy))
        village = np.where(first == NONE, NONE, self.village_ids[np.maximum(first, 0)])
        located = {
            "place_village_id": village,
            "place_township_id": np.where(first == NONE, NONE, self.township_ids[np.maximum(first, 0)]),
        }
        if self.groups is not None:
            located["place_group_id"] = group_ids(self.groups, self.group_index, xy, village)
        return located


def _villages(
    session: Session, tables: dict[str, TableClause], township_id: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ids, township ids and polygons of the villages rows may lie in, by id."""
    v = tables["village"]
    query = select(v.c.id, v.c.township_id, func.ST_AsBinary(v.c.geom)).order_by(v.c.id)
    if township_id is not None:
        query = query.where(v.c.township_id == township_id)
    rows = session.execute(query).all()
    ids, towns, wkbs = (list(c) for c in zip(*rows)) if rows else ([], [], [])
    return np.array(ids, dtype=np.int64), np.array(towns, dtype=np.int64), shapely.from_wkb(wkbs)


def _groups(session: Session, tables: dict[str, TableClause]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ids, village ids, dimensions and geometries of every village group, by id."""
    g = tables["village_group"]
    rows = session.execute(
        select(g.c.id, g.c.village_id, func.ST_Dimension(g.c.geom), func.ST_AsBinary(g.c.geom)).order_by(g.c.id)
    ).all()
    ids, villages, dims, wkbs = (list(c) for c in zip(*rows)) if rows else ([], [], [], [])
    return (
        np.array(ids, dtype=np.int64),
        np.array(villages, dtype=np.int64),
        np.array(dims, dtype=np.int64),
        shapely.from_wkb(wkbs),
    )


def group_ids(groups, index: CoverIndex, xy: np.ndarray, village: np.ndarray) -> np.ndarray:
    """The group id (of GROUPS: ids, village ids, dimensions, geometries; INDEX: of its polygons) of each point
    of XY lying in VILLAGE (ids, NONE: not located), NONE for none."""
    ids, villages, dims, geoms = groups
    polygons = np.flatnonzero(dims == 2)
    inputs, hits = index.covering(xy)
    hits = polygons[hits]
    same = villages[hits] == village[inputs]
    first = first_hits(inputs[same], hits[same], len(xy))
    group = np.where(first == NONE, NONE, ids[np.maximum(first, 0)])
    lone = (group == NONE) & (village != NONE)
    for village_id in np.intersect1d(village[lone], villages[dims == 0]):
        rows = np.flatnonzero(lone & (village == village_id))
        nearest = np.flatnonzero((dims == 0) & (villages == village_id))
        # Rare (villages whose groups are points): only these rows become point geometries.
        points = shapely.points(xy[rows])
        inputs, hits = shapely.STRtree(geoms[nearest]).query_nearest(points, all_matches=True)
        group[rows] = ids[nearest[first_hits(inputs, hits, len(rows))]]
    return group


def nullable(located: dict[str, np.ndarray]) -> dict[str, list[int | None]]:
    """LOCATED (column -> ids, NONE: none) as lists with None, as the stage is written."""
    return {name: [None if i == NONE else i for i in ids.tolist()] for name, ids in located.items()}


def locate_points(
    session: Session, tables: dict[str, TableClause], xy: np.ndarray, township_id: int | None, groups: bool
) -> dict[str, np.ndarray]:
    """The staged columns place_village_id, place_township_id and (GROUPS) place_group_id of the points XY
    ((n, 2) coordinates, NaN: no point): the village (of township TOWNSHIP_ID when given) covering each, its
    township and its group; NONE: not located."""
    return Places.load(session, tables, township_id, groups).locate(xy)
