"""Print-quality static maps (PNG at 300 dpi, vector PDF) drawn with matplotlib.

A map kind builds a MapSpec (layers in EPSG:4326, labels, title); `render` lays
it out on a page in the township's projected CRS and `save` writes the file.
"""

from gridmgmt.maps.static.page import Page
from gridmgmt.maps.static.render import render, save
from gridmgmt.maps.static.spec import MapLabel, MapLayer, MapSpec

__all__ = ["MapLabel", "MapLayer", "MapSpec", "Page", "render", "save"]
