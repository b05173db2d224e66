"""The township map as one self-contained HTML file: opens offline, from a USB stick.

Leaflet's script, its stylesheet and the stylesheet's images are read from
node_modules and written into the page; nothing is fetched when it opens.
"""

import base64
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import folium

from gridmgmt.maps.township import township_map

if TYPE_CHECKING:
    from gridmgmt.readmodels import TownshipLayers

_CSS_URL = re.compile(r"url\((images/[\w.-]+\.png)\)")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


class AssetsMissing(FileNotFoundError):
    """Leaflet is not installed under node_modules."""


def _read(path: Path) -> str:
    if not path.is_file():
        raise AssetsMissing(f"前端资源未安装（缺少 {path}）：请先运行 make setup")
    return path.read_text(encoding="utf-8")


def inline_css(css: str, folder: Path) -> str:
    """CSS with its url(images/…png) references replaced by data: URIs of the files in FOLDER."""

    def data_uri(match: re.Match) -> str:
        image = folder / match.group(1)
        if not image.is_file():
            raise AssetsMissing(f"前端资源不完整（缺少 {image}）：请先运行 make setup")
        return f"url(data:image/png;base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    return _CSS_URL.sub(data_uri, css)


def inline_script(js: str) -> str:
    """JS safe inside a <script> element: no source-map link, no early </script>."""
    return _SOURCE_MAP.sub("", js).replace("</", "<\\/")


def standalone_html(layers: "TownshipLayers", node_modules: Path) -> str:
    """The township overview as a complete HTML document with Leaflet inlined."""
    dist = Path(node_modules) / "leaflet" / "dist"
    css = inline_css(_read(dist / "leaflet.css"), dist)
    js = inline_script(_read(dist / "leaflet.js"))
    # No Tianditu: the file must open with no network at all.
    fmap = township_map(layers, assets_url="", tianditu_key=None)
    fmap.default_js, fmap.default_css = [], []
    header = fmap.get_root().header
    header.add_child(folium.Element(f"<style>{css}</style>"), name="leaflet_css_inline", index=0)
    header.add_child(folium.Element(f"<script>{js}</script>"), name="leaflet_js_inline", index=1)
    title = folium.Element(f"<title>{escape(layers.name)}概况图</title>")
    header.add_child(title, name="title")
    return fmap.get_root().render()
