"""What each role sees and may do on the pages: controls hidden, forged posts refused."""

from __future__ import annotations

import re

from register.store import reads
from tests.test_pages_support import csrf_of, post_form, seeded, signed_in  # noqa: F401  (fixtures)

EDIT_LINKS = re.compile(r'href="[^"]*(/edit|/new|/delete|/agreement"|/agreement/clauses")')
POST_FORMS = re.compile(r'<form method="post" action="([^"]+)"')
ALWAYS_POSTABLE = {"/logout", "/preferences/language", "/preferences/organisation"}


def edit_controls(page: str) -> list[str]:
    forms = [action for action in POST_FORMS.findall(page) if action not in ALWAYS_POSTABLE]
    return EDIT_LINKS.findall(page) + forms


def reader_pages(signed) -> list[str]:
    return [
        signed.organisation, f"{signed.organisation}/processors", signed.processor,
        f"{signed.organisation}/findings", f"{signed.organisation}/documents", f"{signed.organisation}/audit",
        f"{signed.organisation}/procurement", f"/procurement/{signed.ids.request_id}",
    ]


def test_a_dpo_sees_the_edit_controls(signed_in):
    dpo = signed_in("dpo")
    assert edit_controls(dpo.browser.get(dpo.processor).text)
    assert f"{dpo.organisation}/processors/new" in dpo.browser.get(dpo.organisation).text
    assert 'action="/procurement/' in dpo.browser.get(f"/procurement/{dpo.ids.request_id}").text


def test_an_auditor_reads_everything_and_finds_no_edit_control(signed_in):
    auditor = signed_in("auditor")
    for page in reader_pages(auditor):
        response = auditor.browser.get(page)
        assert response.status_code == 200, page
        assert edit_controls(response.text) == [], page
    nav = auditor.browser.get(auditor.organisation).text
    assert f"{auditor.organisation}/audit" in nav and f"{auditor.organisation}/members" not in nav
    for page in (f"{auditor.processor}/edit", f"{auditor.processor}/locations/new", f"{auditor.organisation}/processors/new",
                 f"{auditor.organisation}/procurement/new", f"{auditor.organisation}/members"):
        assert auditor.browser.get(page).status_code == 403, page


def test_a_forged_post_by_an_auditor_is_refused_and_changes_nothing(signed_in, run):
    auditor = signed_in("auditor")
    token = csrf_of(auditor.browser.get(auditor.processor).text)  # a valid token of their own session
    before = run(reads.load_processor(auditor.ids.processor_id))
    forged = [
        (auditor.processor, {"legal_name": "Hacked", "version": "1"}),
        (f"{auditor.processor}/delete", {}),
        (f"{auditor.processor}/locations", {"country": "US"}),
        (f"{auditor.processor}/safeguards/{auditor.ids.safeguard_id}/delete", {}),
        (f"{auditor.processor}/agreement/clauses", {"status__art28_3_a": "absent"}),
        (f"{auditor.organisation}/processors", {"legal_name": "New"}),
        (f"/procurement/{auditor.ids.request_id}/decision", {"decision": "rejected", "reasons": "x", "version": "1"}),
        (f"{auditor.organisation}/members", {"email": auditor.email, "role": "admin"}),
    ]
    for action, data in forged:
        response = auditor.browser.post(action, data={**data, "_csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, action
        assert "Action non autorisée" in response.text
    after = run(reads.load_processor(auditor.ids.processor_id))
    assert after == before


def test_a_post_without_the_csrf_token_is_refused(signed_in, run):
    dpo = signed_in("dpo")
    response = dpo.browser.post(f"{dpo.processor}/delete", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert run(reads.load_processor(dpo.ids.processor_id)).id == dpo.ids.processor_id


def test_procurement_sees_statuses_and_requests_not_the_register(signed_in):
    buyer = signed_in("procurement")
    home = buyer.browser.get(buyer.organisation)
    assert home.status_code == 200 and f"{buyer.organisation}/procurement/new" in home.text
    assert "Candidate SAS" in home.text  # the seeded request, with its verdict
    statuses = buyer.browser.get(f"{buyer.organisation}/processors").text
    assert "RelationHub CRM" in statuses and 'href="/processors/' not in statuses
    for page in (buyer.processor, f"{buyer.organisation}/findings", f"{buyer.organisation}/documents",
                 f"{buyer.organisation}/audit", f"{buyer.processor}/documents/dpa-draft.docx"):
        assert buyer.browser.get(page).status_code == 403, page
    request_page = buyer.browser.get(f"/procurement/{buyer.ids.request_id}").text
    assert 'action="/procurement/' not in request_page  # may not decide
    nav = re.findall(r'<li><a href="([^"]+)"', home.text)
    assert nav == [buyer.organisation, f"{buyer.organisation}/processors", f"{buyer.organisation}/procurement"]


def test_an_admin_manages_members_and_keeps_an_admin(signed_in, make_user, run):
    admin = signed_in("admin")
    members = f"{admin.organisation}/members"
    make_user("newcomer@example.test")
    added = post_form(admin.browser, members, members, {"email": "Newcomer@Example.test", "role": "auditor"},
                      follow_redirects=False)
    assert added.status_code == 303
    page = admin.browser.get(members).text
    assert "newcomer@example.test" in page
    not_an_email = post_form(admin.browser, members, members, {"email": "nobody", "role": "dpo"})
    assert not_an_email.status_code == 400 and 'id="error-email"' in not_an_email.text
    # An address without an account gets one (tests/test_pages_account.py covers it).
    created = post_form(admin.browser, members, members, {"email": "nobody@example.test", "role": "dpo"})
    assert created.status_code == 200 and "temporary-password" in created.text
    demote_self = post_form(admin.browser, members, members, {"email": admin.email, "role": "dpo"})
    assert demote_self.status_code == 400 and "au moins un administrateur" in demote_self.text
    audit = admin.browser.get(f"{admin.organisation}/audit").text
    assert "newcomer@example.test" in audit
    dpo = signed_in("dpo")
    assert dpo.browser.get(members).status_code == 403
