"""The vendor library's pages (French and English, no JavaScript, CSRF, escaping): the
firm's library, a vendor's facts with who recorded them, the link from a processor, and the
change to review with accept and dismiss; LIBRARY_CHANGE_PENDING among the processor's
findings and the organisation's findings list (tests/test_library_findings.py for the rest)."""

from __future__ import annotations

import html
from dataclasses import replace

from litestar.testing import TestClient

from register.compliance.library import VendorClause, VendorLocation, VendorSubProcessor
from register.vocabulary import ClauseStatus, LocationActivity
from register.store import library, reads
from tests.test_access_sessions import csrf_token, sign_in
from tests.test_library import CRM, first_processor, new_client


def _world(run, make_user, grant):
    admin, dpo, other_dpo = make_user("admin@firm.example"), make_user("dpo@a.example"), make_user("dpo@b.example")

    async def build():
        firm = await library.create_firm("Cabinet <Conseil>", "cli", admin_user_id=admin)
        a, b = await new_client("Client A"), await new_client("Client B")
        await library.attach_organisation(firm.id, a, "cli")
        await library.attach_organisation(firm.id, b, "cli")
        vendor = await library.create_vendor(firm.id, replace(CRM, trade_name="Salesy <b>CRM</b>"), "admin@firm.example")
        return firm, a, b, vendor, await first_processor(a), await first_processor(b)

    firm, a, b, vendor, pa, pb = run(build())
    grant(dpo, a, "dpo")
    grant(other_dpo, b, "dpo")
    return firm, a, b, vendor, pa, pb


def test_firm_and_vendor_pages_escape_and_show_who_recorded(app, database, run, make_user, grant):
    firm, a, b, vendor, pa, pb = _world(run, make_user, grant)
    with TestClient(app=app, base_url="https://testserver.local") as browser:
        sign_in(browser, "admin@firm.example")
        page = browser.get(f"/firms/{firm.id}")
        assert page.status_code == 200
        assert "Cabinet &lt;Conseil&gt;" in page.text and "<Conseil>" not in page.text
        assert "Salesy &lt;b&gt;CRM&lt;/b&gt;" in page.text
        vendor_page = browser.get(f"/library/vendors/{vendor.id}")
        assert vendor_page.status_code == 200 and "admin@firm.example" in vendor_page.text
        token = csrf_token(browser, f"/firms/{firm.id}")
        form = {"_csrf_token": token, "legal_name": "Zephyr GmbH", "country": "DE", "locations": "DE hosting\nUS support_access",
                "sub_processors": "Hetzner Online GmbH | DE | Hosting | no", "dpf_certified": "", "clause__art28_3_a": "present"}
        added = browser.post(f"/firms/{firm.id}/vendors", data=form, follow_redirects=False)
        assert added.status_code == 303, added.text
        bad = browser.post(f"/firms/{firm.id}/vendors", data={**form, "legal_name": "Other", "country": "Germany"})
        assert bad.status_code == 400 and "country" in bad.text
        no_csrf = browser.post(f"/firms/{firm.id}/vendors", data={k: v for k, v in form.items() if k != "_csrf_token"})
        assert no_csrf.status_code == 403
        assert browser.get("/library").status_code == 200
    zephyr = next(v for v in run(library.list_vendors(firm.id)) if v.facts.legal_name == "Zephyr GmbH")
    assert [s.name for s in zephyr.facts.sub_processors] == ["Hetzner Online GmbH"]
    assert len(zephyr.facts.locations) == 2


def test_link_review_accept_in_french_and_the_dashboard(app, database, run, make_user, grant):
    firm, a, b, vendor, pa, pb = _world(run, make_user, grant)
    with TestClient(app=app, base_url="https://testserver.local") as browser:
        sign_in(browser, "dpo@a.example")
        page = browser.get(f"/processors/{pa.id}")
        assert page.status_code == 200 and f"/processors/{pa.id}/library-link" in page.text
        token = csrf_token(browser, f"/processors/{pa.id}/library-link")
        linked = browser.post(f"/processors/{pa.id}/library-link", data={"_csrf_token": token, "vendor_id": str(vendor.id)},
                              follow_redirects=False)
        assert linked.status_code == 303
        # Another firm member changes the vendor: A sees a change to review, nothing applied.
        run(library.update_vendor(firm.id, vendor.id, replace(
            CRM, trade_name="Salesy <b>CRM</b>", dpf_certified=False,
            locations=(*CRM.locations, VendorLocation("DE", LocationActivity.PROCESSING)),
            clauses=(VendorClause("art28_3_a", ClauseStatus.PARTIAL),),
            sub_processors=(*CRM.sub_processors, VendorSubProcessor("Twilio Inc.", ("US",), "SMS", None))), 1, "admin@firm.example"))
        browser.post("/preferences/language", data={"_csrf_token": token, "language": "fr", "next": "/"})
        review = browser.get(f"/processors/{pa.id}/library-link")
        assert review.status_code == 200 and "Twilio Inc." in review.text
        assert "Intégrer au registre" in review.text
        for english in (">present<", ">partial<", "support_access", "processing", ">Partial<", "DE:"):
            assert english not in review.text, english
        assert "Allemagne" in review.text
        findings_page = browser.get(f"/organisations/{a}/findings")
        assert "LIBRARY_CHANGE_PENDING" in findings_page.text
        assert f'href="/processors/{pa.id}/library-link"' in findings_page.text
        processor_page = browser.get(f"/processors/{pa.id}")
        assert "Examiner la modification" in processor_page.text
        assert "Modification de la bibliothèque de prestataires du cabinet en attente d'examen" in html.unescape(processor_page.text)
        link = run(library.review_link(a, pa.id)).link
        accepted = browser.post(f"/processors/{pa.id}/library-link/decision", follow_redirects=False, data={
            "_csrf_token": token, "decision": "accept", "version": str(link.version), "vendor_version": "2"})
        assert accepted.status_code == 303
        again = browser.post(f"/processors/{pa.id}/library-link/decision", data={
            "_csrf_token": token, "decision": "accept", "version": str(link.version), "vendor_version": "2"})
        assert again.status_code == 400
        # B's processor, link and organisation are not A's to see.
        assert browser.get(f"/processors/{pb.id}/library-link").status_code == 404
        vendor_page = browser.get(f"/library/vendors/{vendor.id}")
        assert vendor_page.status_code == 200 and "Client B" not in vendor_page.text  # A is in its own switcher
    assert "Twilio Inc." in {s.name for s in run(reads.load_processor(pa.id, a)).sub_processors}


def test_a_vendor_file_is_uploaded_read_and_its_proposal_prefills_the_form(app, database, run, make_user, grant):
    from tests.access_support import SEEDED_DPA

    firm, a, b, vendor, pa, pb = _world(run, make_user, grant)
    with TestClient(app=app, base_url="https://testserver.local") as browser:
        sign_in(browser, "admin@firm.example")
        token = csrf_token(browser, f"/library/vendors/{vendor.id}")
        uploaded = browser.post(f"/library/vendors/{vendor.id}/files", data={"_csrf_token": token},
                                files={"file": ("dpa.txt", SEEDED_DPA, "text/plain")}, follow_redirects=False)
        assert uploaded.status_code == 303
        refused = browser.post(f"/library/vendors/{vendor.id}/files", data={"_csrf_token": token},
                               files={"file": ("x.bin", b"\x00\x01\x02binary", "application/octet-stream")})
        assert refused.status_code == 415
        stored = run(__import__("register.store.library_files", fromlist=["x"]).list_vendor_files(firm.id, vendor.id))[0]
        page = browser.get(f"/library/vendors/{vendor.id}/files/{stored.id}/reading")
        assert page.status_code == 200 and "dpa.txt" in page.text
        assert browser.get(f"/library/vendors/{vendor.id}/files/{stored.id}/content").content == SEEDED_DPA


def test_firm_admins_manage_members_and_clients_on_the_firm_page(app, database, run, make_user, grant):
    firm, a, b, vendor, pa, pb = _world(run, make_user, grant)
    keeper = make_user("keeper@firm.example")
    grant(run(__import__("register.accounts.store", fromlist=["x"]).user_id_by_email("admin@firm.example")), b, "admin")
    c = run(new_client("Client C"))
    admin_id = run(__import__("register.accounts.store", fromlist=["x"]).user_id_by_email("admin@firm.example"))
    grant(admin_id, c, "admin")
    with TestClient(app=app, base_url="https://testserver.local") as browser:
        sign_in(browser, "admin@firm.example")
        page = browser.get(f"/firms/{firm.id}")
        assert "Client C" in page.text  # an organisation the admin administers, in no firm yet
        token = csrf_token(browser, f"/firms/{firm.id}")
        post = lambda path, **form: browser.post(f"/firms/{firm.id}{path}", data={"_csrf_token": token, **form}, follow_redirects=False)  # noqa: E731
        assert post("/members", email="keeper@firm.example", role="member").status_code == 303
        unknown = post("/members", email="nobody@example.test", role="member")
        assert unknown.status_code == 400 and "email" in unknown.text
        assert post("/clients", organisation_id=str(c)).status_code == 303
        # Client A: the admin of the firm is not an admin of A, so cannot take it out.
        refused = post("/clients/remove", organisation_id=str(a))
        assert refused.status_code == 400 and "organisation_id" in refused.text
        assert post("/clients/remove", organisation_id=str(b)).status_code == 303
        last_admin = post("/members/remove", user_id=str(admin_id))
        assert last_admin.status_code == 400
        assert post("/members/remove", user_id=str(keeper)).status_code == 303
    clients = {x.organisation_id for x in run(library.list_firm_clients(firm.id))}
    assert clients == {a, c}
    assert [m.email for m in run(library.list_firm_members(firm.id))] == ["admin@firm.example"]
    with TestClient(app=app, base_url="https://testserver.local") as browser:
        sign_in(browser, "dpo@a.example")  # a client's DPO reads the library, manages nothing
        token = csrf_token(browser, f"/firms/{firm.id}")
        assert "keeper@firm.example" not in browser.get(f"/firms/{firm.id}").text
        answer = browser.post(f"/firms/{firm.id}/members", data={"_csrf_token": token, "email": "dpo@a.example", "role": "admin"})
        assert answer.status_code == 403
