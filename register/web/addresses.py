"""The client's address, for throttling and rate limits.

Behind a reverse proxy every request comes from the proxy: its
``X-Forwarded-For`` names the client. The header is believed only when the
peer is one of ``TRUSTED_PROXIES`` (anyone else could write it), and read
from the right: the first address that is not a trusted proxy is the client.
"""

from __future__ import annotations

import ipaddress
from litestar.types import Scope

from register.settings import trusted_proxies

UNKNOWN = "unknown"


def is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted_proxies())


def forwarded_for(scope: Scope) -> list[str]:
    values = [value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"x-forwarded-for"]
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def client_address(scope: Scope) -> str:
    peer = scope.get("client")
    address = peer[0] if peer else UNKNOWN
    if not is_trusted_proxy(address):
        return address
    for hop in reversed(forwarded_for(scope)):
        if not is_trusted_proxy(hop):
            return _valid_or_unknown(hop)
    return address


def _valid_or_unknown(hop: str) -> str:
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return UNKNOWN
