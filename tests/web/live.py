"""An app served for real by werkzeug in a thread, for tests that need HTTP (browsers, GDAL, threads, outages)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from gridmgmt.db.session import engine_for


@contextmanager
def serving(app, db_url: str | None = None) -> Iterator[str]:
    """The base URL of APP served on a free port, one thread per request, until the block ends."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        if db_url:  # see tests/web/conftest.py: no pooled connection outlives a test
            engine_for(db_url).dispose()
