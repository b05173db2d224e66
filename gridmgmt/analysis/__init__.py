"""Pure analysis: arrays and records in, results out; no session, no Flask."""
