"""Villages and village groups tiling a township, with their hamlets and the seat."""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geodata.demo import names
from geodata.demo.shapes import second_points, tile


@dataclass
class Places:
    """One township's villages and groups (table frames) and its hamlets, in metres."""

    villages: pd.DataFrame
    groups: pd.DataFrame
    group_village: np.ndarray  # 0-based village of each group
    group_clan: list  # clan surname implied by a group's name, or None
    hamlets: np.ndarray  # (H, 2); hamlet g < len(groups) is group g's main hamlet
    hamlet_group: np.ndarray
    centre_hamlet: np.ndarray  # the hamlet at each village's centre
    seat_village: int

    @property
    def seat(self) -> np.ndarray:
        """镇政府驻地: the centre of the seat village."""
        return self.hamlets[self.centre_hamlet[self.seat_village]]


def _village_codes(town_code: str, n: int, seat: int) -> list[str]:
    # 统计用区划代码: 居委会 0xx, 村委会 2xx after the 9-digit township prefix.
    codes, number = [], 201
    for v in range(n):
        if v == seat:
            codes.append(f"{town_code[:9]}001")
        else:
            codes.append(f"{town_code[:9]}{number:03d}")
            number += 1
    return codes


def _designations(rng, n: int, seat: int) -> dict[str, np.ndarray]:
    """脱贫村 ~25 %, 乡村振兴重点村 ~10 %, 软弱涣散村 one or two; never the seat."""
    rural = np.array([v for v in range(n) if v != seat])
    flags = {}
    for column, count in [
        ("is_poverty_alleviated", max(1, n // 4)),
        ("is_revitalization_focus", max(1, n // 10)),
        ("is_weak_org", int(rng.integers(1, 3))),
    ]:
        flags[column] = np.isin(np.arange(n), rng.choice(rural, size=count, replace=False))
    return flags


def build_places(
    rng: np.random.Generator, boundary, town_code: str, n_villages: int, groups_per_village: tuple[int, int]
) -> Places:
    """Tile BOUNDARY with villages, each village with groups; one or two hamlets per group."""
    village_geoms, village_seeds = tile(rng, boundary, n_villages)
    centre = np.asarray(shapely.point_on_surface(boundary).coords[0])
    order = np.argsort(np.arctan2(*(village_seeds - centre).T[::-1]))
    village_geoms, village_seeds = village_geoms[order], village_seeds[order]
    seat = int(np.argmin(np.hypot(*(village_seeds - centre).T)))
    village_names = names.place_names(rng, n_villages, "村")
    village_names[seat] = village_names[seat][:-1] + "社区"
    villages = pd.DataFrame(
        {
            "id": np.arange(1, n_villages + 1),
            "township_id": 1,
            "code": _village_codes(town_code, n_villages, seat),
            "name": village_names,
            "is_community": np.arange(n_villages) == seat,
            **_designations(rng, n_villages, seat),
            "geom": village_geoms,
        }
    )
    rows, group_village, clans, seeds, centre_group = [], [], [], [], []
    for v, geom in enumerate(village_geoms):
        n = int(rng.integers(*groups_per_village, endpoint=True))
        cells, cell_seeds = tile(rng, geom, n)
        centre_group.append(len(rows) + int(np.argmin(np.hypot(*(cell_seeds - village_seeds[v]).T))))
        group_names, group_clans = names.group_names(rng, n)
        for k in range(n):
            rows.append(
                {
                    "village_id": v + 1,
                    "code": f"{villages.code[v]}{k + 1:02d}",
                    "name": group_names[k],
                    "geom": cells[k],
                }
            )
        group_village += [v] * n
        clans += group_clans
        seeds.append(cell_seeds)
    groups = pd.DataFrame(rows)
    groups.insert(0, "id", np.arange(1, len(groups) + 1))
    main = np.vstack(seeds)
    with_second = np.flatnonzero(rng.random(len(groups)) < 0.35)
    extra = second_points(rng, groups.geom.to_numpy()[with_second], main[with_second], 350)
    return Places(
        villages=villages,
        groups=groups,
        group_village=np.array(group_village),
        group_clan=clans,
        hamlets=np.vstack([main, extra]),
        hamlet_group=np.concatenate([np.arange(len(groups)), with_second]),
        centre_hamlet=np.array(centre_group),
        seat_village=seat,
    )
