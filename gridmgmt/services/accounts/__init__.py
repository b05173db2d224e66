"""Accounts: users and their logins, what each may see, and the audit log.

Commands (own the commit): users (add, passwords, role and scope, disable, tokens), resets (an
admin's password reset, a user's own change), logins (log in under the rate limit, sessions),
actors (record an audit row; audited files), demo_users.
Queries: scopes (a user's or cadre's scope), audit (the log's pages and exports), directory
(the accounts as the admin pages list them).
"""
