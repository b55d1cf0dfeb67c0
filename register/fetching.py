"""Fetching a vendor's sub-processor list from a URL, on demand, safely.

The user names the URL; the server fetches it. To keep that from reaching the
organisation's own network (server-side request forgery):

- http and https only, on every hop; at most ``MAX_REDIRECTS`` redirects,
  followed by hand so each new URL is checked again;
- the host is resolved and *every* address it resolves to is checked: private,
  loopback, link-local, multicast, reserved and unspecified addresses are
  refused. The connection is then made to the checked address itself (the
  network backend below), so a DNS answer that changes between the check and
  the connection (rebinding) cannot slip through; TLS still verifies the name;
- a size cap (``NOTICE_FETCH_MAX_BYTES``, read as a stream and cut off) and an
  overall timeout (``NOTICE_FETCH_TIMEOUT``).

Tests serve lists from a local server: ``NOTICE_FETCH_ALLOW_LOOPBACK=true`` lets
loopback addresses (127.0.0.0/8, ::1) through — and only those: private, link-local
and the other refused ranges stay refused (never set it in production).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import anyio
import httpcore
import httpx

from register.settings import notice_fetch_settings

MAX_REDIRECTS = 3
ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "gdpr-processor-register (sub-processor list check)"


class FetchError(Exception):
    """The URL cannot be fetched; ``code`` is stable, ``message`` English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # scheme | address | resolve | too_large | timeout | redirects | status | network


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # the final URL, after redirects
    content: bytes
    media_type: str


def address_refused(address: str, allow_loopback: bool = False) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_loopback and ip.is_loopback:
        return False
    return (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )


def resolve_checked(host: str, port: int, allow_loopback: bool) -> list[str]:
    """Every address of ``host``; FetchError("address") if any one is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError("resolve", f"{host} cannot be resolved ({error})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError("resolve", f"{host} has no address")
    refused = [a for a in addresses if address_refused(a, allow_loopback)]
    if refused:
        raise FetchError("address", f"{host} resolves to a private or reserved address ({refused[0]}): refused")
    return addresses


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses that passed :func:`resolve_checked`."""

    def __init__(self, allow_loopback: bool) -> None:
        self.allow_loopback = allow_loopback
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = await anyio.to_thread.run_sync(resolve_checked, host, port, self.allow_loopback)
        return await self.inner.connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover
        raise FetchError("address", "unix sockets are refused")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise FetchError("scheme", "only http and https URLs can be fetched")
    if parts.username or parts.password:
        raise FetchError("scheme", "a URL with a user name or password is refused")
    return url


def literal_address_refused(url: str, allow_loopback: bool) -> None:
    """A URL naming an IP address is checked before any connection."""
    host = urlsplit(url).hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return
    if address_refused(host, allow_loopback):
        raise FetchError("address", f"{host} is a private or reserved address: refused")


async def fetch_list(url: str) -> Fetched:
    """The body at ``url`` (see the module docstring for what is refused)."""
    settings = notice_fetch_settings()
    transport = httpx.AsyncHTTPTransport(retries=0)
    transport._pool._network_backend = CheckedBackend(settings.allow_loopback)  # every connection checked
    try:
        with anyio.fail_after(settings.timeout_seconds):
            async with httpx.AsyncClient(
                transport=transport, follow_redirects=False, timeout=settings.timeout_seconds,
                headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/markdown, text/plain, application/json, text/csv, */*"},
            ) as client:
                return await _follow(client, check_url(url), settings.max_bytes, settings.allow_loopback)
    except TimeoutError:
        raise FetchError("timeout", f"no complete answer within {settings.timeout_seconds:g} s") from None
    except httpx.TimeoutException:
        raise FetchError("timeout", f"no complete answer within {settings.timeout_seconds:g} s") from None
    except httpx.HTTPError as error:
        if isinstance(error.__cause__, FetchError):
            raise error.__cause__ from None
        raise FetchError("network", f"the URL could not be fetched ({type(error).__name__})") from None


async def _follow(client: httpx.AsyncClient, url: str, max_bytes: int, allow_loopback: bool) -> Fetched:
    for _ in range(MAX_REDIRECTS + 1):
        literal_address_refused(url, allow_loopback)
        try:
            async with client.stream("GET", url) as response:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    url = check_url(urljoin(url, location))
                    continue
                if response.status_code >= 400:
                    raise FetchError("status", f"the server answered {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError("too_large", f"the list is larger than {max_bytes} bytes")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise FetchError("too_large", f"the list is larger than {max_bytes} bytes")
                media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
                return Fetched(url=str(response.url), content=bytes(body), media_type=media_type)
        except FetchError:
            raise
        except httpx.ConnectError as error:
            cause = error.__context__
            while cause is not None and not isinstance(cause, FetchError):
                cause = cause.__context__
            if isinstance(cause, FetchError):
                raise cause from None
            raise
    raise FetchError("redirects", f"more than {MAX_REDIRECTS} redirects")


def filename_for(fetched: Fetched) -> str:
    """A file name whose extension tells the list reader the format (csv, xlsx, json…)."""
    path = urlsplit(fetched.url).path.rsplit("/", 1)[-1]
    if "." in path:
        return path
    return {
        "application/json": "list.json",
        "text/csv": "list.csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "list.xlsx",
        "application/pdf": "list.pdf",
    }.get(fetched.media_type, "list.html" if "html" in fetched.media_type else "list.txt")
