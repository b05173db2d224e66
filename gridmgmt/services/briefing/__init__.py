"""Briefing exports: print maps (PNG/PDF/HTML), GeoPackages and the grid roster workbook.

Commands: exports (a map or GeoPackage file, audited), roster (the roster workbook, audited).
Queries: layers (the data layers a briefing map draws).
"""
