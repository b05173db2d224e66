"""Use cases: each takes a session, owns the commit and raises domain errors."""
