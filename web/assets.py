"""Front-end packages from node_modules, served by the app itself (no CDN)."""

from pathlib import Path

from flask import Blueprint, abort, current_app, request

from gridmgmt.maps.basemap import TIANDITU_URL, Tianditu
from web.compressed import send_compressed

# Only these npm packages are reachable; everything else in node_modules is not.
# "@geoman-io" is a scope holding one package, leaflet-geoman-free (the grid editor);
# protomaps-leaflet draws the vector tiles (its dist/ bundles what it depends on). The field
# app (web/field.py): Workbox's modules for its service worker and workbox-window to register
# it, idb for its outbox in IndexedDB, pinyin-pro for searching names by pinyin initials,
# browser-image-compression to shrink visit photos on the phone (web/static/field/followup.js).
PACKAGES = frozenset(
    {
        "leaflet",
        "protomaps-leaflet",
        "@geoman-io",
        "idb",
        "pinyin-pro",
        "workbox-core",
        "workbox-routing",
        "workbox-strategies",
        "workbox-expiration",
        "workbox-precaching",
        "workbox-background-sync",
        "workbox-window",
        "browser-image-compression",
    }
)
# Files change only when package-lock.json does; a week keeps phones from refetching.
MAX_AGE_SECONDS = 7 * 24 * 3600

bp = Blueprint("assets", __name__, url_prefix="/assets")


@bp.get("/<package>/<path:filename>")
def package_file(package: str, filename: str):
    """One file of an allowed package, with cache headers."""
    if package not in PACKAGES:
        abort(404)
    root = Path(current_app.config["NODE_MODULES"]) / package
    return send_compressed(root, filename, MAX_AGE_SECONDS)


def assets_url() -> str:
    """URL prefix of the packages, as seen by the browser."""
    return f"{request.script_root}{bp.url_prefix}"


def basemap() -> Tianditu | None:
    """The 天地图 basemap of the configuration (its key, its URL), or None without a key."""
    key = current_app.config.get("TIANDITU_KEY")
    return Tianditu(key, current_app.config.get("TIANDITU_URL") or TIANDITU_URL) if key else None
