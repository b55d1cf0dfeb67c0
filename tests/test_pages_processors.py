"""The processor pages: list (search, filters, sorting, pages), detail, create/edit/delete forms."""

from __future__ import annotations

import html
import re

from register.store import changes, reads
from register.store.audit import load_audit_page
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)


def names_listed(page: str) -> list[str]:
    return [html.unescape(n) for n in re.findall(r'<th scope="row"><a href="/processors/\d+">([^<]+)</a>', page)]


def test_the_list_searches_filters_and_sorts(signed_in):
    dpo = signed_in("dpo")
    everything = names_listed(dpo.browser.get(f"{dpo.organisation}/processors").text)
    assert len(everything) == 6 and everything == sorted(everything, key=str.casefold)
    assert names_listed(dpo.browser.get(f"{dpo.organisation}/processors?q=relation").text) == ["RelationHub CRM"]
    by_country = names_listed(dpo.browser.get(f"{dpo.organisation}/processors?country=IN").text)
    assert by_country == ["ProspectLens"]
    crm = names_listed(dpo.browser.get(f"{dpo.organisation}/processors?category=crm").text)
    assert crm == ["RelationHub CRM"]
    critical = names_listed(dpo.browser.get(f"{dpo.organisation}/processors?severity=critical").text)
    assert critical and "Nuagehost" not in critical
    riskiest = names_listed(dpo.browser.get(f"{dpo.organisation}/processors?sort=risk").text)
    assert riskiest[0] == "ProspectLens" and riskiest[-1] == "Nuagehost"
    nothing = dpo.browser.get(f"{dpo.organisation}/processors?status=offboarded")
    assert names_listed(nothing.text) == [] and "Aucun sous-traitant ne correspond" in nothing.text
    ignored = dpo.browser.get(f"{dpo.organisation}/processors?status=bogus&sort=bogus&country=zz")
    assert ignored.status_code == 200 and len(names_listed(ignored.text)) == 6


def test_the_list_has_pages(signed_in, run):
    dpo = signed_in("dpo")
    for number in range(30):
        run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": f"Vendor {number:02d}"}, "test"))
    first = dpo.browser.get(f"{dpo.organisation}/processors?q=vendor")
    assert len(names_listed(first.text)) == 25 and "Page 1 sur 2" in first.text
    second = dpo.browser.get(f"{dpo.organisation}/processors?q=vendor&page=2")
    assert names_listed(second.text) == [f"Vendor {n}" for n in range(25, 30)]
    assert 'href="?q=vendor&amp;sort=name&amp;page=1"' in second.text


def test_the_list_makes_a_fixed_number_of_queries(signed_in, run, count_queries):
    dpo = signed_in("dpo")
    count_queries.count = 0
    dpo.browser.get(f"{dpo.organisation}/processors")
    few = count_queries.count
    for number in range(20):
        run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": f"More {number}"}, "test"))
    count_queries.count = 0
    dpo.browser.get(f"{dpo.organisation}/processors")
    assert count_queries.count == few
    # Each page below follows a change, so it loads the register afresh (cold).
    run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": "Another"}, "test"))
    count_queries.count = 0
    dpo.browser.get(dpo.organisation)
    dashboard = count_queries.count
    for number in range(20):
        run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": f"Even more {number}"}, "test"))
    count_queries.count = 0
    dpo.browser.get(dpo.organisation)
    assert count_queries.count == dashboard


def test_pages_reuse_the_assessed_register_until_it_changes(signed_in, run, count_queries):
    dpo = signed_in("dpo")
    dpo.browser.get(f"{dpo.organisation}/processors")
    count_queries.count = 0
    dpo.browser.get(f"{dpo.organisation}/processors")
    warm = count_queries.count
    run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": "Zeta Newcomer"}, "test"))
    count_queries.count = 0
    page = dpo.browser.get(f"{dpo.organisation}/processors?q=Zeta").text
    cold = count_queries.count
    assert "Zeta Newcomer" in page  # the change shows at once
    assert warm < cold  # the unchanged register was not loaded again


def test_the_processor_page_shows_the_record_findings_and_transfers(signed_in):
    dpo = signed_in("dpo")
    page = dpo.browser.get(dpo.processor).text
    for section in ('id="findings"', 'id="transfers"', 'id="locations"', 'id="sub-processors"',
                    'id="agreement"', 'id="checklist"', 'id="safeguards"'):
        assert section in page
    assert "À faire\u00a0:" in page  # remediation of each finding
    assert f'href="{dpo.processor}/documents/dpa-draft.docx?lang=fr"' in page


def test_create_a_processor_with_every_kind_of_field(signed_in, run):
    dpo = signed_in("dpo")
    created = post_form(dpo.browser, f"{dpo.organisation}/processors/new", f"{dpo.organisation}/processors", {
        "legal_name": "Chatly SAS", "trade_name": "Chatly", "category": "customer_support", "status": "proposed",
        "role": "processor", "headquarters_country": "FR", "data_categories": "identity\ne-mail\n",
        "special_category_data": "no", "retention_months": "12", "retention_unlimited": "on",
        "next_review_on": "2027-01-31", "prospection_use": "",
    }, follow_redirects=False)
    assert created.status_code == 303
    processor_id = int(created.headers["location"].rsplit("/", 1)[1])
    stored = run(reads.load_processor(processor_id))
    assert stored.trade_name == "Chatly" and stored.data_categories == ("identity", "e-mail")
    assert stored.special_category_data is False and stored.dpf_certified is None
    assert stored.retention_unlimited is True and stored.retention_months == 12
    assert stored.next_review_on.isoformat() == "2027-01-31" and stored.prospection_use is None
    audit = run(load_audit_page(dpo.ids.organisation_id, 1, 5)).items[0]
    assert audit.actor == dpo.email and audit.entity == "processor" and audit.action == "create"


def test_validation_errors_show_next_to_the_field_and_keep_what_was_typed(signed_in, run):
    dpo = signed_in("dpo")
    before = len(run(reads.load_register(dpo.ids.organisation_id)))
    response = post_form(dpo.browser, f"{dpo.organisation}/processors/new", f"{dpo.organisation}/processors", {
        "legal_name": "", "trade_name": "Typed <name>", "retention_months": "-3", "next_review_on": "31/01/2027",
        "service_description": "What I wrote\non two lines",
    })
    assert response.status_code == 400
    page = response.text
    assert 'id="error-legal_name"' in page and "Ce champ est obligatoire." in page
    assert re.search(r'name="legal_name" value=""[^>]*aria-invalid="true"', page)
    assert 'id="error-retention_months">La valeur doit être au moins 0.' in page
    assert 'id="error-next_review_on"' in page
    assert 'value="Typed &lt;name&gt;"' in page and 'value="-3"' in page and 'value="31/01/2027"' in page
    assert ">What I wrote\non two lines</textarea>" in page
    assert 'role="alert"' in page and "3 erreurs" in page
    assert len(run(reads.load_register(dpo.ids.organisation_id))) == before


def test_edit_keeps_the_version_and_refuses_a_stale_one(signed_in, run):
    dpo = signed_in("dpo")
    form = dpo.browser.get(f"{dpo.processor}/edit").text
    assert 'name="version" value="1"' in form
    processor = run(reads.load_processor(dpo.ids.processor_id))
    values = {"legal_name": processor.legal_name, "trade_name": "Renamed", "version": "1"}
    assert post_form(dpo.browser, f"{dpo.processor}/edit", dpo.processor, values, follow_redirects=False).status_code == 303
    assert run(reads.load_processor(dpo.ids.processor_id)).trade_name == "Renamed"
    stale = post_form(dpo.browser, f"{dpo.processor}/edit", dpo.processor, {**values, "trade_name": "Late"})
    assert stale.status_code == 400 and "Quelqu'un d'autre a modifié cet élément" in html.unescape(stale.text)
    assert 'value="Late"' in stale.text
    assert run(reads.load_processor(dpo.ids.processor_id)).trade_name == "Renamed"


def test_delete_asks_first_then_deletes(signed_in, run):
    dpo = signed_in("dpo")
    confirm = dpo.browser.get(f"{dpo.processor}/delete")
    assert confirm.status_code == 200 and f'action="{dpo.processor}/delete"' in confirm.text
    done = post_form(dpo.browser, f"{dpo.processor}/delete", f"{dpo.processor}/delete", {}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"{dpo.organisation}/processors"
    assert dpo.browser.get(dpo.processor).status_code == 404
    assert "Page introuvable" in dpo.browser.get(dpo.processor).text
