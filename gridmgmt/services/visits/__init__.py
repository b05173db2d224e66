"""四必到四必访 and the visit duties: record visits and events, duties, compliance, rounds.

Commands: records (record a visit, idempotent by client id), events (report, attend, close),
duties (change a duty), workbook (the compliance workbook, audited).
Queries: compliance (a township's or cadre's duties on a date), routes (a cadre's round).
"""
