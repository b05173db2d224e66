"""Values kept in memory by key and data version, so a map or a tile is built once per change of
the tables it comes from rather than on every request (each process keeps its own)."""

import threading
from collections.abc import Callable
from typing import TypeVar

from cachetools import LRUCache

T = TypeVar("T")


class Kept:
    """A bounded least-recently-used store; SIZEOF weighs a value (default: each counts 1)."""

    def __init__(self, size: int, sizeof: Callable[[object], int] | None = None):
        self._values = LRUCache(maxsize=size, getsizeof=sizeof)
        self._lock = threading.Lock()  # the server answers from several threads

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        """The value kept for KEY, or COMPUTE()'s, kept. KEY must hold the data version and
        everything else the value depends on (the scope, the settings drawn in)."""
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute()  # outside the lock: two threads may build the same value once each
        with self._lock:
            if self._sized(value):
                self._values[key] = value
        return value

    def clear(self) -> None:
        """Forget every value (what a server start leaves: nothing in memory)."""
        with self._lock:
            self._values.clear()

    def _sized(self, value) -> bool:
        # A value heavier than the whole store is served but not kept (LRUCache would refuse it).
        getsizeof = self._values.getsizeof
        return getsizeof(value) <= self._values.maxsize
