"""The county (县): its townships side by side for the county's leaders and planners.

Queries: overview (one row of figures per township, kept per data version; the townships'
boundaries for the county map). Commands: workbook (the overview as Excel, audited).
"""
