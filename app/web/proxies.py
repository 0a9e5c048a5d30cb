"""Where a client's address comes from: the connection, or the reverse proxies named in TRUSTED_PROXIES.

Behind nginx every request comes from nginx's address, so per-address throttles would be
one bucket for everyone and every session would show the proxy's address. TRUSTED_PROXIES
names the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed:

- a number, e.g. `1`: that many proxies in front (werkzeug's ProxyFix takes the address
  that many hops from the right);
- networks, e.g. `127.0.0.1, 10.0.0.0/8`: hops from these addresses are proxies, the first
  address from the right outside them is the client's.

Unset (the default), the connection's address is the client's: a header a client sends
itself is never believed.
"""

import ipaddress

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trusted_proxies(setting: str) -> int | list:
    """Parse TRUSTED_PROXIES: a count of proxies, or a list of networks; 0 for none."""
    setting = (setting or "").strip()
    if not setting:
        return 0
    if setting.isdigit():
        return int(setting)
    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip()]
    except ValueError as exc:
        raise RuntimeError(f"TRUSTED_PROXIES must be a number of proxies or networks like 10.0.0.0/8: {exc}") from None


class TrustedNetworks:
    """WSGI middleware: the client is the first address, from the right, outside the trusted networks."""

    def __init__(self, app, networks: list):
        self.app, self.networks = app, networks

    def _trusted(self, address: str) -> bool:
        try:
            return any(ipaddress.ip_address(address.strip()) in net for net in self.networks)
        except ValueError:
            return False

    def __call__(self, environ, start_response):
        if self._trusted(environ.get("REMOTE_ADDR", "")):
            hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            while hops and self._trusted(hops[-1]):
                hops.pop()
            if hops:
                environ["REMOTE_ADDR"] = hops[-1]
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
        return self.app(environ, start_response)


def init_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For and X-Forwarded-Proto from the configured proxies only."""
    proxies = trusted_proxies(app.config.get("TRUSTED_PROXIES", ""))
    if isinstance(proxies, int) and proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    elif isinstance(proxies, list):
        app.wsgi_app = TrustedNetworks(app.wsgi_app, proxies)
