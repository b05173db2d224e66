"""The metric scale bar: a round ground length and the paper length it takes."""

import math

# Round lengths a reader can add up: 1, 2, 4, 5 × 10^n metres. A 4 splits into the bar's four
# whole segments, and keeps the bar from shrinking to 2 where a 5 does not fit.
_STEPS = (1, 2, 4, 5)


def nice_length(max_m: float) -> float:
    """The longest 1/2/4/5 × 10^n metres not over MAX_M (MAX_M > 0)."""
    if max_m <= 0:
        raise ValueError("scale bar room must be positive")
    power = 10 ** math.floor(math.log10(max_m))
    return max(step * power for step in _STEPS if step * power <= max_m)


def bar_ticks(length_m: float, segments: int = 4) -> tuple[list[float], list[str], str]:
    """Tick positions (ground metres), their texts, and the unit: 千米 from 1 km, else 米."""
    ticks = [length_m * k / segments for k in range(segments + 1)]
    unit, divisor = ("千米", 1000) if length_m >= 1000 else ("米", 1)
    return ticks, [f"{t / divisor:g}" for t in ticks], unit


def paper_mm(ground_m: float, map_units_per_mm: float, scale_factor: float) -> float:
    """Millimetres of paper that GROUND_M metres take on the map.

    Map units are projected metres; a projection with SCALE_FACTOR k at the map
    centre shows one ground metre as k map units.
    """
    return ground_m * scale_factor / map_units_per_mm


def scale_denominator(map_units_per_mm: float, scale_factor: float) -> int:
    """N of the representative fraction 1:N, rounded to three significant figures."""
    exact = map_units_per_mm * 1000 / scale_factor
    digits = 3 - int(math.floor(math.log10(exact))) - 1
    return int(round(exact, digits))
