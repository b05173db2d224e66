"""gridmgmt: township party-building grid management on PostGIS."""
