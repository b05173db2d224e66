"""Accounts: users and their logins, what each may see, and the audit log.

Commands (own the commit): users (add, passwords, roles, disable, tokens), logins (log in under
the rate limit, sessions), actors (record an audit row; audited files), demo_users.
Queries: scopes (a user's or cadre's scope), audit (the log's pages and exports).
"""
