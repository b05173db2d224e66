"""Rules and vocabularies as plain Python: no SQLAlchemy, no Flask."""
