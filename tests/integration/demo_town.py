"""The default demo township (seed 1) in the test database, shared by a module's tests."""

from contextlib import contextmanager

from sqlalchemy.orm import Session

from geodata.demo import generate
from gridmgmt.services.imports.demo import load_demo
from tests.tables import empty_tables

CODE = "441624100000"


@contextmanager
def default_demo(engine, until, report):
    """Yield (generated tables, REPORT(session)) of the demo made until UNTIL; emptied afterwards."""
    data = generate(seed=1, until=until)
    with Session(engine) as session:
        load_demo(session, data)
        result = report(session)
    try:
        yield data.tables, result
    finally:
        empty_tables(engine)
