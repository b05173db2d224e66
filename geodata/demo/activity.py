"""A year of 走访 and 四必到 events, with the gaps real records show.

Duties followed (with realistic misses): 包村 township cadres visit each household of
their village once a year; 第一书记/工作队 every household each quarter; the 村党组织书记
most households of their village once a year; grid workers and village cadres each 必访
household monthly; the township secretary the groups and hardship households. A few
GPS fixes are far from the household.
"""

import uuid

import numpy as np
import pandas as pd
import shapely

from geodata.demo.households import FLAG_RATES
from geodata.demo.places import Places

FAR_VISIT_M = 500.0  # fixes farther than this from the household are flagged
TIMEZONE = "Asia/Shanghai"
EVENT_WINDOW_H = {"grievance": 24, "emergency": 2, "dispute": 24, "bereavement_hardship": 24}
EVENT_SHARE = {"grievance": 0.3, "emergency": 0.1, "dispute": 0.35, "bereavement_hardship": 0.25}
DESCRIPTIONS = {
    "grievance": ["对低保评定结果有意见", "反映村道硬化进度慢", "对征地补偿标准不满"],
    "emergency": ["暴雨致房屋后山滑坡", "家中失火", "老人走失"],
    "dispute": ["邻里宅基地边界纠纷", "山林权属纠纷", "家庭赡养纠纷", "灌溉用水纠纷"],
    "bereavement_hardship": ["家中老人去世", "主要劳动力因病住院", "子女上学费用困难"],
}


def _duty(rng, homes: np.ndarray, visitors: np.ndarray, periods: int, chance) -> dict:
    """Each of HOMES, in each of PERIODS slices of the year, visited with CHANCE by a VISITOR."""
    home = np.repeat(homes, periods)
    slot = np.tile(np.arange(periods), len(homes))
    keep = rng.random(len(home)) < np.repeat(np.broadcast_to(chance, len(homes)), periods)
    day = (slot[keep] + rng.random(keep.sum())) * 365 / periods
    return {"target": home[keep], "cadre": rng.choice(visitors, keep.sum()), "day": day}


def _stamp(start: np.datetime64, day: np.ndarray) -> np.ndarray:
    """Local times DAY days after START, moved into working hours (08–18)."""
    whole = np.floor(day)
    seconds = (8 * 3600 + (day - whole) * 10 * 3600).astype("int64")
    return start + whole.astype("int64").astype("timedelta64[D]") + seconds.astype("timedelta64[s]")


def _tz(local: np.ndarray) -> pd.Series:
    return pd.Series(pd.to_datetime(local).tz_localize(TIMEZONE)).astype(object)


def _staff_by_village(cadres: pd.DataFrame, postings: pd.DataFrame, households: pd.DataFrame, n: int):
    """For each village: posted township cadres (包村), first secretary + team, local people,
    and the 村党组织书记 among them."""
    posted = postings.assign(role=postings.cadre_id.map(cadres.set_index("id").cadre_role))
    live = cadres.dropna(subset=["household_id"])
    secretary = live.cadre_role.to_numpy() == "village_secretary"
    live_village = households.village_id.to_numpy()[live.household_id.astype(int) - 1]
    out = []
    for v in range(1, n + 1):
        here = posted[posted.village_id == v]
        out.append(
            {
                "bao_cun": here.cadre_id[here.assignment == "bao_cun"].to_numpy(),
                "resident": here.cadre_id[here.assignment.isin(["first_secretary", "work_team"])].to_numpy(),
                "local": live.id[live_village == v].to_numpy(),
                "secretary": live.id[(live_village == v) & secretary].to_numpy(),
            }
        )
    return out


def build_events(rng, households: pd.DataFrame, staff: list, start: np.datetime64, until: np.datetime64):
    """四必到 events: ~80 % attended in time, some late, some never; recent ones still open."""
    rows = []
    for v, people in enumerate(staff):
        homes = np.flatnonzero(households.village_id.to_numpy() == v + 1)
        posted = np.concatenate([people["bao_cun"], people["resident"]])
        responders = posted if len(posted) else people["local"]
        for _ in range(rng.poisson(12)):
            kind = rng.choice(list(EVENT_SHARE), p=list(EVENT_SHARE.values()))
            window = np.timedelta64(EVENT_WINDOW_H[kind], "h")
            reported = _stamp(start, rng.uniform(0, 365, 1))[0]
            outcome = rng.random()
            late = rng.uniform(0.1, 0.9) if outcome < 0.8 else rng.uniform(1.2, 5.0)
            attended = reported + (late * window).astype("timedelta64[s]") if outcome < 0.9 else None
            if attended is not None and attended > until:
                attended = None
            closed = attended is not None and attended < until - np.timedelta64(14, "D") and rng.random() < 0.85
            h = int(rng.choice(homes))
            rows.append(
                {
                    "village_id": v + 1,
                    "household_id": h + 1,
                    "event_type": kind,
                    "description": rng.choice(DESCRIPTIONS[kind]),
                    "reported_by": int(rng.choice(people["local"])),
                    "reported_at": reported,
                    "attend_by": reported + window,
                    "status": "closed" if closed else ("attended" if attended is not None else "reported"),
                    "attended_by": int(rng.choice(responders)) if attended is not None else None,
                    "attended_at": attended,
                    "home": h,
                }
            )
    events = pd.DataFrame(rows)
    events.insert(0, "id", np.arange(1, len(events) + 1))
    xy = shapely.get_coordinates(households.geom.to_numpy()[events.home]) + rng.normal(0, 20, (len(events), 2))
    events["geom"] = shapely.points(xy)
    return events.drop(columns="home")


def _gps(rng, target: np.ndarray) -> dict:
    """Phone fixes near TARGET (m); about 2 % far away (wrong place or spoofed)."""
    n = len(target)
    offset = rng.normal(0, 12, (n, 2))
    far = rng.random(n) < 0.02
    angle = rng.uniform(0, 2 * np.pi, far.sum())
    offset[far] = np.column_stack([np.cos(angle), np.sin(angle)]) * rng.uniform(1000, 6000, (far.sum(), 1))
    distance = np.hypot(*offset.T).round(1)
    return {
        "accuracy_m": rng.uniform(4, 30, n).round(1),
        "distance_m": distance,
        "flagged": distance > FAR_VISIT_M,
        "geom": shapely.points(target + offset),
    }


def client_ids(rng, n: int) -> list[str]:
    """N random UUIDs (as a phone makes them) from RNG."""
    raw = rng.bytes(16 * n)
    return [str(uuid.UUID(bytes=raw[16 * i : 16 * i + 16], version=4)) for i in range(n)]


def _duties(rng, places: Places, households: pd.DataFrame, staff: list, secretary: int) -> list:
    """(kind, on_group, duty) triples for every visiting duty of the year."""
    must = households[list(FLAG_RATES)].any(axis=1).to_numpy()
    neglected = rng.random(len(households)) < 0.1
    duties = []
    for v, people in enumerate(staff):
        homes = np.flatnonzero(households.village_id.to_numpy() == v + 1)
        if len(people["bao_cun"]):
            duties.append(("routine", False, _duty(rng, homes, people["bao_cun"], 1, 0.85)))
        if len(people["resident"]):
            duties.append(("routine", False, _duty(rng, homes, people["resident"], 4, 0.8)))
        if len(people["secretary"]):
            duties.append(("routine", False, _duty(rng, homes, people["secretary"], 1, 0.75)))
        flagged = homes[must[homes]]
        chance = np.where(neglected[flagged], 0.15, 0.8)
        duties.append(("must_visit", False, _duty(rng, flagged, people["local"], 12, chance)))
    hardship = np.flatnonzero(households.hardship.to_numpy())
    duties.append(("routine", True, _duty(rng, np.arange(len(places.groups)), np.array([secretary]), 1, 0.7)))
    duties.append(("must_visit", False, _duty(rng, hardship, np.array([secretary]), 1, 0.6)))
    return duties


def build_activity(
    rng, places: Places, households: pd.DataFrame, cadres: pd.DataFrame, postings: pd.DataFrame, until
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(event frame, visit frame) for the 365 days before UNTIL."""
    end = np.datetime64(until, "s")
    start = end - np.timedelta64(365, "D")
    staff = _staff_by_village(cadres, postings, households, len(places.villages))
    events = build_events(rng, households, staff, start, end)
    secretary = int(cadres.id[cadres.cadre_role == "township_secretary"].iloc[0])
    home_xy = shapely.get_coordinates(households.geom.to_numpy())
    parts = []
    for kind, on_group, duty in _duties(rng, places, households, staff, secretary):
        target = places.hamlets[duty["target"]] if on_group else home_xy[duty["target"]]
        parts.append(
            pd.DataFrame(
                {
                    "cadre_id": duty["cadre"],
                    "household_id": None if on_group else duty["target"] + 1,
                    "group_id": duty["target"] + 1 if on_group else None,
                    "event_id": None,
                    "visited_at": _stamp(start, duty["day"]),
                    "kind": kind,
                    "tx": target[:, 0],
                    "ty": target[:, 1],
                }
            )
        )
    done = events.dropna(subset=["attended_at"])
    parts.append(
        pd.DataFrame(
            {
                "cadre_id": done.attended_by.astype(int),
                "household_id": done.household_id,
                "group_id": None,
                "event_id": done.id,
                "visited_at": done.attended_at.to_numpy().astype("datetime64[s]"),
                "kind": "event",
                "tx": home_xy[done.household_id - 1, 0],
                "ty": home_xy[done.household_id - 1, 1],
            }
        )
    )
    visits = pd.concat(parts, ignore_index=True).sort_values("visited_at", kind="stable", ignore_index=True)
    target = np.column_stack([visits.pop("tx"), visits.pop("ty")])
    visits = visits.assign(**_gps(rng, target))
    visits.insert(0, "client_id", client_ids(rng, len(visits)))
    visits.insert(0, "id", np.arange(1, len(visits) + 1))
    for column in ("household_id", "group_id", "event_id"):
        visits[column] = pd.array(visits[column], dtype="Int64")
    visits["visited_at"] = _tz(visits.visited_at.to_numpy())
    for column in ("reported_at", "attend_by", "attended_at"):
        events[column] = _tz(events[column].to_numpy().astype("datetime64[s]"))
    events["attended_by"] = pd.array(events.attended_by, dtype="Int64")
    return events, visits
