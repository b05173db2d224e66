"""Party organisations' 组织生活 and 一帮一.

Commands: meetings (record a meeting with the phone's check-in, idempotent on its client id),
pairings (start or end a 一帮一 pairing). Queries: org_life (each branch's 组织生活 in a period).
"""
