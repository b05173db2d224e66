"""Map data in a user's scope: township layers, vector tiles, OGC API features, village and
household pages, layer exports.

Queries: layers, tiles, features, villages, households (reads of flags are audited).
Commands: exporting (a layer written to a file, audited).
"""
