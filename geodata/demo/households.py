"""Households clustered in hamlets and strung along their access roads, with 必访 flags."""

import numpy as np
import pandas as pd
import shapely

from geodata.demo import names
from geodata.demo.places import Places
from geodata.demo.shapes import pull_inside

# Share of households with each 四必访 flag (sensitive: never logged).
FLAG_RATES = {
    "hardship": 0.04,
    "critically_ill": 0.015,
    "empty_nest_elderly": 0.06,
    "left_behind_children": 0.03,
    "petitioner": 0.005,
}
ALONG_ROAD_SHARE = 0.35
MAX_PER_GROUP = 900  # household codes keep 3 digits


def _group_sizes(rng, n_groups: int, total: int) -> np.ndarray:
    weights = rng.gamma(4.0, 1.0, n_groups)
    return np.clip(np.round(total * weights / weights.sum()), 15, MAX_PER_GROUP).astype(int)


def _hamlet_of(rng, places: Places, group: np.ndarray) -> np.ndarray:
    second = np.full(len(places.groups), -1)
    extra = np.arange(len(places.groups), len(places.hamlets))
    second[places.hamlet_group[extra]] = extra
    use_second = (second[group] >= 0) & (rng.random(len(group)) < 0.3)
    return np.where(use_second, second[group], group)


def _positions(rng, places: Places, access: dict, hamlet: np.ndarray, group: np.ndarray):
    hx, hy = places.hamlets[hamlet].T
    spread = rng.uniform(60, 160, len(places.hamlets))[hamlet]
    x = hx + rng.normal(0, 1, len(hamlet)) * spread
    y = hy + rng.normal(0, 1, len(hamlet)) * spread
    road_of = np.array([access.get(h) for h in range(len(places.hamlets))], dtype=object)
    has_road = np.array([road is not None for road in road_of])
    on_road = has_road[hamlet] & (rng.random(len(hamlet)) < ALONG_ROAD_SHARE)
    roads = road_of[hamlet[on_road]]
    lengths = shapely.length(roads)
    back = rng.uniform(0, np.minimum(lengths, 500.0))
    road_points = shapely.get_coordinates(shapely.line_interpolate_point(roads, lengths - back))
    x[on_road] = road_points[:, 0] + rng.normal(0, 15, on_road.sum())
    y[on_road] = road_points[:, 1] + rng.normal(0, 15, on_road.sum())
    return pull_inside(places.groups.geom.to_numpy()[group], x, y, hx, hy)


def _flags(rng, n: int, member_count: np.ndarray) -> dict[str, np.ndarray]:
    flags = {name: rng.random(n) < rate for name, rate in FLAG_RATES.items()}
    # Empty nests hold one or two old people; left-behind children live with grandparents.
    member_count[flags["empty_nest_elderly"]] = rng.integers(1, 3, flags["empty_nest_elderly"].sum())
    member_count[flags["left_behind_children"]] = np.maximum(member_count[flags["left_behind_children"]], 3)
    return flags


def build_households(rng: np.random.Generator, places: Places, access: dict, total: int) -> pd.DataFrame:
    """About TOTAL households; ACCESS maps a hamlet to the road that leads to it."""
    group = np.repeat(np.arange(len(places.groups)), _group_sizes(rng, len(places.groups), total))
    n = len(group)
    hamlet = _hamlet_of(rng, places, group)
    x, y = _positions(rng, places, access, hamlet, group)
    member_count = np.minimum(1 + rng.poisson(2.5, n), 8)
    flags = _flags(rng, n, member_count)
    clan = np.array([c or "" for c in places.group_clan])[group]
    surname = np.where((clan != "") & (rng.random(n) < 0.6), clan, names.random_surnames(rng, n))
    female = rng.random(n) < np.where(flags["empty_nest_elderly"], 0.4, 0.1)
    seq = np.arange(n) - np.searchsorted(group, group) + 1
    village = places.group_village[group]
    group_code = places.groups.code.to_numpy()[group]
    place = places.villages.name.to_numpy()[village] + np.array([g[:-1] for g in places.groups.name])[group]
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "village_id": village + 1,
            "group_id": group + 1,
            "code": [f"{c}{s:03d}" for c, s in zip(group_code, seq)],
            "head": names.person_names(rng, surname, female),
            "address": [f"{p}{s}号" for p, s in zip(place, seq)],
            "member_count": member_count,
            **flags,
            "is_party_household": False,
            "is_party_center_household": False,
            "geom": shapely.points(x, y),
        }
    )
