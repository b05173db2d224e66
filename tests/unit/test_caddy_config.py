"""deploy/Caddyfile.intranet as Caddy reads it (`caddy adapt`): the proxy lets in at most as many
requests as the app has threads, so the rest queue in Caddy first come first served."""

import json
import subprocess

from gridmgmt.cli.serve import PRODUCTION_THREADS, default_workers
from gridmgmt.config import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def _transports(env: dict) -> list[dict]:
    adapted = subprocess.run(
        ["caddy", "adapt", "--config", "Caddyfile.intranet", "--adapter", "caddyfile"],
        cwd=DEPLOY,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("handler") == "reverse_proxy":
                found.append(node["transport"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(adapted.stdout))
    return found


def test_upstream_requests_are_capped_at_the_apps_threads_by_default():
    threads = 3 * PRODUCTION_THREADS  # the default workers of a 2-core server, as deployed
    [transport] = _transports({})
    assert transport["max_conns_per_host"] == threads
    assert transport["keep_alive"]["max_idle_conns_per_host"] == threads


def test_the_cap_follows_the_setting():
    threads = default_workers() * PRODUCTION_THREADS
    [transport] = _transports({"GRIDMGMT_UPSTREAM_CONNECTIONS": str(threads + 8)})
    assert transport["max_conns_per_host"] == threads + 8
