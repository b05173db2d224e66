"""Use cases by capability: each takes a session, owns the commit and raises domain errors.

accounts, coverage, visits, grids, sites, briefing, mapdata, imports: each package says which
of its modules are commands (they write and commit) and which are queries (read models for
pages, maps and reports). See docs/architecture.md.
"""
