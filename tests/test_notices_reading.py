"""Sub-processor notices on values alone: every list shape read, the diff, business-day
deadlines, a notice whose period conflicts with the DPA, what accepting would raise."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from register.compliance.context import RuleContext
from register.compliance.notices import (
    Entry,
    PendingNotice,
    add_business_days,
    compare,
    findings_if_accepted,
    name_key,
    notice_findings,
    objection_deadline,
    register_entries,
)
from register.compliance.results import RuleSettings
from register.intake.model import IntakeError
from register.intake.subprocessor_lists import read_subprocessor_list, stated_period
from register.vocabulary import NoticeKind, SubProcessorAuthorisation, Tristate
from tests.compliance_builders import AS_OF, agreement, processor, sub_processor

FIXTURES = Path(__file__).parent / "fixtures" / "notices"


def read(name: str):
    return read_subprocessor_list((FIXTURES / name).read_bytes(), name)


def rows_of(listed) -> list[tuple]:
    return [(r.name, r.countries, r.regions, r.purpose, r.corporate_country) for r in listed.rows]


# ------------------------------------------------------------------ shapes


def test_github_like_four_columns_with_corporate_location_and_period():
    listed = read("github_like.md")
    assert listed.shape == "table"
    assert rows_of(listed) == [
        ("Cloudhost Inc.", ("US",), (), "Hosting of the service", "US"),  # the Markdown link's text
        ("Mailrelay Ltd", ("US", "IS", "DE"), (), "Transactional e-mail", "IE"),
        ("Zenith Support GmbH", ("DE",), (), "Customer support ticketing", "DE"),
        ("Insight Analytics Pte. Ltd.", ("SG", "JP"), (), "Product analytics", "SG"),
    ]
    assert (listed.stated_notice_days, listed.stated_business_days) == (30, False)
    assert listed.problems == ()


def test_zed_like_three_columns_keeps_worldwide_as_a_region():
    listed = read("zed_like.md")
    assert rows_of(listed) == [
        ("Cloudhost Inc.", (), ("worldwide",), "Infrastructure", None),
        ("Paystream, Inc.", ("US",), (), "Billing", None),
        ("Modelworks (EU) SARL", ("FR",), (), "AI completions", None),
    ]


def test_posthog_like_json_with_lists_of_locations_and_an_unknown_country():
    listed = read("posthog_like.json")
    assert listed.shape == "json"
    assert rows_of(listed) == [
        ("Cloudhost Inc.", ("US",), (), "Hosting", None),
        ("Ticketdesk Ltd", ("GB", "IE"), (), "Support tickets", None),
        ("Sendfast SAS", (), (), "E-mail delivery", None),
    ]
    [problem] = listed.problems
    assert (problem.code, problem.text, problem.row) == ("country_unknown", "Narnia", 3)


def test_bullet_lists_grouped_by_location_in_english_and_french():
    listed = read("bullets.md")
    assert listed.shape == "bullets"
    assert rows_of(listed) == [
        ("Cloudhost Inc.", ("US",), (), "hosting", None),
        ("Paystream, Inc.", ("US",), (), "billing", None),
        ("Hetzner Online GmbH", (), ("eu",), "hosting backups", None),
        ("Kaiju KK", ("JP",), (), "traduction", None),
    ]
    assert (listed.stated_notice_days, listed.stated_business_days) == (10, True)


def test_html_table_ignores_scripts_and_keeps_link_text():
    listed = read("list.html")
    assert rows_of(listed) == [
        ("Cloudhost Inc.", ("US",), (), "Hosting", None),
        ("Brevo & Co SAS", ("FR",), (), "E-mail", None),
    ]


def test_csv_with_french_headers_and_country_names_uses_the_intake_reader():
    listed = read("list.csv")
    assert listed.shape == "spreadsheet"
    assert rows_of(listed) == [
        ("Cloudhost Inc.", ("US",), (), "Hébergement", None),
        ("Mailrelay Ltd", ("DE", "IE"), (), "E-mail", None),
    ]


def test_xlsx_list():
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Sub-processor", "Service", "Countries of processing"])
    sheet.append(["Cloudhost Inc.", "Hosting", "United States; Ireland"])
    buffer = io.BytesIO()
    book.save(buffer)
    listed = read_subprocessor_list(buffer.getvalue(), "vendor-list.xlsx")
    assert rows_of(listed) == [("Cloudhost Inc.", ("US", "IE"), (), "Hosting", None)]


@pytest.mark.parametrize(
    "text, period",
    [
        ("We give 30 days' notice.", (30, False)),
        ("You may object within 10 business days.", (10, True)),
        ("Vous disposez de 15 jours ouvrés pour vous opposer.", (15, True)),
        ("dans un délai de 30 jours calendaires", (30, False)),
        ("No period here.", (None, False)),
    ],
)
def test_stated_period(text, period):
    assert stated_period(text) == period


def test_empty_and_unreadable_lists():
    with pytest.raises(IntakeError) as refused:
        read_subprocessor_list("   \n")
    assert refused.value.code == "empty"
    listed = read_subprocessor_list("Hello, nothing to see here.")
    assert listed.rows == () and [p.code for p in listed.problems] == ["no_rows"]


# ------------------------------------------------------------------ diff


def test_names_match_without_legal_forms_and_punctuation():
    assert name_key("Stripe, Inc.") == name_key("STRIPE INC") == "stripe"
    assert name_key("Stripe Payments Europe Ltd") != name_key("Stripe, Inc.")


REGISTERED = (
    Entry("Cloudhost, Inc.", ("US",), "Hosting", 1),
    Entry("Mailrelay Ltd", ("US",), "Transactional e-mail", 2),
    Entry("Oldvendor SA", ("FR",), "Archiving", 3),
)


def test_diff_added_changed_unchanged_and_removed_only_for_a_whole_list():
    listed = read("github_like.md")
    entries = [Entry(r.name, r.countries, r.purpose, None, r.regions) for r in listed.rows]
    changes = {c.name: c for c in compare(REGISTERED, entries, full_list=False)}
    assert changes["Cloudhost, Inc."].kind == "changed" and changes["Cloudhost, Inc."].changed == ("purpose",)
    assert changes["Mailrelay Ltd"].changed == ("countries",)
    assert changes["Zenith Support GmbH"].kind == "added"
    assert "Oldvendor SA" not in changes  # a notice of changes removes nothing
    whole = {c.name: c.kind for c in compare(REGISTERED, entries, full_list=True)}
    assert whole["Oldvendor SA"] == "removed"


def test_a_worldwide_row_changes_no_countries():
    changes = compare(REGISTERED, [Entry("Cloudhost Inc.", (), "Hosting", None, ("worldwide",))], full_list=False)
    assert [(c.kind, c.changed) for c in changes] == [("unchanged", ())]


# ------------------------------------------------------------------ deadlines

FRIDAY = date(2026, 11, 27)


def test_business_days_skip_weekends_only():
    assert FRIDAY.weekday() == 4
    assert add_business_days(FRIDAY, 1) == date(2026, 11, 30)  # Monday
    assert add_business_days(FRIDAY, 10) == date(2026, 12, 11)
    assert add_business_days(date(2026, 12, 18), 5) == date(2026, 12, 25)  # Christmas counts as a business day


def test_deadline_from_the_dpa_in_calendar_and_business_days():
    calendar = objection_deadline(FRIDAY, agreement(objection_notice_days=30), None)
    assert (calendar.deadline, calendar.source, calendar.conflict) == (FRIDAY + timedelta(days=30), "agreement", False)
    business = objection_deadline(FRIDAY, agreement(objection_notice_days=10, objection_notice_business_days=True), None)
    assert business.deadline == date(2026, 12, 11)


def test_a_notice_whose_period_conflicts_with_the_dpa():
    deadline = objection_deadline(FRIDAY, agreement(objection_notice_days=30), 10, True)
    assert deadline.conflict
    assert deadline.source == "agreement"
    assert deadline.deadline == date(2026, 12, 27)  # the DPA's period is relied on
    assert deadline.notice_deadline == date(2026, 12, 11)  # the notice's own, shown beside it


def test_deadline_from_the_notice_when_the_dpa_records_none_and_none_without_either():
    from_notice = objection_deadline(FRIDAY, agreement(objection_notice_days=None), 15)
    assert (from_notice.source, from_notice.deadline, from_notice.conflict) == ("notice", date(2026, 12, 12), False)
    unknown = objection_deadline(FRIDAY, None, None)
    assert (unknown.source, unknown.deadline) == ("none", None)


def test_specific_authorisation_is_reported():
    deadline = objection_deadline(
        FRIDAY, agreement(sub_processor_authorisation=SubProcessorAuthorisation.SPECIFIC), None
    )
    assert deadline.specific_authorisation


# ------------------------------------------------------------------ findings


def test_accepting_a_us_sub_processor_raises_its_transfer_and_flowdown_findings():
    vendor = processor(sub_processors=(sub_processor("Backup GmbH", ("DE",), id=10),))
    changes = compare(register_entries(vendor), [Entry("Cloudhost Inc.", ("US",), "Hosting")], full_list=False)
    raised = findings_if_accepted(vendor, changes, as_of=AS_OF)
    assert {f.code for f in raised} == {"DPF_STATUS_UNKNOWN", "SUBPROCESSOR_FLOWDOWN_UNKNOWN"}
    assert all("Backup GmbH" not in f.subject.label for f in raised)  # only what accepting adds
    to_india = compare(register_entries(vendor), [Entry("Offshore Ops", ("IN",), "Support")], full_list=False)
    codes = {f.code for f in findings_if_accepted(vendor, to_india, as_of=AS_OF)}
    assert "SUBPROCESSOR_FLOWDOWN_UNKNOWN" in codes and any(code.startswith("TRANSFER") for code in codes), codes


def test_accepting_a_change_to_the_eea_raises_nothing_new():
    vendor = processor(sub_processors=(sub_processor("Backup GmbH", ("DE",), id=10, flowdown=Tristate.YES),))
    changes = compare(register_entries(vendor), [Entry("Backup GmbH", ("FR",), "")], full_list=False)
    assert [c.changed for c in changes] == [("countries",)]
    assert findings_if_accepted(vendor, changes, as_of=AS_OF) == ()


def test_pending_notice_findings_before_on_and_after_the_deadline():
    vendor = processor()
    ctx = RuleContext(as_of=AS_OF, settings=RuleSettings())

    def codes(received: date) -> list[str]:
        deadline = objection_deadline(received, agreement(objection_notice_days=10), None)
        pending = PendingNotice(1, NoticeKind.CHANGE, received, deadline, added=1, removed=0, changed=0)
        return [f.code for f in notice_findings(vendor, [pending], ctx)]

    assert codes(AS_OF - timedelta(days=3)) == ["SUBPROCESSOR_CHANGE_PENDING"]
    assert codes(AS_OF - timedelta(days=10)) == ["SUBPROCESSOR_CHANGE_PENDING"]  # the last day is still in time
    assert codes(AS_OF - timedelta(days=11)) == ["SUBPROCESSOR_OBJECTION_LAPSED"]


def test_pending_finding_texts_use_french_dates_and_typography():
    vendor = processor()
    deadline = objection_deadline(date(2026, 11, 20), replace(agreement(), objection_notice_days=30), None)
    pending = PendingNotice(1, NoticeKind.CHANGE, date(2026, 11, 20), deadline, 2, 0, 1)
    [finding] = notice_findings(vendor, [pending], RuleContext(as_of=AS_OF, settings=RuleSettings()))
    assert "20 novembre 2026" in finding.explanation.fr and "ajouts\u00a0: 2" in finding.explanation.fr
    assert "20 November 2026" in finding.explanation.en
