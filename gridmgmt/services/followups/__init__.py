"""Follow-ups (民情/需跟进) and visit photos, and the household file (一户一档) they feed.

Commands: raising (raise a follow-up or store a photo from the phone, idempotent by client
id; move a follow-up along its states; all audited). Queries: reads (the open items of a
township or scope, one item, a photo's file), household_file (a household's liaison, grid
worker and visit history).
"""
