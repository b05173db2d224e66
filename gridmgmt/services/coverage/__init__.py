"""Party-organisation coverage: figures, rule findings, 党小组 proposals and road reach.

Queries: report (a township's CoverageReport), reach (road reach to venues and members),
layers (the coverage page's map layers), county (every township's figures at once).
Commands: workbook (the coverage workbook, audited).
"""
