"""Grids (网格化): allocate plans, edit drafts, assign workers and liaisons, publish, compare.

Commands: allocation (allocate), cells (a plan's new cells written at once), rebalance (keeps locks; its preview changes nothing), locks (hand edits kept), edits (the planner's edits of a draft),
assignment (grid workers and liaisons), plans (publish; exports of a plan, audited).
Queries: views (what the grid pages show), plans (list, compare).
"""
