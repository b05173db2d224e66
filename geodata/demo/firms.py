"""Enterprises and co-operatives; some above-scale firms deliberately lack a party org."""

import numpy as np
import pandas as pd
import shapely

from geodata.demo import names
from geodata.demo.places import Places

ABOVE_SCALE = 5
ABOVE_SCALE_WITHOUT_PARTY = 2


def _credit_codes(rng, prefix: str, n: int) -> list[str]:
    # Shaped like a 18-character 统一社会信用代码; the check digit is not computed.
    alphabet = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    tails = rng.choice(alphabet, size=(n, 10))
    return [prefix + "".join(t) for t in tails]


def build_firms(rng: np.random.Generator, places: Places, households: pd.DataFrame):
    """(economic_org frame without party_org_id, mask of firms that get a party branch)."""
    n_firms, n_coops = int(rng.integers(10, 15)), int(rng.integers(14, 22))
    n = n_firms + n_coops
    coop = np.arange(n) >= n_firms
    # Factories gather at the seat; co-ops spread over the villages.
    village = rng.integers(0, len(places.villages), n)
    village[~coop & (rng.random(n) < 0.4)] = places.seat_village
    home = np.array([rng.choice(np.flatnonzero(households.village_id.to_numpy() == v + 1)) for v in village])
    xy = shapely.get_coordinates(households.geom.to_numpy()[home]) + rng.normal(0, 40, (n, 2))
    above = np.arange(n) < ABOVE_SCALE
    employees = np.where(
        above, rng.integers(120, 600, n), np.where(coop, rng.integers(5, 60, n), rng.integers(8, 90, n))
    )
    wants_branch = np.where(above, np.arange(n) >= ABOVE_SCALE_WITHOUT_PARTY, rng.random(n) < 0.3)
    village_names = places.villages.name.to_numpy()
    frame = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "township_id": 1,
            "village_id": village + 1,
            "code": _credit_codes(rng, "91441624", n_firms) + _credit_codes(rng, "93441624", n_coops),
            "name": [names.firm_name(rng, village_names[v][:2], c) for v, c in zip(village, coop)],
            "kind": np.where(coop, "cooperative", "enterprise"),
            "above_scale": above,
            "employees": employees,
            "geom": shapely.points(xy),
        }
    )
    return frame, wants_branch
