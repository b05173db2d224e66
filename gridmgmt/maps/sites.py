"""Demo-site overlays on the township map: corridors, candidates, the chosen set, the tour.

Candidates are filled discs coloured by score (or by review status), drawn over the 党 venue
icons they stand on, with the score written inside and a legend of their own.
"""

from dataclasses import dataclass

import folium

from gridmgmt.maps.controls import Legend, escaped

# Score bands (points) and their colours, low to high; excluded candidates are grey.
SCORE_BANDS = ((0, "#f4a582"), (40, "#f7d774"), (60, "#92c5de"), (80, "#1a9850"))
EXCLUDED = "#9e9e9e"
STATUS_COLOURS = {
    "未申报": "#ffffff",
    "申报": "#f7d774",
    "初审": "#fdae61",
    "实地验收": "#92c5de",
    "授牌": "#c8102e",
    "限期整改": "#7b2d8b",
    "摘牌": "#616161",
}
CHOSEN = "#c8102e"
CORRIDOR = {"color": "#e67e22", "weight": 0, "fillColor": "#f5b041", "fillOpacity": 0.25}
TOUR = {"color": "#c8102e", "weight": 4, "dashArray": "8 6", "opacity": 0.9}
BACK = {"color": "#c8102e", "weight": 3, "dashArray": "2 6", "opacity": 0.7}
CANDIDATE_TIP = {
    "name": "党组织",
    "code": "编码",
    "score": "总分",
    "objective": "综合得分",
    "status": "评审状态",
    "excluded": "不合格原因",
}
# A disc per candidate (its html built from numbers and colours only), above the venue icons (600).
_MARK = folium.JsCode("""function (feature, layer) {
    var p = feature.properties, size = p.chosen ? 26 : 22;
    layer.setIcon(L.divIcon({
        className: "site-mark" + (p.chosen ? " chosen" : "") + (p.fill === "#9e9e9e" ? " excluded" : ""),
        html: "<span style=\\"background:" + p.fill + "\\">" + p.label + "</span>",
        iconSize: [size, size], iconAnchor: [size / 2, size / 2]}));
    layer.setZIndexOffset(p.chosen ? 800 : 400);
}""")
CSS = f"""
.site-mark span {{ display: block; width: 100%; height: 100%; box-sizing: border-box; border-radius: 50%;
  border: 1.5px solid #333; font: bold 10px/19px sans-serif; text-align: center; color: #1b1b1b;
  box-shadow: 0 0 0 1.5px #fff; }}
.site-mark.chosen span {{ border: 3px solid {CHOSEN}; line-height: 20px; font-size: 11px; }}
.site-mark.excluded span {{ color: #fff; border-color: #666; }}
.map-legend .disc {{ display: inline-block; width: 14px; height: 14px; border-radius: 50%;
  border: 1.5px solid #333; vertical-align: middle; box-sizing: border-box; }}
"""


@dataclass(frozen=True)
class SiteOverlays:
    """GeoJSON FeatureCollections drawn over the township map."""

    corridors: dict
    candidates: dict
    tour: dict | None = None


def score_colour(score: float) -> str:
    """Fill colour of a candidate with SCORE points."""
    return [colour for low, colour in SCORE_BANDS if score >= low][-1]


def band_labels() -> list[tuple[str, str]]:
    """(colour, "40–60 分") of each score band, low to high; the top band is "80 分以上"."""
    highs = [low for low, _ in SCORE_BANDS[1:]] + [None]
    return [
        (colour, f"{low}–{high} 分" if high is not None else f"{low} 分以上")
        for (low, colour), high in zip(SCORE_BANDS, highs)
    ]


def _disc(colour: str, border: str = "#333", width: float = 1.5) -> str:
    return f'<span class="swatch"><span class="disc" style="background:{colour};border:{width}px solid {border}"></span></span>'


def legend_rows() -> list[tuple[str, str]]:
    """(swatch HTML, Chinese label) of the site overlays: score bands, excluded, chosen, corridor, tour."""
    rows = [(_disc(colour), label) for colour, label in band_labels()]
    rows.reverse()
    rows += [
        (_disc(EXCLUDED, "#666"), "不合格（悬停看原因）"),
        (_disc("#ffffff", CHOSEN, 3), "入选（圈内为总分）"),
        (
            f'<span class="swatch" style="height:12px;background:{CORRIDOR["fillColor"]};opacity:.6"></span>',
            "国道、省道、县道两侧范围",
        ),
        (f'<span class="swatch" style="border-top:3px dashed {TOUR["color"]}"></span>', "观摩路线"),
        (f'<span class="swatch" style="border-top:3px dotted {BACK["color"]}"></span>', "返回乡镇驻地"),
    ]
    return rows


def _marked(candidates: dict, by_status: bool) -> dict:
    """CANDIDATES with each disc's fill colour and label (its score) in its properties."""
    features = []
    for feature in candidates["features"]:
        p = feature["properties"]
        if by_status:
            fill = STATUS_COLOURS.get(p["status"], "#ffffff")
        else:
            fill = EXCLUDED if p["excluded"] != "—" else score_colour(p["score"])
        features.append({**feature, "properties": {**p, "fill": fill, "label": f"{p['score']:.0f}"}})
    return {"type": "FeatureCollection", "features": features}


def add_site_overlays(fmap: folium.Map, overlays: SiteOverlays) -> folium.Map:
    """Draw OVERLAYS on FMAP (a township map) with their legend; returns FMAP."""
    fmap.get_root().header.add_child(folium.Element(f"<style>{CSS}</style>"), name="site_marks_css")
    folium.GeoJson(overlays.corridors, name="国道、省道、县道两侧范围", style_function=lambda _f: CORRIDOR).add_to(fmap)
    if overlays.tour and overlays.tour["features"]:
        folium.GeoJson(
            escaped(overlays.tour),
            name="观摩路线",
            style_function=lambda f: BACK if f["properties"].get("back") else TOUR,
            tooltip=folium.GeoJsonTooltip(["leg", "to", "km"], ["第几段", "前往", "公里"]),
        ).add_to(fmap)
    for name, by_status, show in (("候选示范点（按得分）", False, True), ("候选示范点（按评审状态）", True, False)):
        if not overlays.candidates["features"]:
            break
        folium.GeoJson(
            escaped(_marked(overlays.candidates, by_status)),
            name=name,
            show=show,
            marker=folium.Marker(),
            on_each_feature=_MARK,
            tooltip=folium.GeoJsonTooltip(list(CANDIDATE_TIP), list(CANDIDATE_TIP.values()), sticky=True),
        ).add_to(fmap)
    Legend("候选示范点（按总分）", legend_rows(), "bottomright").add_to(fmap)
    # The layer control's script names every overlay: it must come after theirs.
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            fmap._children.move_to_end(key)
    return fmap
