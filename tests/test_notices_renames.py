"""Likely renamed sub-processors: a removal and an addition paired when the names are close
(normalised, rapidfuzz) or when the list swaps exactly one sub-processor for another with
the same purpose and countries; shown as "renamed?" and applied as a rename only when the
DPO confirms it."""

from __future__ import annotations

from register.compliance.notices import Entry, compare
from register.compliance.renames import likely_renames, name_similarity
from tests.test_notices import record, team  # noqa: F401  (fixture)
from tests.test_pages_support import seeded, signed_in  # noqa: F401  (fixtures)

REGISTERED = [
    Entry("Sendgrid Inc.", ("US",), "Transactional e-mail", 1),
    Entry("Amazon Web Services, Inc.", ("US", "IE"), "Hosting", 2),
    Entry("Segment.io, Inc.", ("US",), "Product analytics", 3),
]


def pairs(after, before=REGISTERED):
    return [(r.before.name, r.after.name, r.reason) for r in likely_renames(compare(before, after, full_list=True))]


def test_a_close_name_is_a_likely_rename():
    listed = [Entry("Twilio SendGrid", ("US",), "E-mail delivery"), REGISTERED[1], REGISTERED[2]]
    assert pairs(listed) == [("Sendgrid Inc.", "Twilio SendGrid", "similar_name")]


def test_one_swap_with_the_same_purpose_and_countries_is_a_likely_rename():
    listed = [REGISTERED[0], REGISTERED[1], Entry("Twilio Segment", ("US",), "Product analytics")]
    assert name_similarity("Segment.io, Inc.", "Twilio Segment") < 85  # not close enough by name alone
    assert pairs(listed) == [("Segment.io, Inc.", "Twilio Segment", "same_purpose_and_countries")]


def test_unrelated_changes_are_not_renames():
    # Two swaps: purpose and countries alone do not pair them (which with which?).
    listed = [REGISTERED[1], Entry("Mailjet SAS", ("US",), "Transactional e-mail"),
              Entry("Mixpanel, Inc.", ("US",), "Product analytics")]
    assert pairs(listed) == []
    # One swap, other purpose: not paired.
    assert pairs([REGISTERED[0], REGISTERED[1], Entry("Google LLC", ("US",), "Hosting")]) == []
    # A notice of changes removes nothing, so it pairs nothing.
    changes = compare(REGISTERED, [Entry("Twilio SendGrid", ("US",), "")], full_list=False)
    assert likely_renames(changes) == ()
    # Very short names are never paired by name.
    assert name_similarity("AWS", "AWS Inc") == 0


def test_each_removal_and_addition_is_paired_once_closest_first():
    registered = [Entry("Stripe Inc", ("US",), "Payments", 1), Entry("Stripe Payments Europe Ltd", ("IE",), "Payments", 2)]
    listed = [Entry("Stripe Payments Europe Limited (Dublin)", ("IE",), "Payments"), Entry("Stripe US Holdings", ("US",), "Payments")]
    found = pairs(listed, registered)
    assert len(found) == 2 and len({b for b, _, _ in found}) == 2 and len({a for _, a, _ in found}) == 2
    assert ("Stripe Inc", "Stripe US Holdings", "similar_name") in found


RENAMED_LIST = """| Name | Purpose | Location |
|---|---|---|
| Cloudhost Incorporated (formerly Cloudhost, Inc.) | Hosting | United States |
| Oldvendor SA | Archiving | France |
"""
SWAPPED_LIST = """| Name | Purpose | Location |
|---|---|---|
| Twilio Cloud | Hosting | United States |
| Oldvendor SA | Archiving | France |
"""


def test_the_dpo_confirms_a_rename_and_the_sub_processor_keeps_its_facts(team):
    from tests.test_notices import processor_with_dpa

    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id)
    subs = {s["name"]: s for s in dpo.get(f"/api/v1/processors/{pid}").json()["sub_processors"]}
    host = subs["Cloudhost, Inc."]
    assert dpo.patch(f"/api/v1/processors/{pid}/sub-processors/{host['id']}",
                     json={"version": host["version"], "flowdown": "yes", "dpf_certified": True}).status_code == 200
    notice = record(dpo, pid, text=RENAMED_LIST, kind="full_list", channel="list_page")
    review = dpo.get(f"/api/v1/notices/{notice['id']}").json()
    assert [(r["sub_processor_id"], r["registered_name"], r["reason"]) for r in review["possible_renames"]] == [
        (host["id"], "Cloudhost, Inc.", "similar_name")]
    assert review["counts"]["added"] == 1 and review["counts"]["removed"] == 1  # never merged silently

    refused = dpo.post(f"/api/v1/notices/{notice['id']}/decision",
                       json={"decision": "accept", "version": notice["version"], "renames": [999999]})
    assert refused.status_code == 400 and "renames" in refused.text
    accepted = dpo.post(f"/api/v1/notices/{notice['id']}/decision",
                        json={"decision": "accept", "version": notice["version"], "renames": [host["id"]]})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["notice"]["applied"]["renamed"] == [
        "Cloudhost, Inc. → Cloudhost Incorporated (formerly Cloudhost, Inc.)"]
    after = {s["id"]: s for s in dpo.get(f"/api/v1/processors/{pid}").json()["sub_processors"]}
    kept = after[host["id"]]  # the same record, renamed: its facts kept
    assert kept["name"].startswith("Cloudhost Incorporated") and kept["flowdown"] == "yes" and kept["dpf_certified"] is True
    assert len(after) == 2


def test_an_unconfirmed_rename_is_a_removal_and_an_addition(team):
    from tests.test_notices import processor_with_dpa

    ids, clients = team
    dpo = clients["dpo"]
    pid = processor_with_dpa(dpo, ids.organisation_id)
    notice = record(dpo, pid, text=SWAPPED_LIST, kind="full_list", channel="list_page")
    review = dpo.get(f"/api/v1/notices/{notice['id']}").json()
    assert [r["reason"] for r in review["possible_renames"]] == ["same_purpose_and_countries"]
    accepted = dpo.post(f"/api/v1/notices/{notice['id']}/decision",
                        json={"decision": "accept", "version": notice["version"]})
    assert accepted.status_code == 200
    names = sorted(s["name"] for s in dpo.get(f"/api/v1/processors/{pid}").json()["sub_processors"])
    assert names == ["Oldvendor SA", "Twilio Cloud"]
    assert "renamed" not in accepted.json()["notice"]["applied"]


def test_the_notice_page_asks_renamed(signed_in, run):
    from datetime import date

    from register.intake.subprocessor_lists import list_from_text
    from register.store import changes, notices
    from register.vocabulary import NoticeChannel, NoticeKind

    dpo = signed_in("dpo")
    organisation = dpo.ids.organisation_id
    vendor = run(changes.create_processor(organisation, {"legal_name": "Mailer Co", "status": "approved"}, "t"))
    run(changes.add_sub_processor(organisation, vendor.id, {"name": "Sendgrid Inc.", "countries": ["US"]}, "t"))
    listed = list_from_text("| Name | Location |\n|---|---|\n| Twilio SendGrid | United States |\n")
    notice = run(notices.record_notice(organisation, vendor.id, listed, kind=NoticeKind.FULL_LIST,
                                       channel=NoticeChannel.EMAIL, received_on=date.today(), source="pasted",
                                       content="", actor="t"))
    page = dpo.browser.get(f"/notices/{notice.id}").text
    assert 'name="rename"' in page and "«\u00a0Sendgrid Inc.\u00a0» → «\u00a0Twilio SendGrid\u00a0»" in page
