"""Database access: models, sessions, migrations and the local cluster."""
