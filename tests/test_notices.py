"""Sub-processor notices through the API, the pages and the store: recorded from text, a file
or a URL; reviewed (diff, deadline, conflict, findings if accepted); accepted in one audited
transaction or objected to with a letter in French and English; open deadlines listed."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.access_support import seeded_register
from tests.documents_support import open_docx
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

FIXTURES = Path(__file__).parent / "fixtures" / "notices"
NOTICE_TEXT = (FIXTURES / "github_like.md").read_text()


@pytest.fixture
def team(run, make_user, grant, api_client_for):
    ids = run(seeded_register())
    clients = {}
    for role in ("dpo", "auditor", "procurement"):
        user = make_user(f"{role}@example.test")
        grant(user, ids.organisation_id, role)
        clients[role] = api_client_for(user)
    return ids, clients


def processor_with_dpa(client, organisation_id: int, **agreement) -> int:
    created = client.post(
        f"/api/v1/organisations/{organisation_id}/processors",
        json={"legal_name": "Acme Code Inc.", "headquarters_country": "US", "status": "approved",
              "address": "1 Main Street, Springfield", "contact_name": "Jane Roe"},
    ).json()
    pid = created["id"]
    assert client.post(f"/api/v1/processors/{pid}/sub-processors",
                       json={"name": "Cloudhost, Inc.", "countries": ["US"], "purpose": "Hosting"}).status_code == 201
    assert client.post(f"/api/v1/processors/{pid}/sub-processors",
                       json={"name": "Oldvendor SA", "countries": ["FR"], "purpose": "Archiving"}).status_code == 201
    body = {"signed_on": "2025-01-15", "reference": "DPA-ACME-2025", "sub_processor_authorisation": "general",
            "objection_notice_days": 30, **agreement}
    assert client.post(f"/api/v1/processors/{pid}/agreement", json=body).status_code == 201
    return pid


def record(client, pid: int, **body) -> dict:
    answer = client.post(f"/api/v1/processors/{pid}/notices", json={"received_on": "2026-11-20", **body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_record_review_and_accept_in_one_audited_transaction(team, run):
    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id)
    notice = record(dpo, pid, text=NOTICE_TEXT, kind="full_list", channel="list_page")
    assert notice["status"] == "pending" and len(notice["rows"]) == 4
    assert (notice["stated_notice_days"], notice["stated_business_days"]) == (30, False)

    review = dpo.get(f"/api/v1/notices/{notice['id']}", params={"as_of": "2026-11-25"}).json()
    assert review["counts"] == {"added": 3, "removed": 1, "changed": 1, "unchanged": 0}
    assert review["deadline"]["deadline"] == "2026-12-20" and review["deadline"]["conflict"] is False
    assert [f["code"] for f in review["status_findings"]] == ["SUBPROCESSOR_CHANGE_PENDING"]
    added_findings = {f["subject"] for f in review["findings_if_accepted"]}
    assert {"Mailrelay Ltd", "Zenith Support GmbH", "Insight Analytics Pte. Ltd."} <= added_findings
    assert "Oldvendor SA" not in added_findings
    late = dpo.get(f"/api/v1/notices/{notice['id']}", params={"as_of": "2026-12-21"}).json()
    assert [f["code"] for f in late["status_findings"]] == ["SUBPROCESSOR_OBJECTION_LAPSED"]

    # an auditor reads but may not decide
    assert clients["auditor"].get(f"/api/v1/notices/{notice['id']}").status_code == 200
    assert clients["auditor"].post(f"/api/v1/notices/{notice['id']}/decision",
                                   json={"decision": "accept", "version": 1}).status_code == 403

    accepted = dpo.post(f"/api/v1/notices/{notice['id']}/decision", json={"decision": "accept", "version": 1})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["notice"]["applied"] == {
        "added": ["Mailrelay Ltd", "Zenith Support GmbH", "Insight Analytics Pte. Ltd."],
        "changed": ["Cloudhost, Inc."], "removed": ["Oldvendor SA"],
    }
    subs = {s["name"]: s for s in dpo.get(f"/api/v1/processors/{pid}").json()["sub_processors"]}
    assert set(subs) == {"Cloudhost, Inc.", "Mailrelay Ltd", "Zenith Support GmbH", "Insight Analytics Pte. Ltd."}
    assert subs["Cloudhost, Inc."]["purpose"] == "Hosting of the service"  # changed, kept its name
    assert subs["Mailrelay Ltd"]["countries"] == ["US", "IS", "DE"]
    again = dpo.post(f"/api/v1/notices/{notice['id']}/decision", json={"decision": "object", "version": 2,
                                                                       "reasons": "late"})
    assert again.status_code == 409  # decided once

    from register.store.audit import load_audit_page

    events = run(load_audit_page(ids.organisation_id, 1, 50)).items
    kinds = [(e.entity, e.action) for e in events[:6]]
    assert ("sub_processor_notice", "update") in kinds and ("sub_processor", "delete") in kinds


def test_a_failed_acceptance_changes_nothing(team, run, monkeypatch):
    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id)
    notice = record(dpo, pid, text=NOTICE_TEXT, kind="full_list")
    before = dpo.get(f"/api/v1/processors/{pid}").json()["sub_processors"]

    from register.store import notices

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(notices, "_mark_decided", broken)
    with pytest.raises(RuntimeError):
        run(notices.accept_notice(ids.organisation_id, notice["id"], 1, "dpo@example.test"))
    assert dpo.get(f"/api/v1/processors/{pid}").json()["sub_processors"] == before
    assert dpo.get(f"/api/v1/notices/{notice['id']}").json()["notice"]["status"] == "pending"


def test_a_notice_whose_period_conflicts_with_the_dpa_in_business_days(team):
    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id, objection_notice_days=10, objection_notice_business_days=True)
    notice = record(dpo, pid, text=(FIXTURES / "zed_like.md").read_text(), received_on="2026-11-27",
                    stated_notice_days=30)
    deadline = dpo.get(f"/api/v1/notices/{notice['id']}").json()["deadline"]
    assert deadline["conflict"] is True and deadline["source"] == "agreement"
    assert deadline["deadline"] == "2026-12-11"  # 10 business days after a Friday
    assert deadline["notice_deadline"] == "2026-12-27"


def test_object_letter_in_both_languages_and_sending_recorded(team):
    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id)
    notice = record(dpo, pid, text=(FIXTURES / "bullets.md").read_text())
    no_reason = dpo.post(f"/api/v1/notices/{notice['id']}/decision", json={"decision": "object", "version": 1})
    assert no_reason.status_code == 400 and "reasons" in no_reason.text
    objected = dpo.post(f"/api/v1/notices/{notice['id']}/decision",
                        json={"decision": "object", "version": 1, "reasons": "Kaiju KK: no transfer tool to Japan."})
    assert objected.status_code == 200
    subs = [s["name"] for s in dpo.get(f"/api/v1/processors/{pid}").json()["sub_processors"]]
    assert subs == ["Cloudhost, Inc.", "Oldvendor SA"]  # nothing applied

    french = dpo.get(f"/api/v1/notices/{notice['id']}/objection-letter.docx", params={"lang": "fr"})
    assert french.status_code == 200
    text = "\n".join(p.text for p in open_docx(french.content).paragraphs)
    assert "Objet\u00a0: Opposition aux changements de sous-traitants ultérieurs notifiés le 20 novembre 2026" in text
    assert "Date\u00a0: " in text and "Notre référence\u00a0: " in text
    assert "Acme Code Inc." in text and "1 Main Street, Springfield" in text and "Jane Roe" in text
    assert "«\u00a0DPA-ACME-2025\u00a0», signé le 15 janvier 2025" in text
    assert "Kaiju KK: no transfer tool to Japan." in text
    tables = open_docx(french.content).tables
    cells = [cell.text for row in tables[0].rows for cell in row.cells]
    assert "Kaiju KK" in cells and "Japon" in cells
    english = dpo.get(f"/api/v1/notices/{notice['id']}/objection-letter.docx", params={"lang": "en"})
    text_en = "\n".join(p.text for p in open_docx(english.content).paragraphs)
    assert "Subject: Objection to the sub-processor changes notified on 20 November 2026" in text_en
    assert "Dear Sir or Madam," in text_en

    sent = dpo.post(f"/api/v1/notices/{notice['id']}/objection-sent",
                    json={"sent_on": "2026-11-24", "sent_via": "privacy@acme.example", "version": 2,
                          "proof": "Message-ID <abc@example.org>"})
    assert sent.status_code == 200, sent.text
    assert sent.json()["objection_sent_on"] == "2026-11-24" and sent.json()["objection_sent_via"] == "privacy@acme.example"


def test_record_from_a_file_and_bad_input_names_the_field(team):
    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id)
    content = base64.b64encode((FIXTURES / "list.csv").read_bytes()).decode()
    notice = record(dpo, pid, file={"name": "list.csv", "content_base64": content})
    assert [r["name"] for r in notice["rows"]] == ["Cloudhost Inc.", "Mailrelay Ltd"]
    both = dpo.post(f"/api/v1/processors/{pid}/notices", json={"received_on": "2026-11-20", "text": "x", "url": "http://a.example"})
    assert both.status_code == 400 and "text" in both.text
    nothing = dpo.post(f"/api/v1/processors/{pid}/notices", json={"received_on": "2026-11-20", "text": "Hello."})
    assert nothing.status_code == 400 and "content" in nothing.text
    private = dpo.post(f"/api/v1/processors/{pid}/notices", json={"received_on": "2026-11-20", "url": "http://10.0.0.1/list"})
    assert private.status_code == 400 and "url" in private.text
    bad_file = dpo.post(f"/api/v1/processors/{pid}/notices",
                        json={"received_on": "2026-11-20", "file": {"name": "a.xlsx", "content_base64": "bm90IGEgemlw"}})
    assert bad_file.status_code == 400


def test_record_from_a_url_on_a_local_server(team, monkeypatch):
    from tests.test_notices_fetching import VendorSite
    import threading
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), VendorSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("NOTICE_FETCH_ALLOW_LOOPBACK", "true")
    try:
        ids, clients = team
        pid = processor_with_dpa(clients["dpo"], ids.organisation_id)
        url = f"http://127.0.0.1:{server.server_address[1]}/list.md"
        notice = record(clients["dpo"], pid, url=url, channel="list_page")
        assert notice["source"] == url and [r["name"] for r in notice["rows"]] == ["Cloudhost Inc."]
    finally:
        server.shutdown()
        server.server_close()


def test_open_objection_deadlines_for_the_calendar(team, run):
    from register.store.notices import open_objection_deadlines

    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id)
    first = record(dpo, pid, text=NOTICE_TEXT)
    second = record(dpo, pid, text=(FIXTURES / "zed_like.md").read_text(), received_on="2026-11-10")
    dpo.post(f"/api/v1/notices/{first['id']}/decision", json={"decision": "accept", "version": 1})
    deadlines = run(open_objection_deadlines(ids.organisation_id))
    mine = [d for d in deadlines if d.processor_id == pid]
    assert [(d.notice_id, d.deadline, d.path) for d in mine] == [
        (second["id"], date(2026, 11, 10) + timedelta(days=30), f"/notices/{second['id']}")
    ]
    assert all(d.organisation_id == ids.organisation_id for d in deadlines)


def test_pages_record_compare_and_decide(signed_in):
    dpo = signed_in("dpo")
    notices_page = f"{dpo.processor}/notices"
    page = dpo.browser.get(notices_page)
    assert page.status_code == 200 and "Notifications reçues" in page.text
    assert f'href="{notices_page}"' in dpo.browser.get(dpo.processor).text
    missing = post_form(dpo.browser, notices_page, notices_page, {"received_on": "2026-11-20"}, follow_redirects=False)
    assert missing.status_code == 400 and "Indiquez une seule source" in missing.text
    made = post_form(dpo.browser, notices_page, notices_page,
                     {"received_on": "2026-11-20", "channel": "email", "kind": "change", "text": NOTICE_TEXT},
                     follow_redirects=False)
    assert made.status_code == 303
    shown = dpo.browser.get(made.headers["location"])
    assert "Insight Analytics Pte. Ltd." in shown.text and "Ce que l'acceptation ferait apparaître" in shown.text
    assert "Opposition possible jusqu'au" in shown.text
    no_reason = post_form(dpo.browser, made.headers["location"], made.headers["location"] + "/decision",
                          {"decision": "object", "version": "1"}, follow_redirects=False)
    assert no_reason.status_code == 400 and "Indiquez les motifs" in no_reason.text
    objected = post_form(dpo.browser, made.headers["location"], made.headers["location"] + "/decision",
                         {"decision": "object", "version": "1", "reasons": "Trop de transferts."}, follow_redirects=False)
    assert objected.status_code == 303
    stale = post_form(dpo.browser, made.headers["location"], made.headers["location"] + "/decision",
                      {"decision": "accept", "version": "1"}, follow_redirects=False)
    assert stale.status_code == 400
    letter = dpo.browser.get(made.headers["location"] + "/objection-letter.docx")
    assert letter.status_code == 200 and "Trop de transferts." in "\n".join(p.text for p in open_docx(letter.content).paragraphs)


def test_auditor_sees_no_forms(signed_in):
    auditor = signed_in("auditor")
    page = auditor.browser.get(f"{auditor.processor}/notices")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' not in page.text
    notice = auditor.browser.get(f"/notices/{auditor.ids.notice_id}")
    assert notice.status_code == 200 and "/decision" not in notice.text


def test_processor_page_shows_the_notice_awaiting_a_decision(signed_in):
    dpo = signed_in("dpo")
    page = dpo.browser.get(dpo.processor)
    assert f'href="/notices/{dpo.ids.notice_id}"' in page.text
    assert "Changement de sous-traitant ultérieur en attente de décision" in page.text


def test_pages_upload_a_file_with_the_form_token(signed_in):
    from tests.test_pages_support import csrf_of

    dpo = signed_in("dpo")
    notices_page = f"{dpo.processor}/notices"
    token = csrf_of(dpo.browser.get(notices_page).text)
    answer = dpo.browser.post(
        notices_page,
        data={"received_on": "2026-11-20", "channel": "email", "kind": "full_list", "_csrf_token": token},
        files={"file": ("vendor.json", (FIXTURES / "posthog_like.json").read_bytes(), "application/json")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:500]
    shown = dpo.browser.get(answer.headers["location"]).text
    assert "Ticketdesk Ltd" in shown and "Narnia" in shown  # the unknown country reported, not dropped
    forged = dpo.browser.post(notices_page, data={"received_on": "2026-11-20"},
                              files={"file": ("vendor.json", b"[]", "application/json")}, follow_redirects=False)
    assert forged.status_code == 403  # no CSRF token


def test_page_acceptance_shows_the_changes_applied(signed_in):
    dpo = signed_in("dpo")
    url = f"/notices/{dpo.ids.notice_id}"
    answer = post_form(dpo.browser, url, url + "/decision", {"decision": "accept", "version": "1"}, follow_redirects=False)
    assert answer.status_code == 303
    page = dpo.browser.get(url).text
    assert "Changements appliqués au registre" in page and "Seeded Mail Inc." in page
    assert "/objection-letter.docx" not in page  # nothing to object to any more
    assert "Seeded Mail Inc." in dpo.browser.get(dpo.processor).text
    assert dpo.browser.get(url + "/objection-letter.docx").status_code == 409
