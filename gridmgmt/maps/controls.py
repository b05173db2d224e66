"""Map controls: the legend (drawn from the layers' own styles) and a metric scale."""

from html import escape

from folium import MacroElement
from folium.template import Template

from gridmgmt.domain.vocab import ROAD_CLASSES
from gridmgmt.domain.wording import ATTRIBUTION
from gridmgmt.maps import styles


def _line(style: dict) -> str:
    dash = "dashed" if style.get("dashArray") else "solid"
    return f'<span class="swatch" style="border-top:{style["weight"]}px {dash} {style["color"]}"></span>'


def _area(style: dict) -> str:
    return (
        f'<span class="swatch" style="height:12px;background:{style["fillColor"]};'
        f'border:{style["weight"]}px solid {style["color"]}"></span>'
    )


def _dot(style: dict) -> str:
    size = 2 * style["radius"] + 2
    return (
        f'<span class="swatch"><span style="display:inline-block;width:{size}px;'
        f'height:{size}px;border-radius:50%;background:{style["fill_color"]}"></span></span>'
    )


def _venue() -> str:
    return '<span class="swatch"><span class="venue-icon" style="display:inline-block">党</span></span>'


def legend_rows() -> list[tuple[str, str]]:
    """(swatch HTML, Chinese label) for every layer of the township map, top to bottom."""
    names = styles.LAYER_NAMES
    rows = [
        (_line(styles.TOWNSHIP), names["township"]),
        (_area(styles.VILLAGE), names["villages"]),
        (_line(styles.GROUP), names["groups"]),
        (_area(styles.WATER), names["waters"]),
    ]
    rows += [(_line(styles.ROADS[key]), label) for key, label in ROAD_CLASSES.items()]
    rows += [(_venue(), names["venues"]), (_dot(styles.HOUSEHOLD), names["households"])]
    return rows


class Legend(MacroElement):
    """A legend control with a Chinese title (bottom left unless POSITION says), listing ROWS
    (default: the township map's layers); folded on narrow screens."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "map-legend");
            div.innerHTML = {{ this.html|tojson }};
            div.firstChild.open = window.innerWidth > 600;
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, title: str = "图例", rows: list[tuple[str, str]] | None = None, position: str = "bottomleft"):
        super().__init__()
        self._name = "Legend"
        self.position = position
        body = "".join(f"<div>{swatch}{escape(label)}</div>" for swatch, label in rows or legend_rows())
        self.html = f"<details><summary>{escape(title)}</summary>{body}</details>"


class MetricScale(MacroElement):
    """A scale bar in metres only."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


class PlainAttribution(MacroElement):
    """The project's short attribution (wording.ATTRIBUTION) in place of Leaflet's prefix and its flag."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix|tojson }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self.prefix = ATTRIBUTION


def escaped(collection: dict) -> dict:
    """A copy of COLLECTION whose text properties are HTML-escaped (tooltips use innerHTML)."""
    features = [
        {
            **feature,
            "properties": {
                key: escape(value) if isinstance(value, str) else value for key, value in feature["properties"].items()
            },
        }
        for feature in collection["features"]
    ]
    return {"type": "FeatureCollection", "features": features}
