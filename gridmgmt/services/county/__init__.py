"""The county (县): its townships side by side for the county's leaders and planners.

Queries: overview (one row of figures per township, kept per data version; the townships'
boundaries for the county map), visit_figures (each township's visit totals, stored in the
database until its own data change: it writes its cache), fingerprint (what tells a change).
Commands: workbook (the overview as Excel, audited).
"""
