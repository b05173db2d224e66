"""A load of many concurrent clients, each on its own keep-alive connection, under a time limit.

Each client thread waits at a barrier, then fetches its own list of paths one after
the other; every client stops at the deadline, so a server that cannot keep up is
reported as not finished instead of hanging the benchmark.
"""

import http.client
import ssl
import statistics
import threading
import time
from dataclasses import dataclass, field

OK_STATUSES = {200, 204}


@dataclass
class Outcome:
    """What one load run saw: latencies of the requests done, wall-clock time, failures."""

    planned: int
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    wall_s: float = 0.0

    @property
    def finished(self) -> bool:
        """True when every planned request got an answer before the deadline."""
        return len(self.latencies) + sum(self.failures.values()) == self.planned

    @property
    def p95_s(self) -> float:
        """The 95th percentile latency in seconds."""
        return statistics.quantiles(self.latencies, n=20)[-1]

    @property
    def throughput(self) -> float:
        """Successful requests per second of wall-clock time."""
        return len(self.latencies) / self.wall_s

    def fail(self, reason: str) -> None:
        """Count one failed request (not thread-safe: call under the lock)."""
        self.failures[reason] = self.failures.get(reason, 0) + 1

    def add(self, other: "Outcome") -> None:
        """Count OTHER's run (of the same load, another round) in this one."""
        self.planned += other.planned
        self.latencies += other.latencies
        self.wall_s += other.wall_s
        for reason, count in other.failures.items():
            self.failures[reason] = self.failures.get(reason, 0) + count


@dataclass(frozen=True)
class Target:
    """Where the load goes: port and headers; HOST's certificate checked against CA_FILE
    (None: plain http)."""

    port: int
    headers: dict
    host: str = "127.0.0.1"
    ca_file: str | None = None

    def connect(self, timeout: float) -> http.client.HTTPConnection:
        """A new connection to the target."""
        if self.ca_file is None:
            return http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        context = ssl.create_default_context(cafile=self.ca_file)
        return http.client.HTTPSConnection(self.host, self.port, timeout=timeout, context=context)


def _client(
    target: Target, paths: list[str], deadline: float, outcome: Outcome, lock: threading.Lock, start: threading.Barrier
) -> None:
    start.wait()
    conn = None
    for path in paths:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        started = time.perf_counter()
        try:
            conn = conn or target.connect(left)
            conn.timeout = left
            conn.request("GET", path, headers=target.headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            with lock:
                outcome.fail(type(error).__name__)
            conn = None
            continue
        with lock:
            if status in OK_STATUSES:
                outcome.latencies.append(time.perf_counter() - started)
            else:
                outcome.fail(f"HTTP {status}")
    if conn is not None:
        conn.close()


def run_load(target: Target, per_client: list[list[str]], limit_s: float) -> Outcome:
    """Send PER_CLIENT's paths, one client thread per list, all at once; stop after LIMIT_S."""
    outcome = Outcome(planned=sum(len(paths) for paths in per_client))
    lock = threading.Lock()
    start = threading.Barrier(len(per_client) + 1)
    deadline = time.monotonic() + limit_s
    threads = [
        threading.Thread(target=_client, args=(target, paths, deadline, outcome, lock, start)) for paths in per_client
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    outcome.wall_s = time.perf_counter() - began
    return outcome
