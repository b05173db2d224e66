"""Postings of cadres to villages (包村, 挂点, 第一书记, 驻村工作队) as data.

Commands (own the commit): changes (add a posting, end one; audited). Postings are also
imported as the `postings` layer (gridmgmt.services.imports).
Queries: overview (驻村包村一览: who covers each village on a day, and what it lacks).
"""
