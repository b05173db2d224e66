"""What a map kind hands to the renderer: styled layers, labels and the text around them."""

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class MapLayer:
    """One legend entry: features in EPSG:4326 drawn with one style.

    KIND is "polygon", "line" or "point"; STYLE holds matplotlib keywords
    (facecolor/edgecolor/linewidth/linestyle for polygons and lines,
    marker/markersize/color/edgecolor for points). A layer without LABEL is drawn
    but kept out of the legend.
    """

    kind: str
    frame: gpd.GeoDataFrame
    style: dict
    label: str | None = None
    zorder: int = 1
    # Point layers whose markers labels must not cover (the seat, venues).
    keep_clear: bool = False


@dataclass(frozen=True)
class MapLabel:
    """A name written near a point (EPSG:4326); PRIORITY orders who gets a place first."""

    text: str
    lon: float
    lat: float
    size: float = 9.0
    bold: bool = False
    priority: float = 0.0
    # Placed labels never overlap one another; optional ones are dropped when no place is free.
    optional: bool = False


@dataclass(frozen=True)
class MapSpec:
    """A whole map: the AREA it frames (EPSG:4326), layers bottom-up, labels and text."""

    title: str
    area: BaseGeometry
    layers: list[MapLayer]
    labels: list[MapLabel] = field(default_factory=list)
    place: str = ""  # e.g. 和平县热水镇, shown in the subtitle
    made_on: date = field(default_factory=date.today)
    source: str = "乡镇党建网格化管理系统"
    # The county's townships for the inset; the inset is drawn when there are two or more.
    county: gpd.GeoSeries | None = None
    notes: tuple[str, ...] = ()
