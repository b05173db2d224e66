"""Demonstration sites (党建示范点): score candidates, select, plan the tour, keep the review record.

Queries: selection (scores, the chosen set, the tour), measures (spatial criteria on the road
network), layers (the review page's map layers), records (the review record, the sites against
the 创建标准, reminders), standards (the 创建标准 on stored orgs and sites).
Commands: review (move a site along its status path, return, fail or undo a step), sheet (the
review workbook, audited).
"""
