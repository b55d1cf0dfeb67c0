"""What the pages do with what the register knows: "fix" links that prefill their form (the SCC
module too), overdue reviews flagged in the processor list, the organisation switcher's whole names."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

from register.store import changes, reads
from register.vocabulary import ProcessorRole, Role, TransferMechanism
from register.web.pages import links
from tests.compliance_builders import assess, location, processor, safeguard, scc, sub_processor
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)


def link_of(record, code: str) -> links.FixLink:
    finding = next(f for f in assess(record).findings if f.code == code)
    return links.fix_link(finding, record)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


# ------------------------------------------------------------------ fix links


def test_a_flow_to_the_processor_itself_prefills_module_2_or_1_by_its_role():
    hosted_in_india = processor(locations=(location("IN"),))
    fix = link_of(hosted_in_india, "TRANSFER_NO_SAFEGUARD")
    assert urlsplit(fix.url).path == "/processors/1/safeguards/new" and fix.label == "fix.transfer"
    assert query_of(fix.url) == {"country": "IN", "mechanism": "scc_2021", "scc_module": "2"}
    joint = processor(locations=(location("IN"),), role=ProcessorRole.JOINT_CONTROLLER)
    assert query_of(link_of(joint, "TRANSFER_NO_SAFEGUARD").url)["scc_module"] == "1"


def test_a_flow_through_a_sub_processor_prefills_it_and_module_3():
    record = processor(sub_processors=(sub_processor("IndiaOps", ("IN",), id=7),))
    assert query_of(link_of(record, "TRANSFER_NO_SAFEGUARD").url) == {
        "country": "IN", "sub_processor_id": "7", "mechanism": "scc_2021", "scc_module": "3",
    }


def test_safeguard_findings_open_the_safeguard_on_the_field_to_fix():
    wrong_module = processor(locations=(location("IN"),), safeguards=(scc("IN", id=100, module=3),))
    fix = link_of(wrong_module, "SCC_WRONG_MODULE")
    assert fix.url == "/processors/1/safeguards/100/edit?scc_module=2#field-scc_module"
    no_tia = processor(
        sub_processors=(sub_processor("IndiaOps", ("IN",), id=7),),
        safeguards=(scc("IN", id=101, module=3, sub_processor_id=7, tia_on=None),),
    )
    assert link_of(no_tia, "TIA_MISSING").url == "/processors/1/safeguards/101/edit#field-tia_on"


def test_outdated_sccs_link_to_new_2021_sccs_for_the_same_flow():
    old = processor(
        sub_processors=(sub_processor("IndiaOps", ("IN",), id=7),),
        safeguards=(safeguard("IN", TransferMechanism.SCC_PRE_2021, id=102, sub_processor_id=7,
                              signed_on=date(2020, 5, 1)),),
    )
    finding = next((f for f in assess(old).findings if f.code == "SCC_OUTDATED"), None)
    assert finding is not None
    fix = links.fix_link(finding, old)
    assert urlsplit(fix.url).path == "/processors/1/safeguards/new"
    assert query_of(fix.url) == {"country": "IN", "sub_processor_id": "7", "mechanism": "scc_2021", "scc_module": "3"}


def test_recipient_facts_are_fixed_on_the_recipient_record():
    unknown_dpf = processor(locations=(location("US"),), dpf_certified=None)
    assert link_of(unknown_dpf, "DPF_STATUS_UNKNOWN").url == "/processors/1/edit#field-dpf_certified"
    sub = sub_processor("CloudCo", ("US",), id=8, dpf_certified=True, dpf_checked_on=None)
    unverified = processor(sub_processors=(sub,))
    assert link_of(unverified, "TRANSFER_US_DPF_UNVERIFIED").url == (
        "/processors/1/sub-processors/8/edit#field-dpf_checked_on"
    )


def test_a_fix_link_opens_a_form_prefilled_with_everything_it_carries(signed_in, run):
    dpo = signed_in("dpo")
    pid = run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": "Host SAS", "headquarters_country": "FR"}, "test")).id
    sub = run(changes.add_sub_processor(dpo.ids.organisation_id, pid, {"name": "IndiaOps", "countries": ["IN"]}, "test"))
    sub_id = sub.sub_processors[0].id
    page = dpo.browser.get(f"/processors/{pid}").text
    fix = html.unescape(re.search(r'href="(/processors/\d+/safeguards/new\?[^"]+)"', page).group(1))
    form = dpo.browser.get(fix).text
    for selected in ('<option value="IN" selected>', f'<option value="{sub_id}" selected>',
                     '<option value="scc_2021" selected>', '<option value="3" selected>'):
        assert selected in form, selected


def test_an_edit_link_prefills_over_the_record_only_fields_of_the_form(signed_in, run):
    dpo = signed_in("dpo")
    pid = run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": "Host SAS", "headquarters_country": "IN"}, "test")).id
    saved = run(changes.add_safeguard(dpo.ids.organisation_id, pid, {
        "country": "IN", "mechanism": "scc_2021", "scc_module": 3,
    }, "test"))
    guard = saved.safeguards[0]
    form = dpo.browser.get(f"/processors/{pid}/safeguards/{guard.id}/edit?scc_module=2&version=99&legal_name=X").text
    assert '<option value="2" selected>' in form and '<option value="3" selected>' not in form
    assert f'name="version" value="{guard.version}"' in form and "99" not in re.findall(r'value="(\d+)"', form)
    assert run(reads.load_processor(pid)).safeguards[0].scc_module == 3  # a link changes nothing by itself


# ------------------------------------------------------------------ overdue reviews


def test_the_processor_list_flags_overdue_reviews(signed_in, run):
    dpo = signed_in("dpo")
    organisation = dpo.ids.organisation_id
    yesterday, next_month = date.today() - timedelta(days=1), date.today() + timedelta(days=30)
    for name, values in {
        "Late SAS": {"next_review_on": yesterday, "status": "approved"},
        "OnTime SAS": {"next_review_on": next_month, "status": "approved"},
        "Today SAS": {"next_review_on": date.today(), "status": "approved"},
        "Gone SAS": {"next_review_on": yesterday, "status": "offboarded"},
    }.items():
        run(changes.create_processor(organisation, {"legal_name": name, **values}, "test"))
    page = dpo.browser.get(f"{dpo.organisation}/processors?sort=review").text
    rows = re.findall(r"<tr( class=\"review-overdue\")?>\s*<th scope=\"row\"><a href=\"/processors/\d+\">([^<]+)</a>", page)
    flagged = {name for overdue, name in rows if overdue}
    assert {"Late SAS"} <= flagged and not flagged & {"OnTime SAS", "Today SAS", "Gone SAS"}
    late_row = page[page.index(">Late SAS<"):]
    late_row = late_row[: late_row.index("</tr>")]
    assert 'data-flag="review-overdue">Revue en retard</span>' in late_row
    english = dpo.browser.get(f"{dpo.organisation}/processors?lang=en").text
    assert english.count('data-flag="review-overdue"') == page.count('data-flag="review-overdue"')


# ------------------------------------------------------------------ the organisation switcher


def test_the_switcher_shows_whole_organisation_names(signed_in, run):
    dpo = signed_in("dpo")
    long_name = "Groupement d'intérêt économique des coopératives agricoles et viticoles de Bourgogne-Franche-Comté"
    other = run(changes.create_organisation({"name": long_name, "country": "FR"}, "test"))
    from register.accounts.store import set_membership, user_id_by_email

    run(set_membership(run(user_id_by_email(dpo.email)), other.id, Role.AUDITOR))
    page = dpo.browser.get(dpo.organisation).text
    switcher = html.unescape(page[page.index('<details class="switcher">'): page.index("</details>")])
    assert f'<button type="submit" name="organisation_id" value="{other.id}">{long_name}</button>' in switcher
    assert "<select" not in switcher  # a select would cut the name
    moved = post_form(dpo.browser, dpo.organisation, "/preferences/organisation",
                      {"organisation_id": str(other.id)}, follow_redirects=False)
    assert moved.headers["location"] == f"/organisations/{other.id}"
    current = dpo.browser.get(f"/organisations/{other.id}").text
    assert f'<span class="switcher-current">{long_name}</span>' in html.unescape(current)
    assert f'value="{other.id}" aria-current="true"' in current
