"""Nobody reads, lists, changes, deletes or downloads another organisation's data.

The cases are generated from the app's own route list, so a new route is
tested as soon as it exists (and fails here if it has a path parameter the
test cannot fill).
"""

from __future__ import annotations

import re

import pytest

from register.web.access import AccessRule, is_framework_route
from tests.access_support import path_parameters, seeded_register

PARAMETER = re.compile(r"\{(\w+)(?::\w+)?\}")


def routes_of(app):
    """(method, path template, access rule) for every route of the app."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if is_framework_route(route.path, handler):
                continue
            for method in sorted(handler.http_methods):
                yield method, route.path, handler.opt["access"]


def fill(template: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        assert name in values, f"no test value for path parameter {name!r} in {template}"
        return values[name]

    return PARAMETER.sub(value, template)


@pytest.fixture
def two_registers(run, make_user, grant, api_client_for):
    mine = run(seeded_register())
    theirs = run(seeded_register())
    me = make_user("me@a.example")
    grant(me, mine.organisation_id, "admin")  # the strongest role, in A only
    return api_client_for(me), mine, theirs


def _send(client, method: str, url: str):
    body = {} if method in ("POST", "PATCH", "PUT") else None
    return client.request(method, url, json=body) if body is not None else client.request(method, url)


def test_every_organisation_route_hides_the_other_organisation(app, two_registers, run):
    client, mine, theirs = two_registers
    checked = 0
    for method, template, rule in routes_of(app):
        if rule.kind != "organisation":
            continue
        url = fill(template, path_parameters(theirs))
        response = _send(client, method, url)
        # Pages are signed in by session: the API client's token is not a session,
        # so page routes are exercised by the session client in the next test.
        if url.startswith("/api/"):
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
            checked += 1
    assert checked >= 20
    assert run(seeded_names_intact(theirs))


async def seeded_names_intact(ids) -> bool:
    from register.store import reads

    register = await reads.load_register(ids.organisation_id)
    return tuple(p.legal_name for p in register) == ids.names and all(
        p.version == 1 for p in register
    )


def test_pages_hide_the_other_organisation(app, run, make_user, grant):
    from litestar.testing import TestClient

    from tests.test_access_sessions import csrf_token, sign_in

    mine = run(seeded_register())
    theirs = run(seeded_register())
    me = make_user("me@a.example")
    grant(me, mine.organisation_id, "admin")
    with TestClient(app=app, base_url="https://testserver.local") as browser:
        sign_in(browser, "me@a.example")
        token = csrf_token(browser, fill("/organisations/{organisation_id}/processors/new", path_parameters(mine)))
        pages = [
            (method, template)
            for method, template, rule in routes_of(app)
            if rule.kind == "organisation" and not template.startswith("/api/")
        ]
        assert len({method for method, _ in pages}) >= 2  # reads and changes
        for method, template in pages:
            url = fill(template, path_parameters(theirs))
            # A change carries a valid CSRF token of the signed-in user's own session.
            form = {"_csrf_token": token} if method != "GET" else None
            response = browser.request(method, url, data=form, follow_redirects=False)
            assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        own = browser.get(fill("/organisations/{organisation_id}", path_parameters(mine)))
        assert own.status_code == 200
    assert run(seeded_names_intact(theirs))


def test_signed_in_lists_show_only_own_organisations(app, two_registers):
    client, mine, theirs = two_registers
    listed = [o["id"] for o in client.get("/api/v1/organisations").json()]
    assert listed == [mine.organisation_id]
    for method, template, rule in routes_of(app):
        if rule.kind == "signed_in" and method == "GET" and "{" not in template and template.startswith("/api/"):
            text = client.get(template).text
            assert f'"id":{theirs.organisation_id},' not in text.replace(" ", "")


def test_every_route_declares_an_access_rule(app):
    rules = list(routes_of(app))
    assert rules and all(isinstance(rule, AccessRule) for _, _, rule in rules)


def test_a_route_without_an_access_rule_stops_the_app(monkeypatch):
    from litestar import get

    from register import app as app_module
    from register.web import pages

    @get("/forgotten", include_in_schema=False)
    async def forgotten() -> str:
        return "oops"

    monkeypatch.setattr(app_module, "PAGE_HANDLERS", [*pages.PAGE_HANDLERS, forgotten])
    with pytest.raises(Exception, match="declares no access rule"):
        app_module.create_app(connection_pool=False)


def _readable_text(response) -> str:
    """What a reader gets from an answer: a page's or JSON's text, a document's words."""
    from tests.documents_support import body_text, open_docx, part_text, xlsx_sheets

    media_type = response.headers.get("content-type", "")
    if "wordprocessingml" in media_type:
        return body_text(open_docx(response.content)) + part_text(response.content, "word/header")
    if "spreadsheetml" in media_type:
        return "\n".join(" | ".join(row) for rows in xlsx_sheets(response.content).values() for row in rows)
    return response.text


def test_signed_in_routes_show_nothing_of_an_organisation_without_a_role(app, run, make_user, grant, api_client_for):
    """A user with roles in A (admin) and B (procurement) reads, on every signed-in GET route
    without a path parameter (the portfolio page, its API and its reports among them), nothing
    of C: not its id, not its name, not its numbers."""
    from litestar.testing import TestClient

    from register.schemas import CandidateInput
    from register.store.procurement import submit_procurement_request
    from register.tables import Organisation
    from tests.test_access_sessions import sign_in

    a, b, c = run(seeded_register()), run(seeded_register()), run(seeded_register())
    hidden_name = "Zeta Hidden Holding"
    run(Organisation.update({Organisation.name: hidden_name}).where(Organisation.id == c.organisation_id))
    for number in range(6):  # C has 7 pending requests; A and B have 1 each
        run(submit_procurement_request(c.organisation_id, CandidateInput(legal_name=f"Z{number}"), "Z", "test"))
    me = make_user("two@a.example")
    grant(me, a.organisation_id, "admin")
    grant(me, b.organisation_id, "procurement")
    api = api_client_for(me)
    checked = []
    with TestClient(app=app, base_url="https://testserver.local") as browser:
        sign_in(browser, "two@a.example")
        for method, template, rule in routes_of(app):
            if rule.kind != "signed_in" or method != "GET" or "{" in template:
                continue
            client = api if template.startswith("/api/") else browser
            response = client.get(template)
            assert response.status_code == 200, f"GET {template}: {response.status_code}"
            text = _readable_text(response)
            assert hidden_name not in text, template
            compact = text.replace(" ", "")
            assert f'"id":{c.organisation_id},' not in compact, template
            assert f"/organisations/{c.organisation_id}/" not in text and f'data-organisation="{c.organisation_id}"' not in text
            checked.append(template)
    assert {"/portfolio", "/portfolio/report.docx", "/portfolio/report.xlsx", "/api/v1/portfolio"} <= set(checked)
    portfolio = api.get("/api/v1/portfolio").json()
    assert sorted(row["id"] for row in portfolio["organisations"]) == sorted([a.organisation_id, b.organisation_id])
    assert all(row["pending_requests"] == 1 for row in portfolio["organisations"])  # never C's 7
    by_id = {row["id"]: row for row in portfolio["organisations"]}
    assert by_id[b.organisation_id]["score"] is None and by_id[a.organisation_id]["score"] is not None
def test_every_firm_route_hides_another_firms_library(app, two_registers, run):
    """The caller is admin of organisation A, a client of A's firm: every route of B's firm
    (its library, its vendors, its members and clients) answers 404, and B's link is intact."""
    client, mine, theirs = two_registers
    checked = 0
    for method, template, rule in routes_of(app):
        if rule.kind != "firm" or not template.startswith("/api/"):
            continue
        own = _send(client, "GET", fill(template, path_parameters(mine))) if method == "GET" else None
        assert own is None or own.status_code == 200, f"{template} answered {own.status_code} for my own firm"
        url = fill(template, path_parameters(theirs))
        response = _send(client, method, url)
        assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
        checked += 1
    assert checked >= 6
    assert run(seeded_names_intact(theirs))
    assert run(_link_intact(theirs))


async def _link_intact(ids) -> bool:
    from register.store import library

    vendor = await library.load_vendor(ids.firm_id, ids.vendor_id)
    clients = await library.linked_clients(ids.firm_id, ids.vendor_id)
    return vendor.version == 1 and [c.organisation_id for c in clients] == [ids.organisation_id]
