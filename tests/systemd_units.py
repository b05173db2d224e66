"""Read the systemd examples in deploy/ as the tests of their commands need them."""

import configparser

from gridmgmt.config import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def read_unit(name: str) -> configparser.ConfigParser:
    """deploy/NAME as sections of keys (case kept, systemd's repeated keys allowed)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser
