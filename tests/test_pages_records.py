"""Forms for what a processor owns: locations, sub-processors, safeguards, the DPA and its checklist."""

from __future__ import annotations

import html
import re

from register.store import changes, reads
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)


def new_processor(run, organisation_id: int, **values) -> int:
    return run(changes.create_processor(organisation_id, {"legal_name": "Chatly SAS", **values}, "test")).id


def codes_on(page: str) -> set[str]:
    return set(re.findall(r'data-code="([A-Z_0-9]+)"', page))


def test_a_sub_processor_without_adequacy_then_sccs_with_a_tia(signed_in, run):
    dpo = signed_in("dpo")
    pid = new_processor(run, dpo.ids.organisation_id, headquarters_country="FR")
    page = f"/processors/{pid}"
    added = post_form(dpo.browser, f"{page}/sub-processors/new", f"{page}/sub-processors",
                      {"name": "IndiaOps Pvt", "countries": "in", "flowdown": "yes"}, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == f"{page}#sub-processors"
    sub = run(reads.load_processor(pid)).sub_processors[0]
    assert sub.countries == ("IN",)
    shown = dpo.browser.get(page).text
    assert "TRANSFER_NO_SAFEGUARD" in codes_on(shown)
    score_before = int(re.search(r'class="gauge-text">(\d+)<', shown).group(1))
    fix = html.unescape(re.search(r'href="(/processors/\d+/safeguards/new\?[^"]+)"', shown).group(1))
    assert fix == f"{page}/safeguards/new?country=IN&sub_processor_id={sub.id}&mechanism=scc_2021&scc_module=3"
    prefilled = dpo.browser.get(fix).text
    assert '<option value="IN" selected>' in prefilled and f'<option value="{sub.id}" selected>' in prefilled
    assert '<option value="scc_2021" selected>' in prefilled and '<option value="3" selected>' in prefilled
    saved = post_form(dpo.browser, fix, f"{page}/safeguards", {
        "country": "IN", "mechanism": "scc_2021", "scc_module": "3", "sub_processor_id": str(sub.id),
        "signed_on": run(_today()).isoformat(), "tia_on": run(_today()).isoformat(),
    }, follow_redirects=False)
    assert saved.status_code == 303
    after = dpo.browser.get(page).text
    assert "TRANSFER_NO_SAFEGUARD" not in codes_on(after) and "TIA_MISSING" not in codes_on(after)
    assert int(re.search(r'class="gauge-text">(\d+)<', after).group(1)) > score_before


async def _today():
    from datetime import date

    return date.today()


def test_locations_are_added_edited_and_deleted(signed_in, run):
    dpo = signed_in("dpo")
    pid = new_processor(run, dpo.ids.organisation_id)
    page = f"/processors/{pid}"
    post_form(dpo.browser, f"{page}/locations/new", f"{page}/locations", {"country": "DE", "activity": "hosting"})
    location = run(reads.load_processor(pid)).locations[0]
    edit = f"{page}/locations/{location.id}"
    form = dpo.browser.get(f"{edit}/edit").text
    assert '<option value="DE" selected>' in form and 'name="version" value="1"' in form
    post_form(dpo.browser, f"{edit}/edit", edit, {"country": "IE", "activity": "support_access", "version": "1"})
    assert run(reads.load_processor(pid)).locations[0].country == "IE"
    post_form(dpo.browser, page, f"{edit}/delete", {})
    assert run(reads.load_processor(pid)).locations == ()


def test_record_forms_keep_typed_values_on_errors(signed_in, run):
    dpo = signed_in("dpo")
    pid = new_processor(run, dpo.ids.organisation_id)
    page = f"/processors/{pid}"
    bad_sub = post_form(dpo.browser, f"{page}/sub-processors/new", f"{page}/sub-processors",
                        {"name": "Host", "countries": "US, QQ", "purpose": "hosting"})
    assert bad_sub.status_code == 400
    assert 'id="error-countries"' in bad_sub.text and '<option value="US" selected>' in bad_sub.text
    bad_guard = post_form(dpo.browser, f"{page}/safeguards/new", f"{page}/safeguards",
                          {"country": "", "mechanism": "dpf", "scc_module": "2"})
    assert bad_guard.status_code == 400
    assert 'id="error-country"' in bad_guard.text and 'id="error-scc_module"' not in bad_guard.text
    bad_agreement = post_form(dpo.browser, f"{page}/agreement", f"{page}/agreement",
                              {"effective_on": "2026-05-01", "ends_on": "2026-01-01", "breach_notice_hours": "soon"})
    assert bad_agreement.status_code == 400
    assert 'id="error-breach_notice_hours"' in bad_agreement.text and 'value="soon"' in bad_agreement.text
    foreign = post_form(dpo.browser, f"{page}/safeguards/new", f"{page}/safeguards",
                        {"country": "US", "mechanism": "scc_2021", "sub_processor_id": str(dpo.ids.sub_processor_id)})
    assert foreign.status_code == 400 and 'id="error-sub_processor_id"' in foreign.text
    assert run(reads.load_processor(pid)).safeguards == ()


def test_agreement_then_checklist_saves_what_changed(signed_in, run):
    dpo = signed_in("dpo")
    pid = new_processor(run, dpo.ids.organisation_id)
    page = f"/processors/{pid}"
    assert dpo.browser.get(f"{page}/agreement/clauses").status_code == 404  # no agreement yet
    post_form(dpo.browser, f"{page}/agreement", f"{page}/agreement",
              {"signed_on": "2026-01-15", "sub_processor_authorisation": "general", "objection_notice_days": "30",
               "breach_notice_hours": "48", "reference": "DPA v2"})
    agreement = run(reads.load_processor(pid)).agreement
    assert agreement.reference == "DPA v2" and agreement.breach_notice_hours == 48
    checklist = dpo.browser.get(f"{page}/agreement/clauses").text
    assert checklist.count('<fieldset class="clause"') == 14
    saved = post_form(dpo.browser, f"{page}/agreement/clauses", f"{page}/agreement/clauses", {
        "status__art28_3_a": "present", "section__art28_3_a": "§4.1", "note__art28_3_a": "instructions",
        "status__art28_3_b": "partial",
    }, follow_redirects=False)
    assert saved.status_code == 303
    clauses = {c.item: c for c in run(reads.load_processor(pid)).agreement.clauses}
    assert set(clauses) == {"art28_3_a", "art28_3_b"}  # unchanged items are not written
    assert clauses["art28_3_a"].section == "§4.1" and clauses["art28_3_b"].status.value == "partial"
    again = dpo.browser.get(f"{page}/agreement/clauses").text
    assert 'name="version__art28_3_a" value="1"' in again
    post_form(dpo.browser, f"{page}/agreement/clauses", f"{page}/agreement/clauses", {
        "status__art28_3_a": "absent", "section__art28_3_a": "", "version__art28_3_a": "1",
        "status__art28_3_b": "partial", "version__art28_3_b": "1",
    })
    clauses = {c.item: c for c in run(reads.load_processor(pid)).agreement.clauses}
    assert clauses["art28_3_a"].status.value == "absent" and clauses["art28_3_a"].version == 2
    assert clauses["art28_3_b"].version == 1
    too_long = post_form(dpo.browser, f"{page}/agreement/clauses", f"{page}/agreement/clauses",
                         {"status__art28_3_c": "present", "section__art28_3_c": "x" * 300})
    assert too_long.status_code == 400 and 'id="error-section__art28_3_c"' in too_long.text
