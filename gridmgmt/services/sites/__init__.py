"""Demonstration sites (党建示范点): score candidates, select, plan the tour, keep the review record.

Queries: selection (scores, the chosen set, the tour), measures (spatial criteria on the road
network), layers (the review page's map layers).
Commands: review (move a site along its status path), sheet (the review workbook, audited).
"""
