"""What "reads as Chinese" means for the wording tests: the English words a user may meet.

A word is English when it is a run of ASCII letters. The allow-list holds only names users meet as
they are: file formats and GIS standards, software, coordinate systems, units and paper sizes.
Everything else on a page, sheet or --help must be Chinese.
"""

import re

ALLOWED = {
    # file and GIS formats users pick by these names
    "CSV", "JSON", "Excel", "xlsx", "GeoJSON", "GeoPackage", "Shapefile", "zip", "cpg", "PNG", "PDF",
    "OGC", "API",
    # software and protocols named on screen
    "QGIS", "PostgreSQL", "HTTPS",
    # coordinate systems and encodings
    "EPSG", "WGS84", "CGCS2000", "gcj02", "bd09", "GBK", "UTF-8",
    # units, paper sizes, identifiers
    "dpi", "A4", "A3", "MB", "KB", "km", "ID",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]")


def english(text: str, also: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """The English words of TEXT outside the allow-list and ALSO."""
    return {w for w in WORD.findall(text) if w not in ALLOWED and w not in also}
