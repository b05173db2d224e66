"""Candidates as filled symbols by score (issue 19): the web map's discs and legend, and the
print map's layers, on hand-made candidates."""

import geopandas as gpd

from gridmgmt.maps.kinds.sites import _candidates
from gridmgmt.maps.sites import EXCLUDED, _marked, band_labels, legend_rows


def _collection(rows):
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [115.7 + n / 100, 23.9]},
                "properties": {
                    "name": f"{n}党支部",
                    "score": score,
                    "excluded": why,
                    "status": status,
                    "chosen": False,
                },
            }
            for n, (score, why, status) in enumerate(rows)
        ],
    }


ROWS = [
    (85.4, "—", "未申报"),
    (50.0, "—", "未申报"),
    (12.6, "—", "未申报"),
    (70.0, "八有缺：公开栏", "未申报"),
    (90, "—", "申报"),
]


def test_band_labels_run_low_to_high():
    assert [label for _, label in band_labels()] == ["0–40 分", "40–60 分", "60–80 分", "80 分以上"]


def test_web_discs_are_filled_by_score_or_grey_and_say_their_score():
    marked = [f["properties"] for f in _marked(_collection(ROWS), by_status=False)["features"]]
    colours = dict(band_labels())
    assert [p["fill"] for p in marked[:4]] == [
        [c for c, label in colours.items() if label == "80 分以上"][0],
        [c for c, label in colours.items() if label == "40–60 分"][0],
        [c for c, label in colours.items() if label == "0–40 分"][0],
        EXCLUDED,
    ]
    assert [p["label"] for p in marked] == ["85", "50", "13", "70", "90"]
    labels = [label for _, label in legend_rows()]
    assert labels[:4] == ["80 分以上", "60–80 分", "40–60 分", "0–40 分"]  # the best first
    assert "不合格（悬停看原因）" in labels and "返回乡镇驻地" in labels


def test_print_map_draws_candidates_not_yet_put_forward_by_band():
    found = gpd.GeoDataFrame.from_features(_collection(ROWS), crs=4326)

    class Data:
        layers = {"site_candidates": found}

    layers = _candidates(Data)
    assert [(layer.label, len(layer.frame)) for layer in layers] == [
        ("候选 0–40 分", 1),
        ("候选 40–60 分", 1),
        ("候选 80 分以上", 1),
        ("不合格候选", 1),
    ]  # the applied one (申报) is drawn by its status instead; the empty 60–80 band is left out
    assert all(layer.style["marker"] == "o" and layer.style["color"] for layer in layers)
    assert layers[1].frame["name"].tolist() == ["1党支部"]
