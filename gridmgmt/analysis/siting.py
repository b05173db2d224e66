"""Scoring and choosing 党建示范点: pure functions over measured candidates.

Selection maximises the sum of each chosen site's score plus its catchment points,
with a minimum spacing, at most N sites per field and per theme (一领域一特色), at most
N new sites per parent 党委 (每个党委选择一个条件较为成熟基层支部), locked-in awarded
sites and must-include candidates. CP-SAT solves it exactly;
a greedy pass is the baseline it is measured against.
"""

import time
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.sat.python import cp_model

from gridmgmt.domain.errors import UserError
from gridmgmt.domain.site_criteria import Candidate, SiteConfig, exclusions, in_corridor

# CP-SAT works on integers: objective values are kept to 0.01 points.
SCALE = 100


class SelectionError(UserError, ValueError):
    """No set satisfies the rules (or none was found in time); the message is Chinese."""


@dataclass(frozen=True)
class Score:
    """A candidate's score with its breakdown (criterion → points) and exclusions."""

    party_org_id: int
    breakdown: dict[str, float]
    catchment_points: float
    excluded: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        """Sum of the soft-criterion points."""
        return round(sum(self.breakdown.values()), 2)

    @property
    def objective(self) -> float:
        """What selection maximises for this site: score plus catchment points."""
        return round(self.total + self.catchment_points, 2)


def _fractions(c: Candidate, config: SiteConfig) -> dict[str, float]:
    """Each soft criterion as a fraction in [0, 1]."""
    area = c.venue_area_m2 or 0.0
    least = config.standard.min_venue_area_m2
    span = max(config.full_venue_area_m2 - least, 1e-9)
    seat = 0.0 if c.seat_road_m is None else 1 - c.seat_road_m / config.seat_reach_m
    return {
        "venue_area": (area - least) / span,
        "corridor": float(in_corridor(c, config)),
        "seat": seat,
        "contact_point": float(c.is_contact_point or c.is_secretary_model),
        "members": c.full_members / max(config.full_members, 1),
        "main_route": float(c.on_main_route),
    }


def score(c: Candidate, config: SiteConfig) -> Score:
    """Score C by the weighted soft criteria; hard requirements give the exclusions."""
    fractions = _fractions(c, config)
    breakdown = {
        name: round(weight * min(max(fractions[name], 0.0), 1.0), 2) for name, weight in config.weights.items()
    }
    catchment = round(config.catchment_weight * c.catchment_households / 100, 2)
    return Score(c.party_org_id, breakdown, catchment, tuple(exclusions(c, config)))


@dataclass(frozen=True)
class Option:
    """A site that selection may choose: position (m), field, theme, value and parent 党委."""

    id: int
    x: float
    y: float
    field: str
    theme: str | None
    value: float
    committee: int | None = None


@dataclass(frozen=True)
class Rules:
    """What a chosen set must respect; K counts the locked-in sites too, MAX_PER_COMMITTEE only
    the new ones (a locked-in site was put forward in an earlier year)."""

    k: int
    min_spacing_m: float = 0.0
    max_per_field: int | None = None
    max_per_theme: int | None = None
    max_per_committee: int | None = None
    locked: frozenset[int] = frozenset()
    must_include: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Selection:
    """A chosen set: ids, objective, and whether it is proven optimal."""

    ids: tuple[int, ...]
    objective: float
    optimal: bool
    bound: float | None = None
    seconds: float = 0.0
    method: str = "cp-sat"
    notes: tuple[str, ...] = field(default=())


def close_pairs(options: list[Option], spacing_m: float) -> list[tuple[int, int]]:
    """Index pairs (i < j) of options closer than SPACING_M to each other."""
    if spacing_m <= 0 or len(options) < 2:
        return []
    xy = np.array([(o.x, o.y) for o in options])
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    i, j = np.nonzero(np.triu(dist < spacing_m, k=1))
    return list(zip(i.tolist(), j.tolist()))


def _fixed_indexes(options: list[Option], rules: Rules) -> list[int]:
    """Indexes of locked and must-include options; SelectionError on unknown or too many."""
    index = {o.id: n for n, o in enumerate(options)}
    wanted = rules.locked | rules.must_include
    missing = sorted(wanted - set(index))
    if missing:
        raise SelectionError(f"必选或已授牌的示范点不在候选中（编号 {missing}）")
    if len(wanted) > rules.k:
        raise SelectionError(f"已授牌与必选示范点共{len(wanted)}个，超过要选的{rules.k}个")
    return sorted(index[i] for i in wanted)


def _limits(rules: Rules) -> dict[str, int]:
    """Group attribute → the most sites a group may have, for the limits RULES sets."""
    found = {"field": rules.max_per_field, "theme": rules.max_per_theme, "committee": rules.max_per_committee}
    return {attr: limit for attr, limit in found.items() if limit is not None}


def _key(o: Option, attr: str, rules: Rules):
    """O's group under ATTR, or None when no limit counts it (a locked site uses no 党委's slot)."""
    if attr == "committee" and o.id in rules.locked:
        return None
    return getattr(o, attr)


def _groups(options: list[Option], attr: str, rules: Rules) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for n, o in enumerate(options):
        key = _key(o, attr, rules)
        if key is not None:
            groups.setdefault(key, []).append(n)
    return groups


def _model(options: list[Option], rules: Rules, most: bool = False):
    """The CP-SAT model and its choice variables; MOST asks for the largest set instead of K sites."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{o.id}") for o in options]
    if not most:
        model.add(sum(chosen) == rules.k)
    for n in _fixed_indexes(options, rules):
        model.add(chosen[n] == 1)
    for i, j in close_pairs(options, rules.min_spacing_m):
        model.add_bool_or([chosen[i].Not(), chosen[j].Not()])
    for attr, limit in _limits(rules).items():
        for members in _groups(options, attr, rules).values():
            if len(members) > limit:
                model.add(sum(chosen[n] for n in members) <= limit)
    if most:
        model.maximize(sum(chosen))
    else:
        model.maximize(sum(round(o.value * SCALE) * x for o, x in zip(options, chosen)))
    return model, chosen


def most_sites(options: list[Option], rules: Rules, time_limit_s: float = 2.0) -> int:
    """The most sites RULES let be chosen among OPTIONS (RULES.k aside); 0 when none or not proven in time."""
    if not options:
        return 0
    model, _ = _model(options, replace(rules, k=len(options)), most=True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    return round(solver.objective_value) if status == cp_model.OPTIMAL else 0


def _limit_labels(rules: Rules) -> dict[str, str]:
    """Each limit RULES sets → how the page and the CLI name it."""
    labels = {
        "min_spacing_m": f"最小间距{rules.min_spacing_m:g}米",
        "max_per_field": f"每领域最多{rules.max_per_field}个",
        "max_per_theme": f"每主题最多{rules.max_per_theme}个",
        "max_per_committee": f"每个党委新选最多{rules.max_per_committee}个（党委上限）",
    }
    unset = {"min_spacing_m": 0.0, "max_per_field": None, "max_per_theme": None, "max_per_committee": None}
    return {key: label for key, label in labels.items() if getattr(rules, key) != unset[key]}


def refusal(options: list[Option], rules: Rules) -> SelectionError:
    """Why K sites cannot be chosen: the limits that alone stand in the way, and the largest feasible K."""
    best = most_sites(options, rules)
    unset = {"min_spacing_m": 0.0}
    binding = [
        label
        for key, label in _limit_labels(rules).items()
        if most_sites(options, replace(rules, **{key: unset.get(key)})) >= rules.k
    ]
    why = f"受“{'”“'.join(binding)}”限制" if binding else "受间距、领域/主题/党委上限与必选条件共同限制"
    hint = f"现有条件下最多可选{best}个" if best else "现有条件下一个也选不出"
    return SelectionError(f"选不出{rules.k}个示范点：{why}，{hint}（{len(options)}个合格候选）；请减少选点数或放宽条件")


def select_exact(options: list[Option], rules: Rules, time_limit_s: float = 10.0, workers: int = 2) -> Selection:
    """The best set by CP-SAT; optimal=False when the time limit stopped it first."""
    if rules.k > len(options):
        raise SelectionError(
            f"只有{len(options)}个合格候选，选不出{rules.k}个示范点；现有条件下最多可选{most_sites(options, rules)}个"
        )
    start = time.perf_counter()
    model, chosen = _model(options, rules)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    seconds = time.perf_counter() - start
    if status == cp_model.INFEASIBLE:
        raise refusal(options, rules)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SelectionError(f"{time_limit_s:g} 秒内未找到可行方案，请放宽条件或延长时限")
    ids = tuple(o.id for o, x in zip(options, chosen) if solver.value(x))
    optimal = status == cp_model.OPTIMAL
    bound = solver.best_objective_bound / SCALE
    notes = () if optimal else (f"达到 {time_limit_s:g} 秒时限，未能确认是得分最高的组合；得分最高不超过 {bound:.2f}",)
    return Selection(ids, _value(options, ids), optimal, bound, seconds, "cp-sat", notes)


def _value(options: list[Option], ids) -> float:
    wanted = set(ids)
    return round(sum(o.value for o in options if o.id in wanted), 2)


def select_greedy(options: list[Option], rules: Rules) -> Selection:
    """Baseline: fixed sites first, then the best-valued option that breaks no rule."""
    start = time.perf_counter()
    fixed = _fixed_indexes(options, rules)
    clash = {n: set() for n in range(len(options))}
    for i, j in close_pairs(options, rules.min_spacing_m):
        clash[i].add(j)
        clash[j].add(i)
    order = fixed + sorted(set(range(len(options))) - set(fixed), key=lambda n: (-options[n].value, options[n].id))
    taken: list[int] = []
    counts: dict[tuple[str, str], int] = {}
    limits = _limits(rules)
    for n in order:
        if len(taken) == rules.k:
            break
        keys = [(a, _key(options[n], a, rules)) for a in limits if _key(options[n], a, rules) is not None]
        if clash[n] & set(taken) or any(counts.get(key, 0) >= limits[key[0]] for key in keys):
            continue
        taken.append(n)
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    ids = tuple(options[n].id for n in sorted(taken))
    notes = () if len(ids) == rules.k else (f"贪心法只选出{len(ids)}个（要求{rules.k}个）",)
    return Selection(ids, _value(options, ids), False, None, time.perf_counter() - start, "greedy", notes)
