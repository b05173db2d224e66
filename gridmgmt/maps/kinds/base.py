"""What every map kind gets and gives, and the background layers they share.

A kind names the data layers it needs (the briefing service loads them from
PostGIS, in EPSG:4326) and turns them into a MapSpec. Kinds never see a
database session, and never get household-level sensitive flags: the loaders
only hand out aggregates and non-sensitive points.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from gridmgmt.domain.errors import Conflict
from gridmgmt.domain.vocab import ROAD_CLASSES
from gridmgmt.maps import styles
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec

# Line widths (points on A4) of road classes; colours are the web map's.
ROAD_WIDTHS = {"national": 2.2, "provincial": 1.9, "county": 1.6, "township": 1.1, "village": 0.55}


class KindRefused(Conflict, ValueError):
    """The township lacks what this kind of map shows (Chinese message)."""


@dataclass(frozen=True)
class Place:
    """The township a map is made for."""

    code: str
    name: str
    county: str | None
    geom: BaseGeometry  # EPSG:4326
    seat: BaseGeometry | None = None


@dataclass(frozen=True)
class BriefingData:
    """A kind's input: the township, its loaded layers, the county's townships and the date."""

    place: Place
    layers: dict[str, gpd.GeoDataFrame]
    made_on: date
    county: gpd.GeoSeries | None = None
    facts: dict = field(default_factory=dict)  # loader notes, e.g. the grid plan's name


@dataclass(frozen=True)
class MapKind:
    """A kind of briefing map: its key, Chinese name, the layers it loads and its builder."""

    name: str
    label: str
    layers: tuple[str, ...]
    build: Callable[[BriefingData], MapSpec]


def spec_for(
    data: BriefingData, title: str, layers: list[MapLayer], labels: list[MapLabel], notes: tuple[str, ...] = ()
) -> MapSpec:
    """A MapSpec of DATA's township with the shared subtitle, inset and notes."""
    place = data.place
    return MapSpec(
        title=title,
        area=place.geom,
        layers=layers,
        labels=labels,
        place=f"{place.county or ''}{place.name}",
        made_on=data.made_on,
        county=data.county,
        notes=notes,
    )


def village_layers(data: BriefingData, fill: str = "#f8f4e1") -> list[MapLayer]:
    """Village areas with their boundaries (村界), the bottom of most maps."""
    return [
        MapLayer(
            "polygon",
            data.layers["villages"],
            label="行政村界",
            zorder=2,
            style={"facecolor": fill, "edgecolor": "#6d6d6d", "linewidth": 0.7, "linestyle": "-."},
        )
    ]


def boundary_layer(data: BriefingData) -> MapLayer:
    """The township boundary (镇界) over everything else."""
    frame = gpd.GeoDataFrame(geometry=[data.place.geom], crs=4326)
    return MapLayer(
        "polygon",
        frame,
        label="镇界",
        zorder=9,
        style={"facecolor": "none", "edgecolor": styles.TOWNSHIP["color"], "linewidth": 2.0, "linestyle": "--"},
    )


def road_layers(data: BriefingData, classes=tuple(ROAD_CLASSES)) -> list[MapLayer]:
    """One layer per road class present, lower classes first so main roads lie on top."""
    roads = data.layers["roads"]
    layers = []
    for road_class in reversed(list(ROAD_CLASSES)):
        if road_class not in classes:
            continue
        subset = roads[roads["road_class"] == road_class]
        if subset.empty:
            continue
        layers.append(
            MapLayer(
                "line",
                subset,
                label=ROAD_CLASSES[road_class],
                zorder=5,
                style={
                    "color": styles.ROADS[road_class]["color"],
                    "linewidth": ROAD_WIDTHS[road_class],
                    "capstyle": "round",
                },
            )
        )
    return layers


def water_layers(data: BriefingData) -> list[MapLayer]:
    """Water areas (reservoirs, ponds) and rivers and canals in the web map's blue, under the roads."""
    waters = data.layers["waters"]
    areas = waters[waters.geom_type.isin(["Polygon", "MultiPolygon"])]
    lines = waters[waters.geom_type.isin(["LineString", "MultiLineString"])]
    style = styles.WATER
    layers = []
    if not areas.empty:
        layers.append(
            MapLayer(
                "polygon",
                areas,
                label="水面",
                zorder=4,
                style={"facecolor": style["fillColor"], "edgecolor": style["color"], "linewidth": 0.5},
            )
        )
    if not lines.empty:
        layers.append(
            MapLayer("line", lines, label="河流沟渠", zorder=4, style={"color": style["color"], "linewidth": 1.4})
        )
    return layers


def seat_layer(data: BriefingData) -> list[MapLayer]:
    """The township seat (镇政府驻地) as a red star, when it is known."""
    if data.place.seat is None:
        return []
    frame = gpd.GeoDataFrame(geometry=[data.place.seat], crs=4326)
    return [
        MapLayer(
            "point",
            frame,
            label="镇政府驻地",
            zorder=12,
            keep_clear=True,
            style={"marker": "*", "markersize": 110, "color": "#d50000", "edgecolor": "white", "linewidth": 0.4},
        )
    ]


def village_labels(data: BriefingData) -> list[MapLabel]:
    """Village names at a point inside each village; bigger villages are placed first."""
    villages = data.layers["villages"]
    # Square degrees: good enough to rank villages by size.
    areas = shapely.area(villages.geometry.to_numpy())
    points = villages.geometry.representative_point()
    return [
        MapLabel(name, point.x, point.y, size=9.5, bold=True, priority=float(area))
        for name, point, area in zip(villages["name"], points, areas)
    ]


def seat_label(data: BriefingData) -> list[MapLabel]:
    """The township government's name beside the seat star, placed before anything else."""
    if data.place.seat is None:
        return []
    seat = data.place.seat
    return [MapLabel(f"{data.place.name}人民政府", seat.x, seat.y, size=8.5, priority=1e9)]


def classed(
    frame: gpd.GeoDataFrame,
    column: str,
    classes: list[tuple[str, str, Callable]],
    kind: str,
    base_style: dict,
    zorder: int = 3,
) -> list[MapLayer]:
    """One layer per class (label, colour, test on COLUMN), in the order of CLASSES.

    Empty classes keep their legend entry: 'no 空白组' is news a briefing wants.
    """
    layers = []
    colour_key = "facecolor" if kind == "polygon" else "color"
    for label, colour, test in classes:
        subset = frame[frame[column].map(test)] if not frame.empty else frame
        layers.append(MapLayer(kind, subset, label=label, zorder=zorder, style={**base_style, colour_key: colour}))
    return layers
