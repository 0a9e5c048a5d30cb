"""Where Huxiao may send: public https addresses, checked when a target is saved and again at each connection.

A webhook or a push endpoint is an address someone typed or a browser handed us; unchecked,
a county admin (or a stolen session) could make the server post to its own database
(http://127.0.0.1:5432/), the cloud's metadata service (http://169.254.169.254/) or the
office network. So a target must be https (http only with WEBHOOK_ALLOW_HTTP), its host
must resolve to public addresses only (no loopback, private, link-local, shared, multicast
or reserved ones; WEBHOOK_ALLOWED_NETWORKS can admit, say, a county's intranet server),
and a WeCom or DingTalk robot must be at its official host. The check runs again when a
delivery connects, on the very address it connects to, so a name that resolved to a public
address at saving and to 127.0.0.1 now (DNS rebinding) is refused too.
"""

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError
from urllib3.util import connection

#: where each kind of robot posts; its group's key is in the query
ROBOT_HOSTS = {"wecom": "qyapi.weixin.qq.com", "dingtalk": "oapi.dingtalk.com"}


class TargetRefused(Exception):
    """An address Huxiao will not send to: `code` for programs, the message for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TargetPolicy:
    """The rules, from the configuration: taken along into the sender's threads."""

    allow_http: bool = False
    allowed_networks: tuple = ()
    robot_hosts: dict = field(default_factory=lambda: dict(ROBOT_HOSTS))

    @classmethod
    def from_config(cls, config) -> "TargetPolicy":
        networks = config.get("WEBHOOK_ALLOWED_NETWORKS") or ""
        if isinstance(networks, str):
            networks = [n.strip() for n in networks.split(",") if n.strip()]
        return cls(bool(config.get("WEBHOOK_ALLOW_HTTP")),
                   tuple(ipaddress.ip_network(n, strict=False) for n in networks),
                   {**ROBOT_HOSTS, **(config.get("WEBHOOK_ROBOT_HOSTS") or {})})

    def check_url(self, url: str, kind: str | None = None) -> None:
        """Refuse a URL by its form (scheme, host, a robot's host); then every address its host resolves to."""
        parts = urlsplit(url)
        if parts.scheme != "https" and not (self.allow_http and parts.scheme == "http"):
            raise TargetRefused("webhook_scheme", "地址必须以 https:// 开头。/ The address must start with https://.")
        if not parts.hostname or parts.username or parts.password:
            raise TargetRefused("webhook_host", "地址里要有主机名，且不能带用户名或密码。/ "
                                                "The address needs a host, and no user name or password in it.")
        robot = self.robot_hosts.get(kind or "")
        if robot and parts.hostname.lower() != robot:
            raise TargetRefused("webhook_host", f"这种机器人的地址必须在 {robot}。/ This kind of robot posts to {robot}.")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise TargetRefused("webhook_host", "端口不对。/ The port is not a number from 1 to 65535.") from None
        self.addresses(parts.hostname, port)

    def addresses(self, host: str, port: int) -> list[tuple]:
        """The (family, address) pairs `host` resolves to, all of them allowed; else TargetRefused."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise TargetRefused("webhook_unresolvable", f"找不到主机 {host}。/ The host {host} cannot be found.") from None
        pairs = list(dict.fromkeys((family, sockaddr[0]) for family, _, _, _, sockaddr in found))
        for _, address in pairs:
            if not self.allowed(address):
                raise TargetRefused("webhook_address_not_public",
                                    f"{host} 指向内网或本机地址 {address}，不能发送。/ "
                                    f"{host} points to {address}, which is not a public address.")
        return pairs

    def allowed(self, address: str) -> bool:
        ip = _embedded_ipv4(ipaddress.ip_address(address.split("%")[0]))
        if any(ip in network for network in self.allowed_networks):
            return True
        # is_global leaves out loopback, private, link-local (169.254/16: the metadata service),
        # shared 100.64/10, unique-local fc00::/7 and the reserved ranges
        return ip.is_global and not ip.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo, NAT64, IPv4-compatible), judged as itself."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):  # ::1 stays the loopback it is
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def safe_session(policy: TargetPolicy) -> requests.Session:
    """A requests session that connects only to addresses the policy allows, checked as it connects."""
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the address checked is the address used
    adapter = _Adapter(policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _checked_connection(base):
    class Checked(base):
        policy: TargetPolicy

        def _new_conn(self):
            error = None
            for family, address in self.policy.addresses(self._dns_host, self.port):
                try:  # TLS still verifies the certificate against the host's name, not the address
                    return connection.create_connection((address, self.port), self.timeout,
                                                        source_address=self.source_address,
                                                        socket_options=self.socket_options)
                except OSError as exc:
                    error = exc
            raise NewConnectionError(self, f"Failed to establish a new connection: {error}")

    return Checked


class _Adapter(HTTPAdapter):
    def __init__(self, policy: TargetPolicy):
        self.policy = policy
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        http = type("CheckedHTTPPool", (HTTPConnectionPool,), {
            "ConnectionCls": type("CheckedHTTP", (_checked_connection(HTTPConnection),), {"policy": self.policy})})
        https = type("CheckedHTTPSPool", (HTTPSConnectionPool,), {
            "ConnectionCls": type("CheckedHTTPS", (_checked_connection(HTTPSConnection),), {"policy": self.policy})})
        self.poolmanager.pool_classes_by_scheme = {"http": http, "https": https}
