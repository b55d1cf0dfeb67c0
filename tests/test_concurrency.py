"""The same write sent N times at once: one winner, the others 409 (or 404 once deleted), no duplicates.

PostgreSQL only: SQLite serialises writers, which hides races. The app runs
in a real uvicorn server started by the test (its connection pool, its event
loop); N threads, each with its own HTTP client, wait at a barrier and send
the same request together. The cases are generated from the app's route
list, like the isolation test: a new write route fails here until it has a
scenario.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

import httpx
import pytest
import uvicorn

from register.tables import ClauseAssessment, Membership, Processor, ProcurementRequest
from tests.test_access_isolation import fill, routes_of

pytestmark = pytest.mark.postgres_only

N = 5
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# ------------------------------------------------------------------ a real server


class Server:
    """uvicorn serving the app on a free local port, in a thread."""

    def __init__(self, app) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: Any) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


class Upload(dict):
    """A multipart body: form fields, and the file under ``file`` as (name, bytes, type)."""


def together(
    base_url: str, headers: dict[str, str], method: str, url: str, body: Any, form: bool = False,
    multipart: bool = False,
) -> list[httpx.Response]:
    """Send the same request from N threads at the same instant; their answers."""
    barrier = threading.Barrier(N)
    answers: list[httpx.Response | BaseException] = [None] * N  # type: ignore[list-item]
    if isinstance(body, Upload):
        fields = {k: v for k, v in body.items() if k != "file"}
        sent: dict[str, Any] = {"files": {"file": body["file"]}, "data": fields}
    else:
        sent = {"files": body} if multipart else {"data": body} if form else {"json": body}

    def send(index: int) -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            barrier.wait()
            try:
                answers[index] = client.request(method, url, **sent)
            except BaseException as error:  # reported below, with the route
                answers[index] = error

    threads = [threading.Thread(target=send, args=(i,)) for i in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [a for a in answers if not isinstance(a, httpx.Response)]
    assert not failed, f"{method} {url}: {failed}"
    return answers  # type: ignore[return-value]


# ------------------------------------------------------------------ scenarios


@dataclass
class Scenario:
    """How to prepare a fresh target, what to send, and what N copies at once must give."""

    prepare: Callable[["Api"], tuple[dict[str, str], Any]]  # path values, body
    # "one winner" | "each creates" | "idempotent" | "applied once": one request makes the change;
    # the others either lose (``losers``) or, reading after it committed, find nothing left to
    # change and succeed without writing (a form that sets values rather than a version-checked edit)
    outcome: str
    losers: frozenset[int] = frozenset({409})
    count: Callable[["Api", dict[str, str]], int] | None = None  # rows the write adds
    multipart: bool = False  # the body is a file upload (multipart form)


class Api:
    """Sequential set-up and checks through the API."""

    def __init__(self, client: httpx.Client, organisation_id: int) -> None:
        self.client = client
        self.organisation_id = organisation_id

    def ok(self, method: str, url: str, body: Any = None) -> Any:
        response = self.client.request(method, url, json=body)
        assert response.status_code < 300, f"set-up {method} {url}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def processor(self, with_agreement: bool = False) -> dict:
        created = self.ok("POST", f"/api/v1/organisations/{self.organisation_id}/processors", {"legal_name": "Racy SAS"})
        pid = created["id"]
        self.ok("POST", f"/api/v1/processors/{pid}/locations", {"country": "DE"})
        self.ok("POST", f"/api/v1/processors/{pid}/sub-processors", {"name": "Sub", "countries": ["US"]})
        self.ok("POST", f"/api/v1/processors/{pid}/safeguards", {"country": "US", "mechanism": "bcr"})
        if with_agreement:
            self.ok("POST", f"/api/v1/processors/{pid}/agreement", {})
        return self.ok("GET", f"/api/v1/processors/{pid}")

    def ids(self, processor: dict) -> dict[str, str]:
        return {
            "organisation_id": str(self.organisation_id),
            "processor_id": str(processor["id"]),
            "location_id": str(processor["locations"][0]["id"]),
            "sub_processor_id": str(processor["sub_processors"][0]["id"]),
            "safeguard_id": str(processor["safeguards"][0]["id"]),
            "item": "art28_3_a",
        }

    def total(self) -> int:
        return self.ok("GET", f"/api/v1/organisations/{self.organisation_id}/processors")["total"]

    browser: dict[str, str] = {}  # a signed-in session's headers, for the pages
    member_id = 0

    def members_page(self) -> str:
        page = self.client.get(f"/organisations/{self.organisation_id}/members", headers=self.browser)
        assert page.status_code == 200, page.status_code
        return page.text

    def members(self) -> int:
        return self.members_page().count('id="role-')

    def owned(self, ids: dict[str, str], kind: str) -> int:
        return len(self.ok("GET", f"/api/v1/processors/{ids['processor_id']}")[kind])


def _processor_and(body: Any, with_agreement: bool = False):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        return api.ids(api.processor(with_agreement)), body

    return prepare


def _organisation(body: Any):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        created = api.ok("POST", "/api/v1/organisations", {"name": "Spare", "country": "BE"})
        return {"organisation_id": str(created["id"])}, body

    return prepare


def _request(api: Api) -> tuple[dict[str, str], Any]:
    submitted = api.ok(
        "POST", f"/api/v1/organisations/{api.organisation_id}/procurement/requests",
        {"purpose": "CRM", "candidate": {"legal_name": "Candidate SAS", "locations": [{"country": "FR"}]}},
    )
    return {"request_id": str(submitted["request"]["id"])}, {
        "decision": "approved", "reasons": "fine", "version": submitted["request"]["version"]
    }


def _token(api: Api) -> tuple[dict[str, str], Any]:
    api.ok("POST", "/api/v1/me/tokens", {"name": "spare"})
    spare = next(t for t in api.ok("GET", "/api/v1/me/tokens") if t["name"] == "spare" and not t.get("revoked_at"))
    return {"token_id": str(spare["id"])}, None


def _own_organisation(body: Any):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        return {"organisation_id": str(api.organisation_id)}, body

    return prepare


def _member_with_tokens(api: Api) -> tuple[dict[str, str], Any]:
    """Another member holding a token, made before the server started (see the test)."""
    return {"organisation_id": str(api.organisation_id), "user_id": str(api.tokened_user_id)}, None


async def _make_member_with_a_token(organisation_id: int) -> int:
    from register.accounts.store import create_api_token, create_user, set_membership
    from register.vocabulary import Role
    from tests.conftest import TEST_PASSWORD

    user_id = await create_user("tokened@example.test", TEST_PASSWORD)
    await set_membership(user_id, organisation_id, Role.AUDITOR)
    await create_api_token(user_id, "to revoke")
    return user_id


# ------------------------------------------------------------------ spreadsheet import (issue 11)

_sheets = iter(range(1, 1_000_000))


def _sheet() -> Upload:
    """A one-row vendor sheet, a new vendor each time (so that its commit creates one processor)."""
    content = f"Fournisseur;Pays du siège\r\nImported {next(_sheets)} SAS;France\r\n".encode("cp1252")
    return Upload(file=("vendors.csv", content, "text/csv"))


def _import(api: Api) -> dict:
    """A pending import preview of a fresh one-row sheet."""
    sheet = _sheet()
    response = api.client.post(f"/api/v1/organisations/{api.organisation_id}/imports", files={"file": sheet["file"]})
    assert response.status_code == 201, response.text
    return response.json()


def _previews(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/organisations/{api.organisation_id}/imports"))


def _mappings(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/organisations/{api.organisation_id}/import-mappings"))


IMPORT_MAPPING = {"columns": {"legal_name": "Fournisseur"}, "key": "name_country"}


def _preview_and(body: Any):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        preview = _import(api)
        return {"organisation_id": str(api.organisation_id), "preview_id": preview["id"]}, body

    return prepare


def _finding_body(api: Api) -> tuple[dict[str, str], dict]:
    """A new processor and one of its findings, as the task API names it."""
    processor = api.processor()
    assessment = api.ok("GET", f"/api/v1/processors/{processor['id']}/assessment")
    finding = next(f for f in assessment["findings"] if f["processor_id"] == processor["id"])
    return {"organisation_id": str(api.organisation_id)}, {
        "processor_id": processor["id"], "finding_code": finding["code"],
        "subject_kind": finding["subject"]["kind"], "subject_ref": finding["subject"]["ref"],
    }


def _task(api: Api) -> dict:
    ids, body = _finding_body(api)
    return api.ok("POST", f"/api/v1/organisations/{api.organisation_id}/tasks", body)


def _task_and(body: Any):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        task = _task(api)
        return {"organisation_id": str(api.organisation_id), "task_id": str(task["id"])}, body

    return prepare


NOTICE_TEXT = "| Subprocessor | Purpose | Location |\n|---|---|---|\n| Racy Mail Inc. | E-mail | United States |\n"
NOTICE = {"received_on": "2026-11-20", "text": NOTICE_TEXT}


def _notice(body: Callable[[int], Any], objected: bool = False):
    """A processor with a pending notice (or one objected to); ``body`` gets the notice's version."""

    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        processor = api.processor()
        notice = api.ok("POST", f"/api/v1/processors/{processor['id']}/notices", NOTICE)
        version = notice["version"]
        if objected:
            api.ok("POST", f"/api/v1/notices/{notice['id']}/decision",
                   {"decision": "object", "reasons": "Transfers to the US", "version": version})
            version += 1
        return {**api.ids(processor), "notice_id": str(notice["id"])}, body(version)

    return prepare


# ------------------------------------------------------------------ a vendor's DPA files and readings (issue 12)

DPA_UPLOAD = {"file": ("dpa.txt", b"Data Processing Agreement\n\n1. Instructions\n1.1 Documented instructions only.\n", "text/plain")}


def _stored_file(api: Api, processor_id: str) -> str:
    stored = api.client.post(f"/api/v1/processors/{processor_id}/agreement/files", files=DPA_UPLOAD)
    assert stored.status_code == 201, stored.text
    return str(stored.json()["id"])


def _with_file(body: Any):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        ids = api.ids(api.processor())
        return {**ids, "file_id": _stored_file(api, ids["processor_id"])}, body

    return prepare


def _saved_mapping(body: Any):
    """The mapping saved once before the N identical saves (which then change nothing)."""
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        saved = api.ok("POST", f"/api/v1/organisations/{api.organisation_id}/import-mappings",
                       {"name": "Twin mapping", "mapping": IMPORT_MAPPING})
        return {"organisation_id": str(api.organisation_id), "mapping_id": str(saved["id"])}, body

    return prepare


def _with_reading(body: Any):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        ids, _ = _with_file(None)(api)
        reading = api.ok("POST", f"/api/v1/processors/{ids['processor_id']}/agreement/files/{ids['file_id']}/readings")
        return {**ids, "reading_id": str(reading["id"])}, body

    return prepare


def _new_sheet(api: Api) -> tuple[dict[str, str], Any]:
    return {"organisation_id": str(api.organisation_id)}, _sheet()


IMPORTS = "/api/v1/organisations/{organisation_id:int}/imports"
GONE = frozenset({404})


# ------------------------------------------------------------------ vendor questionnaires

VENDOR_ANSWERS = {"legal_name": "Racy Vendor SAS", "privacy_contact": "DPO", "contact_email": "dpo@racy.example",
                  "countries": "IE", "action": "submit"}


def _questionnaire_link(api: Api) -> tuple[dict[str, str], str, int]:
    processor = api.processor()
    created = api.ok("POST", f"/api/v1/processors/{processor['id']}/questionnaires", {"language": "en"})
    return api.ids(processor), created["token"], created["questionnaire"]["id"]


def _vendor_headers(base_url: str, token: str) -> dict[str, str]:
    """The vendor's CSRF cookie and form token, sent by hand (the cookie is Secure; the server is plain HTTP)."""
    from tests.test_pages_support import csrf_of

    with httpx.Client(base_url=str(base_url), timeout=60) as vendor:
        page = vendor.get(f"/q/{token}?lang=en")
        assert page.status_code == 200, page.status_code
        cookies = dict(page.cookies)
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "x-csrftoken": csrf_of(page.text)}


def _submitted_questionnaire(form: bool):
    """A questionnaire the vendor answered (countries: IE); the body accepts the countries."""
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        ids, token, questionnaire_id = _questionnaire_link(api)
        sent = api.client.post(f"/q/{token}?lang=en", data=VENDOR_ANSWERS,
                               headers=_vendor_headers(api.client.base_url, token))
        assert sent.status_code == 303, sent.text[:300]
        version = api.ok("GET", f"/api/v1/questionnaires/{questionnaire_id}")["questionnaire"]["version"]
        ids = {**ids, "questionnaire_id": str(questionnaire_id)}
        if form:
            return ids, {"version": str(version), "decision__countries": "accept"}
        return ids, {"version": version, "decisions": {"countries": {"decision": "accept"}}}

    return prepare


def _open_questionnaire(api: Api) -> tuple[dict[str, str], Any]:
    ids, token, questionnaire_id = _questionnaire_link(api)
    return {**ids, "questionnaire_id": str(questionnaire_id)}, None


def _vendor_link(api: Api) -> tuple[dict[str, str], Any]:
    """Five submissions of one link at once: one is kept, the link is then used up (404). Sent with the
    signed-in browser's CSRF cookie and token (the public form ignores the session)."""
    ids, token, _ = _questionnaire_link(api)
    return {**ids, "token": token}, VENDOR_ANSWERS


def _questionnaires(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/processors/{ids['processor_id']}/questionnaires"))


def _irish_locations(api: Api, ids: dict[str, str]) -> int:
    return sum(1 for loc in api.ok("GET", f"/api/v1/processors/{ids['processor_id']}")["locations"] if loc["country"] == "IE")


QUESTIONNAIRE_SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("POST", "/api/v1/processors/{processor_id:int}/questionnaires"): Scenario(
        _processor_and({"language": "fr"}), "each creates", count=_questionnaires),
    ("POST", "/api/v1/questionnaires/{questionnaire_id:int}/revoke"): Scenario(_open_questionnaire, "idempotent"),
    # two DPOs (or five) deciding the same proposal: one applies it, the others get 409
    ("POST", "/api/v1/questionnaires/{questionnaire_id:int}/decision"): Scenario(
        _submitted_questionnaire(form=False), "one winner", count=_irish_locations),
}
IMPORT_SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("POST", IMPORTS): Scenario(_new_sheet, "each creates", count=_previews),
    ("PUT", IMPORTS + "/{preview_id:str}/mapping"): Scenario(  # the same edit N times: the same preview
        _preview_and({"mapping": IMPORT_MAPPING}), "idempotent", count=lambda api, ids: api.total()),
    ("POST", IMPORTS + "/{preview_id:str}/commit"): Scenario(
        _preview_and({"version": 1}), "one winner", count=lambda api, ids: api.total()),
    ("DELETE", IMPORTS + "/{preview_id:str}"): Scenario(_preview_and(None), "one winner", GONE),
    ("POST", "/api/v1/organisations/{organisation_id:int}/import-mappings"): Scenario(
        _saved_mapping({"name": "Twin mapping", "mapping": IMPORT_MAPPING}), "idempotent", count=_mappings),
    ("DELETE", "/api/v1/organisations/{organisation_id:int}/import-mappings/{mapping_id:int}"): Scenario(
        _saved_mapping(None), "one winner", GONE),
}


def _files(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/processors/{ids['processor_id']}/agreement/files"))


def _readings(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/processors/{ids['processor_id']}/agreement/readings"))


def _clauses(api: Api, ids: dict[str, str]) -> int:
    agreement = api.ok("GET", f"/api/v1/processors/{ids['processor_id']}")["agreement"]
    return len(agreement["clauses"]) if agreement else 0


def _tasks(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/organisations/{api.organisation_id}/tasks"))


def _comments(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/organisations/{api.organisation_id}/tasks/{ids['task_id']}/comments"))


def _page_finding(api: Api) -> tuple[dict[str, str], Any]:
    ids, body = _finding_body(api)
    token = f"{body['processor_id']}:{body['finding_code']}:{body['subject_kind']}:{body['subject_ref']}"
    return ids, {"finding": token}


TASKS = "/api/v1/organisations/{organisation_id:int}/tasks"
PAGE_TASKS = "/organisations/{organisation_id:int}/tasks"


def _notices(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/processors/{ids['processor_id']}/notices"))


# ------------------------------------------------------------------ firms and the vendor library (issue 14)

_library_names = iter(range(1, 1_000_000))
FIRMS = "/api/v1/firms/{firm_id:int}"
LIBRARY_LINK = "/api/v1/processors/{processor_id:int}/library-link"
LIBRARY_VENDOR = {"legal_name": "Library Vendor Inc.", "country": "US", "locations": [{"country": "IE"}],
                  "sub_processors": [{"name": "Hosting Ltd", "countries": ["IE"]}]}


def _firm_ids(api: Api) -> dict[str, str]:
    return {"firm_id": str(api.firm_id), "organisation_id": str(api.organisation_id)}


def _new_vendor(api: Api) -> dict:
    name = f"Vendor {next(_library_names)} Inc."
    return api.ok("POST", f"/api/v1/firms/{api.firm_id}/vendors", {**LIBRARY_VENDOR, "legal_name": name})


def _vendor_body(api: Api) -> tuple[dict[str, str], Any]:
    return _firm_ids(api), {**LIBRARY_VENDOR, "legal_name": f"Twin vendor {next(_library_names)}"}


def _vendor_update(api: Api) -> tuple[dict[str, str], Any]:
    vendor = _new_vendor(api)
    return {"vendor_id": str(vendor["id"])}, {**vendor["facts"], "website": "https://new.example", "version": 1}


def _linked(api: Api, changed: bool) -> tuple[dict, dict, dict]:
    """A processor linked to a new vendor; with ``changed``, the vendor then changed (version 2)."""
    processor = api.processor()
    vendor = _new_vendor(api)
    link = api.ok("POST", f"/api/v1/processors/{processor['id']}/library-link", {"vendor_id": vendor["id"]})
    if changed:
        api.ok("PUT", f"/api/v1/library/vendors/{vendor['id']}",
               {**vendor["facts"], "sub_processors": [], "version": vendor["version"]})
    return processor, vendor, link


def _vendor_and(body: Any):
    def prepare(api: Api) -> tuple[dict[str, str], Any]:
        return {"vendor_id": str(_new_vendor(api)["id"])}, body

    return prepare


def _vendor_files(api: Api, ids: dict[str, str]) -> int:
    return len(api.ok("GET", f"/api/v1/library/vendors/{ids['vendor_id']}/files"))


def _link_body(api: Api) -> tuple[dict[str, str], Any]:
    processor = api.processor()
    return api.ids(processor), {"vendor_id": _new_vendor(api)["id"]}


def _library_decision(api: Api) -> tuple[dict[str, str], Any]:
    processor, vendor, link = _linked(api, changed=True)
    return api.ids(processor), {"decision": "accept", "version": link["link"]["version"], "vendor_version": 2}


def _unlink(api: Api) -> tuple[dict[str, str], Any]:
    processor, _, link = _linked(api, changed=False)
    return api.ids(processor), {"version": link["link"]["version"]}


def _firm_member_body(api: Api) -> tuple[dict[str, str], Any]:
    return _firm_ids(api), {"email": "firm_twin@example.test", "role": "member"}


def _leaving_firm_member(api: Api) -> tuple[dict[str, str], Any]:
    api.ok("POST", f"/api/v1/firms/{api.firm_id}/members", {"email": "firm_leaving@example.test"})
    return {**_firm_ids(api), "user_id": str(api.leaving_user_id)}, None


def _client_organisation(api: Api) -> int:
    return api.ok("POST", "/api/v1/organisations", {"name": f"Client {next(_library_names)}", "country": "FR"})["id"]


def _attachable(api: Api) -> tuple[dict[str, str], Any]:
    return _firm_ids(api), {"organisation_id": _client_organisation(api)}


def _detachable(api: Api) -> tuple[dict[str, str], Any]:
    organisation_id = _client_organisation(api)
    api.ok("POST", f"/api/v1/firms/{api.firm_id}/clients", {"organisation_id": organisation_id})
    return {"firm_id": str(api.firm_id), "organisation_id": str(organisation_id)}, None


def _accepted_version(api: Api, ids: dict[str, str]) -> int:
    """The vendor version the processor's link holds (0: not linked)."""
    response = api.client.get(f"/api/v1/processors/{ids['processor_id']}/library-link")
    return response.json()["link"]["accepted_version"] if response.status_code == 200 else 0


def _firm_part(kind: str) -> Callable[[Api, dict[str, str]], int]:
    def count(api: Api, ids: dict[str, str]) -> int:
        return len(api.ok("GET", f"/api/v1/firms/{api.firm_id}")[kind])

    return count


LIBRARY_SCENARIOS: dict[tuple[str, str], Scenario] = {
    # the same name twice in one library is refused (a unique index): one winner
    ("POST", FIRMS + "/vendors"): Scenario(_vendor_body, "one winner", count=_firm_part("vendors")),
    ("PUT", "/api/v1/library/vendors/{vendor_id:int}"): Scenario(_vendor_update, "one winner"),
    ("POST", "/api/v1/library/vendors/{vendor_id:int}/files"): Scenario(
        _vendor_and(DPA_UPLOAD), "each creates", count=_vendor_files, multipart=True),
    # one link per processor (a unique column); the facts copied once
    ("POST", LIBRARY_LINK): Scenario(_link_body, "one winner", count=lambda api, ids: _accepted_version(api, ids)),
    # the link's version is checked inside its UPDATE: the change is copied once
    ("POST", LIBRARY_LINK + "/decision"): Scenario(
        _library_decision, "one winner", count=lambda api, ids: _accepted_version(api, ids)),
    ("POST", LIBRARY_LINK + "/unlink"): Scenario(_unlink, "one winner", GONE | {409}),
    # the firm's row is locked: the first adds the member, the others find it there and keep its role
    ("POST", FIRMS + "/members"): Scenario(_firm_member_body, "applied once", count=_firm_part("members")),
    ("DELETE", FIRMS + "/members/{user_id:int}"): Scenario(_leaving_firm_member, "one winner", GONE),
    # an organisation in at most one firm (a unique column): one winner
    ("POST", FIRMS + "/clients"): Scenario(_attachable, "one winner", count=_firm_part("clients")),
    ("DELETE", FIRMS + "/clients/{organisation_id:int}"): Scenario(_detachable, "one winner", GONE),
}


CANDIDATE = {"legal_name": "Checked SAS", "headquarters_country": "US"}
PROCESSORS = "/api/v1/processors/{processor_id:int}"

SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("POST", "/api/v1/organisations"): Scenario(
        _own_organisation({"name": "Twin", "country": "FR"}), "each creates"),
    ("PATCH", "/api/v1/organisations/{organisation_id:int}"): Scenario(
        _organisation({"name": "Renamed", "version": 1}), "one winner"),
    ("DELETE", "/api/v1/organisations/{organisation_id:int}"): Scenario(_organisation(None), "one winner", GONE),
    ("POST", "/api/v1/organisations/{organisation_id:int}/processors"): Scenario(
        _own_organisation({"legal_name": "Twin SAS"}), "each creates", count=lambda api, ids: api.total()),
    ("PATCH", PROCESSORS): Scenario(_processor_and({"trade_name": "New", "version": 1}), "one winner"),
    ("DELETE", PROCESSORS): Scenario(_processor_and(None), "one winner", GONE),
    ("POST", PROCESSORS + "/locations"): Scenario(
        _processor_and({"country": "IE"}), "each creates", count=lambda api, ids: api.owned(ids, "locations")),
    ("PATCH", PROCESSORS + "/locations/{location_id:int}"): Scenario(
        _processor_and({"country": "IE", "version": 1}), "one winner"),
    ("DELETE", PROCESSORS + "/locations/{location_id:int}"): Scenario(_processor_and(None), "one winner", GONE),
    ("POST", PROCESSORS + "/sub-processors"): Scenario(
        _processor_and({"name": "Twin"}), "each creates", count=lambda api, ids: api.owned(ids, "sub_processors")),
    ("PATCH", PROCESSORS + "/sub-processors/{sub_processor_id:int}"): Scenario(
        _processor_and({"name": "Renamed", "version": 1}), "one winner"),
    ("DELETE", PROCESSORS + "/sub-processors/{sub_processor_id:int}"): Scenario(
        _processor_and(None), "one winner", GONE),
    ("POST", PROCESSORS + "/safeguards"): Scenario(
        _processor_and({"country": "IN", "mechanism": "bcr"}), "each creates",
        count=lambda api, ids: api.owned(ids, "safeguards")),
    ("PATCH", PROCESSORS + "/safeguards/{safeguard_id:int}"): Scenario(
        _processor_and({"country": "IN", "version": 1}), "one winner"),
    ("DELETE", PROCESSORS + "/safeguards/{safeguard_id:int}"): Scenario(_processor_and(None), "one winner", GONE),
    ("POST", PROCESSORS + "/agreement"): Scenario(_processor_and({"reference": "DPA"}), "one winner"),
    ("PATCH", PROCESSORS + "/agreement"): Scenario(
        _processor_and({"reference": "v2", "version": 1}, with_agreement=True), "one winner"),
    ("DELETE", PROCESSORS + "/agreement"): Scenario(_processor_and(None, with_agreement=True), "one winner", GONE),
    ("PUT", PROCESSORS + "/agreement/clauses/{item:str}"): Scenario(
        _processor_and({"status": "present"}, with_agreement=True), "one winner"),
    ("POST", "/api/v1/procurement-requests/{request_id:int}/decision"): Scenario(
        _request, "one winner", count=lambda api, ids: api.total()),
    ("POST", "/api/v1/organisations/{organisation_id:int}/procurement/requests"): Scenario(
        _own_organisation({"purpose": "CRM", "candidate": CANDIDATE}), "each creates",
        count=lambda api, ids: len(api.ok("GET", f"/api/v1/organisations/{api.organisation_id}/procurement/requests"))),
    # reads sent as POST (a candidate in the body): every copy answers, nothing is written
    ("POST", "/api/v1/organisations/{organisation_id:int}/procurement/check"): Scenario(
        _own_organisation(CANDIDATE), "idempotent", count=lambda api, ids: api.total()),
    ("POST", "/api/v1/organisations/{organisation_id:int}/documents/procurement-memo.docx"): Scenario(
        _own_organisation(CANDIDATE), "idempotent", count=lambda api, ids: api.total()),
    ("POST", "/api/v1/me/tokens"): Scenario(
        _own_organisation({"name": "twin"}), "each creates",
        count=lambda api, ids: len([t for t in api.ok("GET", "/api/v1/me/tokens") if t["name"] == "twin"])),
    ("DELETE", "/api/v1/me/tokens/{token_id:int}"): Scenario(_token, "idempotent"),
    ("POST", PROCESSORS + "/agreement/files"): Scenario(
        _processor_and(DPA_UPLOAD), "each creates", count=_files, multipart=True),
    ("DELETE", PROCESSORS + "/agreement/files/{file_id:int}"): Scenario(_with_file(None), "one winner", GONE),
    ("POST", PROCESSORS + "/agreement/files/{file_id:int}/readings"): Scenario(
        _with_file(None), "each creates", count=_readings),
    # five confirmations of one reading: one applies it (creating the agreement), the others are refused
    ("POST", PROCESSORS + "/agreement/readings/{reading_id:int}/decisions"): Scenario(
        _with_reading({"version": 1, "items": {"art28_3_a": {"decision": "accept"}}}), "one winner", count=_clauses),
    ("DELETE", "/api/v1/organisations/{organisation_id:int}/members/{user_id:int}/tokens"): Scenario(
        _member_with_tokens, "idempotent"),
    **IMPORT_SCENARIOS,
    **QUESTIONNAIRE_SCENARIOS,
    # one task per finding (a unique index): one winner
    ("POST", TASKS): Scenario(_finding_body, "one winner", count=_tasks),
    ("PATCH", TASKS + "/{task_id:int}"): Scenario(_task_and({"version": 1, "status": "in_progress"}), "one winner"),
    ("POST", TASKS + "/{task_id:int}/comments"): Scenario(_task_and({"body": "twin"}), "each creates", count=_comments),
    ("POST", PROCESSORS + "/notices"): Scenario(_processor_and(NOTICE), "each creates", count=_notices),
    ("POST", "/api/v1/notices/{notice_id:int}/decision"): Scenario(
        _notice(lambda version: {"decision": "accept", "version": version}), "one winner",
        count=lambda api, ids: api.owned(ids, "sub_processors")),
    ("POST", "/api/v1/notices/{notice_id:int}/objection-sent"): Scenario(
        _notice(lambda version: {"sent_on": "2026-11-25", "sent_via": "dpo@vendor.example", "version": version},
                objected=True), "one winner"),
    **LIBRARY_SCENARIOS,
}


def api_write_routes(app) -> list[tuple[str, str]]:
    return sorted(
        {(method, template) for method, template, _ in routes_of(app)
         if method in WRITE_METHODS and template.startswith("/api/")}
    )


def test_every_api_write_route_has_a_concurrency_scenario(app):
    missing = [route for route in api_write_routes(app) if route not in SCENARIOS]
    assert not missing, f"add a scenario for {missing}"
    assert len(api_write_routes(app)) >= 20


def _check(route: tuple[str, str], scenario: Scenario, answers: list[httpx.Response]) -> None:
    statuses = Counter(a.status_code for a in answers)
    where = f"{route[0]} {route[1]}: {dict(statuses)} {[a.text[:120] for a in answers if a.status_code >= 300]}"
    assert not any(code >= 500 for code in statuses), where
    winners = sum(n for code, n in statuses.items() if code < 300)
    if scenario.outcome == "one winner":
        assert winners == 1, where
        assert set(statuses) - {next(c for c in statuses if c < 300)} <= scenario.losers, where
    elif scenario.outcome == "applied once":
        assert winners >= 1, where
        assert {c for c in statuses if c >= 300} <= scenario.losers, where
    else:
        assert winners == N, where


def test_n_identical_writes_at_once_have_one_winner_and_leave_no_duplicates(database, run, make_user):
    from register.accounts.store import create_api_token
    from register.app import create_app
    from register.store.changes import create_organisation

    app = create_app(connection_pool=True)  # as served: asyncpg's pool, in the server's event loop

    user = make_user("racer@example.test")
    organisation_id = run(create_organisation({"name": "Race SAS", "country": "FR"}, "test", admin_user_id=user)).id
    token = run(create_api_token(user, "race"))
    # Queried here, before the server's pool exists: asyncpg connections belong to one event loop.
    tokened_user_id = run(_make_member_with_a_token(organisation_id))
    firm_id = run(_make_firm(user, organisation_id))
    make_user("firm_twin@example.test")
    leaving_user_id = make_user("firm_leaving@example.test")
    checked = []
    with Server(app) as base_url, httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as client:
        api = Api(client, organisation_id)
        api.tokened_user_id = tokened_user_id
        api.firm_id, api.leaving_user_id = firm_id, leaving_user_id
        for route in api_write_routes(app):
            scenario = SCENARIOS[route]
            ids, body = scenario.prepare(api)
            url = fill(route[1], ids)
            before = scenario.count(api, ids) if scenario.count else None
            answers = together(
                base_url, {"Authorization": f"Bearer {token}"}, route[0], url, body, multipart=scenario.multipart
            )
            _check(route, scenario, answers)
            if scenario.count is not None:
                added = {"one winner": 1, "applied once": 1, "each creates": N, "idempotent": 0}[scenario.outcome]
                assert scenario.count(api, ids) == before + added, f"{route}: rows added"
            checked.append(route)
    assert len(checked) == len(SCENARIOS)
    run(_no_duplicate_rows())


async def _make_firm(admin_user_id: int, organisation_id: int) -> int:
    """The racer's firm (made before the server starts), serving the racer's organisation."""
    from register.store import library

    firm = await library.create_firm("Race firm", "test", admin_user_id=admin_user_id)
    await library.attach_organisation(firm.id, organisation_id, "test")
    return firm.id


async def _no_duplicate_rows() -> None:
    """What the unique rules protect holds in the database itself (checked with the server stopped)."""
    for table, columns in ((ClauseAssessment, "agreement, item"), (Membership, '"organisation", "user"')):
        duplicated = await table.raw(
            f'SELECT {columns}, COUNT(*) FROM "{table._meta.tablename}" GROUP BY {columns} HAVING COUNT(*) > 1'
        )
        assert duplicated == [], table.__name__
    approved = await ProcurementRequest.select(ProcurementRequest.processor).where(
        ProcurementRequest.status == "approved"
    )
    assert len(approved) == 1
    candidates = await Processor.count().where(Processor.legal_name == "Candidate SAS")
    assert candidates == 1  # approved five times at once, added once


# ------------------------------------------------------------------ the same, through the pages' forms

# Session routes (sign-in, sign-out, password, preferences) change the caller's own
# session or account, not a register; their concurrency (throttling, sessions ended
# on a password change) is tested with the sign-in rules.
SESSION_ROUTES = {"/login", "/logout", "/account/password", "/preferences/language", "/preferences/organisation",
                  # the caller's calendar address: one atomic upsert or delete (tests/test_reminders.py)
                  "/account/calendar", "/account/calendar/revoke"}
STALE_OR_GONE = frozenset({400, 404})  # a page answers a refused form with the form again (400)
PAGE_PROCESSORS = "/processors/{processor_id:int}"


def _member(api: Api) -> tuple[dict[str, str], Any]:
    api.ok("POST", f"/api/v1/organisations/{api.organisation_id}/processors", {"legal_name": "keeps ids apart"})
    return {"organisation_id": str(api.organisation_id)}, {"email": "twin@example.test", "role": "auditor"}


def _removable_member(api: Api) -> tuple[dict[str, str], Any]:
    """A member added through the members' page, to remove."""
    import re

    added = api.client.post(f"/organisations/{api.organisation_id}/members",
                            data={"email": "spare@example.test", "role": "auditor"}, headers=api.browser)
    assert added.status_code in (200, 303), added.text[:300]
    found = re.search(r'spare@example\.test.*?name="user_id" value="(\d+)"', api.members_page(), re.S)
    assert found
    return {"organisation_id": str(api.organisation_id)}, {"user_id": found.group(1)}


def _twin_member(api: Api) -> tuple[dict[str, str], Any]:
    """The member the members' scenario added, whose tokens the admin revokes."""
    import re

    found = re.search(r'twin@example\.test.*?name="user_id" value="(\d+)"', api.members_page(), re.S)
    assert found
    return {"organisation_id": str(api.organisation_id)}, {"user_id": found.group(1)}


def _organisation_details(api: Api) -> tuple[dict[str, str], Any]:
    current = api.ok("GET", f"/api/v1/organisations/{api.organisation_id}")
    return {"organisation_id": str(api.organisation_id)}, {
        "name": "Race SAS", "country": "FR", "address": "1 rue de la Paix\n75002 Paris", "version": str(current["version"]),
    }


def _dpf_confirmation(api: Api) -> tuple[dict[str, str], Any]:
    """A US processor's DPF check, confirmed as the proposals page sends it (the version read: 1)."""
    created = api.ok("POST", f"/api/v1/organisations/{api.organisation_id}/processors",
                     {"legal_name": "Racy Inc.", "headquarters_country": "US"})
    return {"organisation_id": str(api.organisation_id)}, {
        "proposal": f"processor:{created['id']}:1:1", "checked_on": "2026-12-01", "source": "dpf.csv",
    }


def _page_request(api: Api) -> tuple[dict[str, str], Any]:
    ids, body = _request(api)
    return ids, {"decision": "approved", "reasons": "fine", "version": str(body["version"])}


def _members(api: Api, ids: dict[str, str]) -> int:
    return api.members()


PAGE_SCENARIOS: dict[tuple[str, str], Scenario] = {
    ("POST", "/organisations/{organisation_id:int}/processors"): Scenario(
        _own_organisation({"legal_name": "Twin SAS"}), "each creates", count=lambda api, ids: api.total()),
    ("POST", PAGE_PROCESSORS): Scenario(_processor_and({"legal_name": "Renamed", "version": "1"}), "one winner",
                                        STALE_OR_GONE),
    ("POST", PAGE_PROCESSORS + "/delete"): Scenario(_processor_and({}), "one winner", GONE),
    ("POST", PAGE_PROCESSORS + "/locations"): Scenario(
        _processor_and({"country": "IE", "activity": "hosting"}), "each creates",
        count=lambda api, ids: api.owned(ids, "locations")),
    ("POST", PAGE_PROCESSORS + "/locations/{location_id:int}"): Scenario(
        _processor_and({"country": "IE", "activity": "hosting", "version": "1"}), "one winner", STALE_OR_GONE),
    ("POST", PAGE_PROCESSORS + "/locations/{location_id:int}/delete"): Scenario(
        _processor_and({}), "one winner", GONE),
    ("POST", PAGE_PROCESSORS + "/sub-processors"): Scenario(
        _processor_and({"name": "Twin"}), "each creates", count=lambda api, ids: api.owned(ids, "sub_processors")),
    ("POST", PAGE_PROCESSORS + "/sub-processors/{sub_processor_id:int}"): Scenario(
        _processor_and({"name": "Renamed", "version": "1"}), "one winner", STALE_OR_GONE),
    ("POST", PAGE_PROCESSORS + "/sub-processors/{sub_processor_id:int}/delete"): Scenario(
        _processor_and({}), "one winner", GONE),
    ("POST", PAGE_PROCESSORS + "/safeguards"): Scenario(
        _processor_and({"country": "IN", "mechanism": "bcr"}), "each creates",
        count=lambda api, ids: api.owned(ids, "safeguards")),
    ("POST", PAGE_PROCESSORS + "/safeguards/{safeguard_id:int}"): Scenario(
        _processor_and({"country": "IN", "mechanism": "bcr", "version": "1"}), "one winner", STALE_OR_GONE),
    ("POST", PAGE_PROCESSORS + "/safeguards/{safeguard_id:int}/delete"): Scenario(
        _processor_and({}), "one winner", GONE),
    ("POST", PAGE_PROCESSORS + "/agreement"): Scenario(
        _processor_and({"reference": "DPA"}), "one winner", STALE_OR_GONE,
        count=lambda api, ids: int(api.ok("GET", f"/api/v1/processors/{ids['processor_id']}")["agreement"] is not None)),
    ("POST", PAGE_PROCESSORS + "/agreement/delete"): Scenario(
        _processor_and({}, with_agreement=True), "one winner", GONE),
    ("POST", PAGE_PROCESSORS + "/agreement/clauses"): Scenario(
        _processor_and({"status__art28_3_a": "present"}, with_agreement=True), "applied once", STALE_OR_GONE,
        count=lambda api, ids: len(api.ok("GET", f"/api/v1/processors/{ids['processor_id']}")["agreement"]["clauses"])),
    ("POST", "/organisations/{organisation_id:int}/members"): Scenario(
        _member, "each creates", count=_members),  # the account and membership made once, then the same role
    ("POST", "/organisations/{organisation_id:int}/members/remove"): Scenario(
        _removable_member, "one winner", STALE_OR_GONE, count=_members),
    ("POST", "/organisations/{organisation_id:int}/procurement"): Scenario(
        _own_organisation({"tool_name": "Twin", "purpose": "CRM"}), "each creates",
        count=lambda api, ids: len(api.ok("GET", f"/api/v1/organisations/{api.organisation_id}/procurement/requests"))),
    ("POST", "/procurement/{request_id:int}/decision"): Scenario(
        _page_request, "one winner", STALE_OR_GONE, count=lambda api, ids: api.total()),
    ("POST", "/organisations/{organisation_id:int}/details"): Scenario(
        _organisation_details, "one winner", STALE_OR_GONE),
    ("POST", "/organisations/{organisation_id:int}/members/revoke-tokens"): Scenario(_twin_member, "idempotent"),
    # the spreadsheet import's pages
    ("POST", "/organisations/{organisation_id:int}/imports"): Scenario(_new_sheet, "each creates", count=_previews),
    ("POST", "/organisations/{organisation_id:int}/imports/{preview_id:str}/mapping"): Scenario(
        _preview_and({"header_row": "1", "column__0": "legal_name", "key": "name_country", "language": "fr"}),
        "idempotent", count=lambda api, ids: api.total()),
    ("POST", "/organisations/{organisation_id:int}/imports/{preview_id:str}/commit"): Scenario(
        _preview_and({"version": "1"}), "one winner", frozenset({409}), count=lambda api, ids: api.total()),
    ("POST", "/organisations/{organisation_id:int}/imports/{preview_id:str}/delete"): Scenario(
        _preview_and({}), "one winner", GONE),
    ("POST", "/organisations/{organisation_id:int}/import-mappings/{mapping_id:int}/delete"): Scenario(
        _saved_mapping({}), "one winner", GONE),
    ("POST", PAGE_PROCESSORS + "/agreement/files"): Scenario(
        _processor_and(DPA_UPLOAD), "each creates", count=_files, multipart=True),
    ("POST", PAGE_PROCESSORS + "/agreement/files/{file_id:int}/delete"): Scenario(
        _with_file({}), "one winner", GONE),
    ("POST", PAGE_PROCESSORS + "/agreement/files/{file_id:int}/read"): Scenario(
        _with_file({}), "each creates", count=_readings),
    ("POST", PAGE_PROCESSORS + "/agreement/readings/{reading_id:int}"): Scenario(
        _with_reading({"version": "1", "decision__art28_3_a": "accept"}), "one winner", frozenset({409}),
        count=_clauses),
    # reading a DPF list shows proposals and writes nothing
    ("POST", "/organisations/{organisation_id:int}/dpf"): Scenario(
        _own_organisation({"text": "Organization Name,Status\nRacy Inc.,Active\n"}), "idempotent",
        count=lambda api, ids: api.total()),
    ("POST", "/organisations/{organisation_id:int}/dpf/confirm"): Scenario(_dpf_confirmation, "one winner"),
    ("POST", PAGE_TASKS): Scenario(_page_finding, "one winner", STALE_OR_GONE, count=_tasks),
    ("POST", PAGE_TASKS + "/{task_id:int}"): Scenario(
        _task_and({"status": "in_progress", "version": "1"}), "one winner", STALE_OR_GONE),
    ("POST", PAGE_TASKS + "/{task_id:int}/comments"): Scenario(
        _task_and({"body": "twin"}), "each creates", count=_comments),
    ("POST", PAGE_PROCESSORS + "/notices"): Scenario(_processor_and(NOTICE), "each creates", count=_notices),
    ("POST", "/notices/{notice_id:int}/decision"): Scenario(
        _notice(lambda version: {"decision": "accept", "version": str(version)}), "one winner", STALE_OR_GONE,
        count=lambda api, ids: api.owned(ids, "sub_processors")),
    ("POST", "/notices/{notice_id:int}/sent"): Scenario(
        _notice(lambda version: {"sent_on": "2026-11-25", "sent_via": "dpo@vendor.example", "version": str(version)},
                objected=True), "one winner", STALE_OR_GONE),
    ("POST", PAGE_PROCESSORS + "/questionnaires"): Scenario(
        _processor_and({"language": "en"}), "each creates", count=_questionnaires),
    ("POST", "/questionnaires/{questionnaire_id:int}/revoke"): Scenario(_open_questionnaire, "idempotent"),
    ("POST", "/questionnaires/{questionnaire_id:int}/decision"): Scenario(
        _submitted_questionnaire(form=True), "one winner", frozenset({409}), count=_irish_locations),
    # the vendor's public form, sent five times at once: one submission is kept
    ("POST", "/q/{token:str}"): Scenario(_vendor_link, "one winner", GONE),
}


def _page_vendor_form(api: Api) -> tuple[dict[str, str], Any]:
    return _firm_ids(api), {"legal_name": f"Twin page vendor {next(_library_names)}", "country": "US",
                            "locations": "IE hosting", "sub_processors": "Hosting Ltd | IE | Hosting | no"}


def _page_vendor_update(api: Api) -> tuple[dict[str, str], Any]:
    vendor = _new_vendor(api)
    return {"vendor_id": str(vendor["id"])}, {"legal_name": vendor["facts"]["legal_name"], "country": "US",
                                               "website": "https://new.example", "version": "1"}


def _page_link(api: Api) -> tuple[dict[str, str], Any]:
    ids, body = _link_body(api)
    return ids, {"vendor_id": str(body["vendor_id"])}


def _page_library_decision(api: Api) -> tuple[dict[str, str], Any]:
    ids, body = _library_decision(api)
    return ids, {key: str(value) for key, value in body.items()}


def _page_unlink(api: Api) -> tuple[dict[str, str], Any]:
    ids, body = _unlink(api)
    return ids, {"version": str(body["version"])}


def _page_member(api: Api) -> tuple[dict[str, str], Any]:
    return _firm_ids(api), {"email": "firm_twin@example.test", "role": "member"}


def _page_leaving_member(api: Api) -> tuple[dict[str, str], Any]:
    ids, _ = _leaving_firm_member(api)
    return _firm_ids(api), {"user_id": ids["user_id"]}


def _page_attachable(api: Api) -> tuple[dict[str, str], Any]:
    ids, body = _attachable(api)
    return ids, {"organisation_id": str(body["organisation_id"])}


def _page_detachable(api: Api) -> tuple[dict[str, str], Any]:
    ids, _ = _detachable(api)
    return _firm_ids(api), {"organisation_id": ids["organisation_id"]}


PAGE_SCENARIOS.update({
    # the firm's row is locked: the first adds the member, the others find it and keep its role
    ("POST", "/firms/{firm_id:int}/members"): Scenario(
        _page_member, "applied once", STALE_OR_GONE, count=_firm_part("members")),
    ("POST", "/firms/{firm_id:int}/members/remove"): Scenario(_page_leaving_member, "one winner", STALE_OR_GONE),
    ("POST", "/firms/{firm_id:int}/clients"): Scenario(
        _page_attachable, "one winner", STALE_OR_GONE, count=_firm_part("clients")),
    ("POST", "/firms/{firm_id:int}/clients/remove"): Scenario(_page_detachable, "one winner", STALE_OR_GONE),
    ("POST", "/firms/{firm_id:int}/vendors"): Scenario(
        _page_vendor_form, "one winner", STALE_OR_GONE, count=_firm_part("vendors")),
    ("POST", "/library/vendors/{vendor_id:int}"): Scenario(_page_vendor_update, "one winner", STALE_OR_GONE),
    ("POST", "/library/vendors/{vendor_id:int}/files"): Scenario(
        _vendor_and(DPA_UPLOAD), "each creates", count=_vendor_files, multipart=True),
    ("POST", PAGE_PROCESSORS + "/library-link"): Scenario(
        _page_link, "one winner", STALE_OR_GONE, count=_accepted_version),
    ("POST", PAGE_PROCESSORS + "/library-link/decision"): Scenario(
        _page_library_decision, "one winner", STALE_OR_GONE, count=_accepted_version),
    ("POST", PAGE_PROCESSORS + "/library-link/unlink"): Scenario(_page_unlink, "one winner", STALE_OR_GONE),
})
# rows each outcome adds, where it differs from the API's (an account is made once, whatever N)
PAGE_ADDED = {("POST", "/organisations/{organisation_id:int}/members"): 1,
              ("POST", "/organisations/{organisation_id:int}/members/remove"): -1}


def page_write_routes(app) -> list[tuple[str, str]]:
    return sorted(
        {(method, template) for method, template, _ in routes_of(app)
         if method in WRITE_METHODS and not template.startswith("/api/") and template not in SESSION_ROUTES}
    )


def test_every_page_write_route_has_a_concurrency_scenario(app):
    missing = [route for route in page_write_routes(app) if route not in PAGE_SCENARIOS]
    assert not missing, f"add a scenario for {missing}"


def _signed_in_headers(base_url: str, email: str) -> dict[str, str]:
    """Session and CSRF cookies sent by hand (they are Secure; the test server is plain HTTP), and a form token."""
    from tests.conftest import TEST_PASSWORD
    from tests.test_pages_support import csrf_of

    with httpx.Client(base_url=base_url, timeout=60) as browser:
        login = browser.get("/login")
        cookies = dict(login.cookies)
        signed = browser.post(
            "/login", data={"email": email, "password": TEST_PASSWORD, "next": "/", "_csrf_token": csrf_of(login.text)},
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        )
        assert signed.status_code == 303, signed.text
        cookies.update(dict(signed.cookies))
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "x-csrftoken": csrf_of(login.text)}


def test_n_identical_form_posts_at_once_have_one_winner(database, run, make_user):
    from register.accounts.store import create_api_token
    from register.app import create_app
    from register.store.changes import create_organisation
    from register.store.members import list_members
    from register.store.snapshots import clear_caches

    # The read caches' locks belong to the event loop of the previous test's server (one loop per
    # process when served); a task made from a finding reads the cached assessment.
    clear_caches()
    app = create_app(connection_pool=True)
    user = make_user("racer@example.test")
    organisation_id = run(create_organisation({"name": "Race SAS", "country": "FR"}, "test", admin_user_id=user)).id
    token = run(create_api_token(user, "race"))
    firm_id = run(_make_firm(user, organisation_id))
    make_user("firm_twin@example.test")
    leaving_user_id = make_user("firm_leaving@example.test")
    with Server(app) as base_url, httpx.Client(
        base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as client:
        browser = _signed_in_headers(base_url, "racer@example.test")
        api = Api(client, organisation_id)
        api.browser = browser
        api.firm_id, api.leaving_user_id = firm_id, leaving_user_id
        for route in page_write_routes(app):
            scenario = PAGE_SCENARIOS[route]
            ids, form = scenario.prepare(api)
            url = fill(route[1], ids)
            before = scenario.count(api, ids) if scenario.count else None
            answers = together(base_url, browser, route[0], url, form, form=True, multipart=scenario.multipart)
            _check_page(route, scenario, answers)
            if scenario.count is not None:
                added = PAGE_ADDED.get(route, {"one winner": 1, "applied once": 1, "each creates": N, "idempotent": 0}[scenario.outcome])
                assert scenario.count(api, ids) == before + added, f"{route}: rows added"
    run(_no_duplicate_rows())
    members = {m.email for m in run(list_members(organisation_id))}
    assert members == {"racer@example.test", "twin@example.test"}  # twin added five times at once: once


def _check_page(route: tuple[str, str], scenario: Scenario, answers: list[httpx.Response]) -> None:
    statuses = Counter(a.status_code for a in answers)
    where = f"{route[0]} {route[1]}: {dict(statuses)}"
    assert not any(code >= 500 for code in statuses), where
    winners = sum(n for code, n in statuses.items() if code in (200, 303))
    if scenario.outcome == "one winner":
        assert winners == 1 and statuses.get(303) == 1, where
        assert set(statuses) - {303} <= scenario.losers, where
    elif scenario.outcome == "applied once":
        assert winners >= 1 and statuses.get(303) == winners, where
        assert set(statuses) - {303} <= scenario.losers, where
    else:
        assert winners == N, where


def test_two_acceptances_confirming_a_rename_at_once_rename_once(database, run):
    """Two DPOs accept the same notice at once, both confirming a likely rename: one wins
    (the notice's UPDATE names the status and version read), the other changes nothing;
    the registered sub-processor is renamed once, nothing added or removed twice."""
    import asyncio
    from datetime import date

    from register.intake.subprocessor_lists import list_from_text
    from register.store import changes, notices, reads
    from register.store.errors import Conflict, StaleVersion
    from register.tables import SubProcessor
    from register.vocabulary import NoticeChannel, NoticeKind

    async def scenario():
        organisation = await changes.create_organisation({"name": "Race SAS", "country": "FR"}, "t")
        vendor = await changes.create_processor(organisation.id, {"legal_name": "Mailer"}, "t")
        sub = (await changes.add_sub_processor(organisation.id, vendor.id, {"name": "Sendgrid Inc.", "countries": ["US"]}, "t")).sub_processors[0]
        listed = list_from_text("| Name | Location |\n|---|---|\n| Twilio SendGrid | United States |\n")
        notice = await notices.record_notice(organisation.id, vendor.id, listed, kind=NoticeKind.FULL_LIST,
                                             channel=NoticeChannel.EMAIL, received_on=date(2026, 11, 20),
                                             source="pasted", content="", actor="t")
        results = await asyncio.gather(
            *[notices.accept_notice(organisation.id, notice.id, notice.version, f"dpo{i}", [sub.id]) for i in range(2)],
            return_exceptions=True,
        )
        return sub.id, results, await reads.load_processor(vendor.id), await SubProcessor.count()

    sub_id, results, vendor, count = run(scenario())
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert all(isinstance(r, (StaleVersion, Conflict)) for r in results if isinstance(r, Exception))
    assert [(s.id, s.name) for s in vendor.sub_processors] == [(sub_id, "Twilio SendGrid")] and count == 1
