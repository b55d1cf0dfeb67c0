"""What the register concludes about a transfer, as the pages show it (issue 9):
a contractual tool not signed is "being negotiated", never "covered"; an
Art. 49 derogation is named as a derogation; the LGPD scope fact is a form
field like the DPF and PIPEDA ones."""

from __future__ import annotations

import re
from datetime import date

from register.store import changes, reads
from register.store.procurement import load_procurement_request
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

TOOL_WITH_SCCS_OFFERED = {
    "tool_name": "Chatly", "purpose": "A chat widget for customer support", "category": "customer_support",
    "data_kinds": ["identity"], "people": ["customers"], "sensitive": "no", "bought_data": "no",
    "marketing": "none", "vendor_country": "FR", "data_countries": ["IN", "", "", ""],
    "dpa": "offered", "scc_offered": "yes", "dpf_certified": "",
}  # fmt: skip


def route_row(page: str, country_code: str) -> str:
    """The transfer table's row for one country on the processor page."""
    section = page[page.index('id="transfers"'):]
    section = section[: section.index("</section>")]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", section, re.S)
    (row,) = [r for r in rows if f"({country_code})" in r and "badge transfer-" in r]
    return row


def test_an_approved_candidate_with_unsigned_sccs_is_never_shown_covered(signed_in, run):
    buyer = signed_in("procurement")
    new = f"{buyer.organisation}/procurement/new"
    location = post_form(buyer.browser, new, f"{buyer.organisation}/procurement", TOOL_WITH_SCCS_OFFERED,
                         follow_redirects=False).headers["location"]
    verdict = buyer.browser.get(location).text
    assert "En cours de négociation" in verdict and "transfer-covered" not in verdict
    assert "TRANSFER_TOOL_NOT_SIGNED" in verdict
    dpo = signed_in("dpo")
    post_form(dpo.browser, location, f"{location}/decision",
              {"decision": "approved_with_conditions", "reasons": "Sign the SCCs first.",
               "conditions": "Have the SCCs signed before any transfer.", "version": "1"})
    stored = run(load_procurement_request(dpo.ids.organisation_id, int(location.rsplit("/", 1)[1])))
    page = dpo.browser.get(f"/processors/{stored.processor_id}").text
    row = route_row(page, "IN")
    assert "transfer-negotiating" in row and "En cours de négociation" in row
    assert ">Couvert<" not in row and "Outil en cours de négociation" in row
    assert page.count('class="badge transfer-negotiating"') == 2  # the route and the tool's row
    # Signed today: covered, and the page says so.
    processor = run(reads.load_processor(stored.processor_id))
    (tool,) = processor.safeguards
    run(changes.update_child("safeguard", dpo.ids.organisation_id, processor.id, tool.id,
                             {"signed_on": date.today(), "tia_on": date.today()}, tool.version, "test"))
    signed = route_row(dpo.browser.get(f"/processors/{stored.processor_id}").text, "IN")
    assert "transfer-covered" in signed and "négociation" not in signed


def test_an_art49_derogation_is_shown_as_a_derogation(signed_in, run):
    dpo = signed_in("dpo")
    organisation_id = dpo.ids.organisation_id
    pid = run(changes.create_processor(organisation_id, {"legal_name": "Relay Pte", "status": "approved"}, "test")).id
    run(changes.add_location(organisation_id, pid, {"country": "SG"}, "test"))
    run(changes.add_safeguard(organisation_id, pid, {"country": "SG", "mechanism": "art49_derogation"}, "test"))
    page = dpo.browser.get(f"/processors/{pid}").text
    row = route_row(page, "SG")
    assert "Dérogation (art. 49)" in row and "Garantie" not in row
    assert '<th scope="col">Outil de transfert</th>' in page
    assert '<th scope="col">Garantie</th>' not in page


def test_the_lgpd_scope_is_a_yes_no_field_on_processors_and_sub_processors(signed_in, run):
    dpo = signed_in("dpo")
    organisation_id = dpo.ids.organisation_id
    pid = run(changes.create_processor(organisation_id, {"legal_name": "Rio SA"}, "test")).id
    page = f"/processors/{pid}"
    added = post_form(dpo.browser, f"{page}/sub-processors/new", f"{page}/sub-processors",
                      {"name": "RioData", "countries": "BR", "flowdown": "yes", "lgpd_scope": "yes"},
                      follow_redirects=False)
    assert added.status_code == 303
    (sub,) = run(reads.load_processor(pid)).sub_processors
    assert sub.lgpd_scope is True and sub.pipeda_scope is None
    form = dpo.browser.get(f"{page}/edit").text
    assert 'name="lgpd_scope"' in form and "Dans le champ de la LGPD (Brésil)" in form
    assert "Compte seulement pour les données au Brésil" in form
    shown = dpo.browser.get(page).text
    assert "Dans le champ de la LGPD (Brésil)" in shown
