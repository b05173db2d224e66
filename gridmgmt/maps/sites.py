"""Demo-site overlays on the township map: corridors, candidates, the chosen set, the tour."""

from dataclasses import dataclass

import folium

from gridmgmt.maps.controls import escaped

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
CORRIDOR = {"color": "#e67e22", "weight": 0, "fillColor": "#f5b041", "fillOpacity": 0.25}
TOUR = {"color": "#c8102e", "weight": 4, "dashArray": "8 6", "opacity": 0.9}
CANDIDATE_TIP = {
    "name": "党组织",
    "code": "编码",
    "score": "总分",
    "objective": "综合得分",
    "status": "评审状态",
    "excluded": "不合格原因",
}


@dataclass(frozen=True)
class SiteOverlays:
    """GeoJSON FeatureCollections drawn over the township map."""

    corridors: dict
    candidates: dict
    tour: dict | None = None


def score_colour(score: float) -> str:
    """Fill colour of a candidate with SCORE points."""
    return [colour for low, colour in SCORE_BANDS if score >= low][-1]


def _candidate_style(by_status: bool):
    def style(feature) -> dict:
        p = feature["properties"]
        if by_status:
            fill = STATUS_COLOURS.get(p["status"], "#ffffff")
        else:
            fill = EXCLUDED if p["excluded"] != "—" else score_colour(p["score"])
        chosen = p["chosen"]
        # Wider than the venue icon (14 px) drawn over it: the colour shows as a halo.
        return {
            "radius": 14 if chosen else 11,
            "fill": True,
            "fillColor": fill,
            "fillOpacity": 0.95,
            "color": "#c8102e" if chosen else "#333333",
            "weight": 4 if chosen else 1,
        }

    return style


def add_site_overlays(fmap: folium.Map, overlays: SiteOverlays) -> folium.Map:
    """Draw OVERLAYS on FMAP (a township map); returns FMAP."""
    folium.GeoJson(overlays.corridors, name="国道、省道、县道两侧范围", style_function=lambda _f: CORRIDOR).add_to(fmap)
    if overlays.tour and overlays.tour["features"]:
        folium.GeoJson(
            escaped(overlays.tour),
            name="观摩路线",
            style_function=lambda _f: TOUR,
            tooltip=folium.GeoJsonTooltip(["leg", "to", "km"], ["第几段", "前往", "公里"]),
        ).add_to(fmap)
    for name, by_status, show in (("候选示范点（按得分）", False, True), ("候选示范点（按评审状态）", True, False)):
        if not overlays.candidates["features"]:
            break
        folium.GeoJson(
            escaped(overlays.candidates),
            name=name,
            show=show,
            marker=folium.CircleMarker(),
            style_function=_candidate_style(by_status),
            tooltip=folium.GeoJsonTooltip(list(CANDIDATE_TIP), list(CANDIDATE_TIP.values()), sticky=True),
        ).add_to(fmap)
    # The layer control's script names every overlay: it must come after theirs.
    for key, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            fmap._children.move_to_end(key)
    return fmap
