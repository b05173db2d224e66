"""An app served for real by werkzeug in a thread, for tests that need HTTP (browsers, GDAL, threads, outages)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

from gridmgmt.db.session import engine_for

# How long the end of a block waits for requests still being answered (a page's last tiles).
SETTLE_S = 10


class _Answering:
    """APP, counting the requests it is answering: once a request is answered its database
    session is closed, so a test's teardown may empty the tables without a deadlock."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.changed = threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.count += 1
        try:
            return self.app(environ, start_response)
        finally:
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait_idle(self, timeout: float) -> None:
        """Return once no request is being answered, or after TIMEOUT seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout)


@contextmanager
def serving(app, db_url: str | None = None) -> Iterator[str]:
    """The base URL of APP served on a free port, one thread per request, until the block ends."""
    answering = _Answering(app)
    server = make_server("127.0.0.1", 0, answering, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        answering.wait_idle(SETTLE_S)
        if db_url:  # see tests/web/conftest.py: no pooled connection outlives a test
            engine_for(db_url).dispose()
