"""Fetching a vendor's list from a URL: only http(s), no private, loopback or link-local
address (nor a redirect to one), a size cap and a timeout. A local server plays the
vendor; NOTICE_FETCH_ALLOW_LOOPBACK lets the tests reach it — and nothing else private."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anyio
import pytest

from register.fetching import FetchError, address_refused, fetch_list

LIST = b"| Subprocessor | Purpose | Location |\n|---|---|---|\n| Cloudhost Inc. | Hosting | United States |\n"


class VendorSite(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):  # noqa: N802
        if self.path == "/list.md":
            self._send(LIST)
        elif self.path == "/big":
            self._send(b"x" * 5000)
        elif self.path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"y" * 100)
        elif self.path == "/slow":
            time.sleep(3)
            self._send(LIST)
        elif self.path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif self.path == "/to-private-name":
            self._redirect("http://10.1.2.3/list.md")
        elif self.path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif self.path == "/to-list":
            self._redirect("/list.md")
        elif self.path == "/loop":
            self._redirect("/loop")
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/markdown")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def vendor():
    server = ThreadingHTTPServer(("127.0.0.1", 0), VendorSite)
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # the client gave up on /slow: expected
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(monkeypatch):
    monkeypatch.setenv("NOTICE_FETCH_ALLOW_LOOPBACK", "true")


def fetch(url: str):
    return anyio.run(fetch_list, url)


def refused_code(url: str) -> str:
    with pytest.raises(FetchError) as refused:
        fetch(url)
    return refused.value.code


def test_a_list_is_fetched_and_a_relative_redirect_followed(vendor, loopback_allowed):
    fetched = fetch(f"{vendor}/list.md")
    assert fetched.content == LIST and fetched.media_type == "text/markdown"
    assert fetch(f"{vendor}/to-list").url.endswith("/list.md")


def test_loopback_is_refused_without_the_test_setting(vendor, monkeypatch):
    monkeypatch.delenv("NOTICE_FETCH_ALLOW_LOOPBACK", raising=False)
    assert refused_code(f"{vendor}/list.md") == "address"
    assert refused_code("http://localhost:9/list.md") == "address"  # a name resolving to loopback


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/list",
        "http://192.168.1.10/list",
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
        "http://[::1]:80/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://[::ffff:10.0.0.1]/",  # IPv4-mapped
    ],
)
def test_private_and_link_local_addresses_are_refused_even_with_loopback_allowed(url, monkeypatch):
    monkeypatch.setenv("NOTICE_FETCH_ALLOW_LOOPBACK", "true" if "::1" not in url else "false")
    assert refused_code(url) == "address"


def test_redirects_to_refused_addresses_or_schemes_are_refused(vendor, loopback_allowed):
    assert refused_code(f"{vendor}/to-metadata") == "address"
    assert refused_code(f"{vendor}/to-private-name") == "address"
    assert refused_code(f"{vendor}/to-file") == "scheme"
    assert refused_code(f"{vendor}/loop") == "redirects"


@pytest.mark.parametrize("url", ["ftp://example.com/list", "file:///etc/passwd", "gopher://x/", "http://user:pw@example.com/"])
def test_other_schemes_and_credentials_are_refused(url):
    assert refused_code(url) == "scheme"


def test_size_cap_with_and_without_a_declared_length(vendor, loopback_allowed, monkeypatch):
    monkeypatch.setenv("NOTICE_FETCH_MAX_BYTES", "1000")
    assert refused_code(f"{vendor}/big") == "too_large"
    assert refused_code(f"{vendor}/big-unannounced") == "too_large"


def test_timeout(vendor, loopback_allowed, monkeypatch):
    monkeypatch.setenv("NOTICE_FETCH_TIMEOUT", "1")
    started = time.monotonic()
    assert refused_code(f"{vendor}/slow") == "timeout"
    assert time.monotonic() - started < 2.5


def test_public_addresses_pass_the_check():
    assert not address_refused("93.184.215.14")
    assert not address_refused("2606:4700::1111")
    assert address_refused("127.0.0.1") and not address_refused("127.0.0.1", allow_loopback=True)
    assert address_refused("10.0.0.1", allow_loopback=True)
