"""What "reads as Chinese" means for the wording tests: the English words a user may meet.

A word is a run of ASCII letters (with digits, dots, dashes). Allowed are only names users meet as
they are, in this software and elsewhere: file formats and GIS standards, software, coordinate
systems and encodings, units and paper sizes, and codes (a letter or two before digits: P4415001002,
W1). Everything else on a page, a sheet or a --help must be Chinese.
"""

import re

ALLOWED = {
    # file and GIS formats users pick by these names
    "CSV", "JSON", "Excel", "xlsx", "GeoJSON", "GeoPackage", "Shapefile", "zip", "cpg", "PNG", "PDF",
    "OGC", "API",
    # software and protocols named on screen
    "QGIS", "PostgreSQL", "HTTPS",
    # coordinate systems and encodings, as map software names them
    "EPSG", "WGS84", "CGCS2000", "GCJ-02", "BD-09", "gcj02", "bd09", "GBK", "UTF-8",
    # units and paper sizes; "U" of U 盘 (a USB stick), which is how Chinese writes it
    "m", "km", "dpi", "MB", "A4", "A3", "U",
    # identifiers
    "ID",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]")
CODE = re.compile(r"[A-Z]{1,2}\d+")


def english(text: str, also: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """The English words of TEXT outside the allow-list, codes and ALSO."""
    return {w for w in WORD.findall(text) if w not in ALLOWED and w not in also and not CODE.fullmatch(w)}
