"""Cadres with their roles and village postings (挂点, 包村, 第一书记, 工作队).

Deliberate gaps: one township leader has no 挂点 village, and one village designated
脱贫/乡村振兴重点/软弱涣散 has no first secretary. Each village's 村党组织书记 is the
first of its village cadres. (geodata.demo.residents plants the cases of dated postings.)
"""

import numpy as np
import pandas as pd
import shapely

from geodata.demo import names
from geodata.demo.party import Party, new_members
from geodata.demo.places import Places
from gridmgmt.domain.postings import RESIDENT_ASSIGNMENTS

VILLAGE_CADRES = 5
HOUSEHOLDS_PER_GRID_WORKER = 150


class _Cadres:
    """Accumulates cadre rows and their village postings."""

    def __init__(self, rng, town_code: str, until):
        self.rng, self.town_code, self.until = rng, town_code, until
        self.rows, self.postings = [], []

    def add(self, role, name, home, household=None, member=None, village=None, assignment=None):
        cadre_id = len(self.rows) + 1
        self.rows.append(
            {
                "id": cadre_id,
                "township_id": 1,
                "household_id": household,
                "party_member_id": member,
                "code": f"GB{self.town_code}{cadre_id:04d}",
                "name": name,
                "cadre_role": role,
                "home": shapely.Point(home),
            }
        )
        if assignment:
            # Posted before the year of visits that build_activity makes, so those visits count;
            # residents within their two-year term (003 二.1“任期两年”).
            days = int(self.rng.integers(366, 700 if assignment in RESIDENT_ASSIGNMENTS else 1100))
            self.postings.append(
                {
                    "cadre_id": cadre_id,
                    "village_id": village + 1,
                    "assignment": assignment,
                    "start_date": (np.datetime64(self.until) - days).astype(object),
                }
            )
        return cadre_id


def _township_staff(rng, staff: _Cadres, places: Places, party: Party) -> None:
    """Secretary, leaders (each 挂点 one village but the last) and 包村 township cadres."""
    leaders = min(int(rng.integers(7, 10)), len(places.villages))
    per_village = rng.integers(1, 3, len(places.villages))
    roles = ["township_secretary"] + ["township_leader"] * leaders + ["township_cadre"] * int(per_village.sum())
    villages = [int(rng.integers(len(places.villages)))]
    villages += list(rng.choice(len(places.villages), leaders - 1, replace=False)) + [None]
    villages += list(np.repeat(np.arange(len(places.villages)), per_village))
    n = len(roles)
    female = rng.random(n) < 0.25
    person = names.person_names(rng, names.random_surnames(rng, n), female)
    joins = rng.random(n) < 0.9
    members = new_members(
        rng,
        len(party.members) + 1,
        staff.town_code,
        np.full(joins.sum(), party.agency_branch),
        [None] * joins.sum(),
        person[joins],
        female[joins],
        staff.until,
    )
    party.members = pd.concat([party.members, members], ignore_index=True)
    member_ids = np.full(n, None)
    member_ids[joins] = members.id.to_numpy()
    homes = places.seat + rng.normal(0, 400, (n, 2))
    kinds = {"township_secretary": "gua_dian", "township_leader": "gua_dian", "township_cadre": "bao_cun"}
    for role, name, home, member, village in zip(roles, person, homes, member_ids, villages):
        staff.add(
            role,
            name,
            home,
            member=member,
            village=None if village is None else int(village),
            assignment=None if village is None else kinds[role],
        )


def _village_people(rng, staff: _Cadres, places: Places, households: pd.DataFrame, party: Party) -> None:
    """村干部 (party members, the first the 村党组织书记) and 网格员 living in the village."""
    xy = shapely.get_coordinates(households.geom.to_numpy())
    homes = party.members.dropna(subset=["household_id"])
    home_village = households.village_id.to_numpy()[homes.household_id.astype(int) - 1]
    for v in range(len(places.villages)):
        local = homes[home_village == v + 1]
        chosen = local.iloc[rng.choice(len(local), min(VILLAGE_CADRES - 1, len(local)), replace=False)]
        for k, member in enumerate(chosen.itertuples()):
            staff.add(
                "village_secretary" if k == 0 else "village_cadre",
                member.name,
                xy[member.household_id - 1],
                household=member.household_id,
                member=member.id,
            )
        village_homes = np.flatnonzero(households.village_id.to_numpy() == v + 1)
        workers = 1 + len(village_homes) // HOUSEHOLDS_PER_GRID_WORKER
        for i, h in enumerate(rng.choice(village_homes, workers + 1, replace=False)):
            role = "village_cadre" if i == 0 else "grid_worker"
            staff.add(role, households["head"].iat[h], xy[h], household=int(h) + 1)


def _posted(rng, staff: _Cadres, places: Places) -> None:
    """第一书记 (one per designated village, one gap) with two 工作队员 each."""
    flags = places.villages[["is_poverty_alleviated", "is_revitalization_focus", "is_weak_org"]]
    designated = np.flatnonzero(flags.any(axis=1).to_numpy())
    served = np.setdiff1d(designated, rng.choice(designated, 1))
    n = 3 * len(served)
    person = names.person_names(rng, names.random_surnames(rng, n), rng.random(n) < 0.3)
    for k, v in enumerate(served):
        home = places.hamlets[places.centre_hamlet[v]]
        for j, role in enumerate(["first_secretary", "work_team", "work_team"]):
            staff.add(role, person[3 * k + j], home + rng.normal(0, 40, 2), village=int(v), assignment=role)


def build_cadres(rng, places: Places, households: pd.DataFrame, party: Party, town_code: str, until):
    """(cadre frame, cadre_village frame); township cadres join the 机关党支部 in PARTY."""
    staff = _Cadres(rng, town_code, until)
    _township_staff(rng, staff, places, party)
    _village_people(rng, staff, places, households, party)
    _posted(rng, staff, places)
    cadres = pd.DataFrame(staff.rows)
    cadres["phone"] = names.phones(rng, len(cadres))
    for column in ("household_id", "party_member_id"):
        cadres[column] = pd.array(cadres[column], dtype="Int64")
    postings = pd.DataFrame(staff.postings)
    postings.insert(0, "id", np.arange(1, len(postings) + 1))
    return cadres, postings
