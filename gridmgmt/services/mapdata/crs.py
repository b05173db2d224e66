"""The coordinate reference systems the OGC API offers (OGC API – Features Part 2).

Data are stored in WGS 84 longitude/latitude (CRS84). Output and bbox may also be asked in
EPSG:4326 and in CGCS2000 (EPSG:4490, the national datum of official data exchange). Both EPSG
systems put latitude first, as their EPSG definitions do and Part 2 requires; CRS84 puts
longitude first. CGCS2000 and WGS 84 differ by centimetres, so the transform keeps positions.
"""

from dataclasses import dataclass

from gridmgmt.domain.errors import UserError


class UnsupportedCrs(UserError, ValueError):
    """A crs or bbox-crs parameter names a system the API does not offer."""


@dataclass(frozen=True)
class Crs:
    """A reference system by its OGC URI: the PostGIS SRID and whether latitude comes first."""

    uri: str
    srid: int
    lat_first: bool

    def lon_lat(self, pair: tuple[float, float]) -> tuple[float, float]:
        """PAIR, given in this system's axis order, as (longitude, latitude)."""
        return (pair[1], pair[0]) if self.lat_first else pair


CRS84 = Crs("http://www.opengis.net/def/crs/OGC/1.3/CRS84", 4326, lat_first=False)
WGS84 = Crs("http://www.opengis.net/def/crs/EPSG/0/4326", 4326, lat_first=True)
CGCS2000 = Crs("http://www.opengis.net/def/crs/EPSG/0/4490", 4490, lat_first=True)
OFFERED = {crs.uri: crs for crs in (CRS84, WGS84, CGCS2000)}
STORAGE = CRS84


def crs_named(uri: str | None) -> Crs:
    """The offered system URI names (CRS84 when none); raises UnsupportedCrs."""
    if uri is None:
        return STORAGE
    try:
        return OFFERED[uri]
    except KeyError:
        raise UnsupportedCrs(f"不支持的坐标参考系：{uri[:80]}；可选：{'、'.join(OFFERED)}") from None
