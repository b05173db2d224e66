"""The client's address behind a reverse proxy: X-Forwarded-For is believed only from a trusted one.

GRIDMGMT_TRUSTED_PROXIES lists the proxies (addresses or CIDR blocks, comma-
separated; default none). A request whose peer is one of them gets the address
and scheme the proxy forwarded (werkzeug's ProxyFix, one hop); any other
request keeps its peer address, whatever X-Forwarded-For it claims. The login
rate limit and the audit log both read that address.
"""

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from werkzeug.middleware.proxy_fix import ProxyFix


def parse_networks(text: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """The networks of TEXT, a comma-separated list of addresses or CIDR blocks."""
    try:
        return tuple(ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"GRIDMGMT_TRUSTED_PROXIES 中有无效的地址（{exc}）") from exc


class TrustedProxies:
    """WSGI middleware: requests from a trusted proxy get the client address it forwarded."""

    def __init__(self, app, networks: tuple[IPv4Network | IPv6Network, ...]):
        self.app = app
        self.networks = networks
        # One hop: the trusted proxy appends the address it got the request from, last.
        self.forwarded = ProxyFix(app, x_for=1, x_proto=1)

    def __call__(self, environ, start_response):
        """Serve ENVIRON, through ProxyFix when its peer is a trusted proxy."""
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            return self.forwarded(environ, start_response)
        return self.app(environ, start_response)

    def _trusted(self, peer: str) -> bool:
        try:
            address = ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)
