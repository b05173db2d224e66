"""The field app (手机端): what a phone keeps to work with no signal, and its queued records.

Queries: working_set (a grid worker's area, households, due list and duties, versioned;
reading the flags is audited). Commands: outbox (store one queued visit or event,
idempotent by client id, answered with what the server holds).
"""
