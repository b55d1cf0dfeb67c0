"""DPF certifications: reading the participants list, matching it to the register,
confirming proposals in one audited transaction (pages and CLI)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from register.intake.dpf_list import Candidate, match_participants, normalised_name, read_dpf_list
from register.intake.model import IntakeError
from register.store import changes, reads
from register.store.dpf import DpfDecision, apply_dpf_checks, load_dpf_candidates
from register.store.errors import StaleVersion
from register.tables import AuditEvent
from tests.test_pages_support import csrf_of, seeded, signed_in  # noqa: F401  (fixtures)

LIST_CSV = (
    "Organization Name,Status,Original Certification Date,Covered Data\n"
    "Acme Analytics Inc.,Active,2023-07-17,HR; Non-HR\n"
    "Payrollers LLC,Active,2024-01-05,Non-HR\n"
    "Gone Away Corp,Inactive,2023-08-01,Non-HR\n"
    "Mailchimpy Technologies Inc,Active,17/10/2023,Non-HR\n"
).encode()


def candidate(name: str, number: int, hr: bool = False) -> Candidate:
    return Candidate("processor", number, number, name, None, None, 1, hr)


def test_names_are_compared_without_case_punctuation_or_legal_form():
    assert normalised_name("Acme Analytics, Inc.") == normalised_name("ACME analytics") == "acme analytics"
    assert normalised_name("The Widget Company, L.L.C.") == "widget"
    assert normalised_name("Inc") == "inc"  # a name is never emptied


def test_the_list_is_read_from_csv_and_xlsx_with_its_columns():
    dpf = read_dpf_list(LIST_CSV, "dpf.csv")
    acme = dpf.participants[0]
    assert (acme.name, acme.active, acme.certified_on, acme.covered) == (
        "Acme Analytics Inc.", True, date(2023, 7, 17), "both")
    assert [p.active for p in dpf.participants] == [True, True, False, True]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Data Privacy Framework List"])  # a title row above the header
    sheet.append(["Participant", "Participation status", "Certification date"])
    sheet.append(["Acme Analytics Inc.", "Withdrawn", date(2022, 3, 1)])
    content = io.BytesIO()
    workbook.save(content)
    (read,) = read_dpf_list(content.getvalue(), "dpf.xlsx").participants
    assert (read.active, read.certified_on) == (False, date(2022, 3, 1))
    with pytest.raises(IntakeError) as refused:
        read_dpf_list(b"Vendor,Country\nAcme,US\n", "other.csv")
    assert refused.value.code == "header_missing"


def test_matches_are_exact_by_legal_form_or_close_and_inactive_means_not_certified():
    dpf = read_dpf_list(LIST_CSV, "dpf.csv")
    proposals = {p.candidate.name: p for p in match_participants(dpf, [
        candidate("Acme Analytics Inc.", 1),
        candidate("ACME ANALYTICS", 2),
        candidate("Payrollers, L.L.C.", 3, hr=True),
        candidate("Gone Away Corporation", 4),
        candidate("Mailchimpy Technologies", 5),
        candidate("Mailchimpi Technologie", 6),
        candidate("Nowhere Ltd", 7),
    ])}
    assert proposals["Acme Analytics Inc."].match == "exact" and proposals["Acme Analytics Inc."].certified
    assert proposals["ACME ANALYTICS"].match == "legal_suffix"
    assert proposals["Payrollers, L.L.C."].warnings == ("hr_not_covered",)  # HR data, a non-HR certification
    gone = proposals["Gone Away Corporation"]
    assert gone.match == "legal_suffix" and not gone.certified  # inactive participant: not certified
    close = proposals["Mailchimpi Technologie"]
    assert close.match == "close" and 90 <= close.score < 100 and close.participant.name.startswith("Mailchimpy")
    nowhere = proposals["Nowhere Ltd"]
    assert nowhere.match == "none" and nowhere.participant is None and not nowhere.certified


def test_confirmed_checks_are_written_in_one_audited_transaction(run, database):
    async def scenario() -> None:
        organisation = await changes.create_organisation({"name": "O", "country": "FR"}, "a")
        acme = await changes.create_processor(
            organisation.id, {"legal_name": "Acme Analytics Inc.", "headquarters_country": "US"}, "a")
        await changes.add_sub_processor(organisation.id, acme.id, {"name": "Gone Away Corp", "countries": ["US"]}, "a")
        await changes.create_processor(organisation.id, {"legal_name": "Local SARL", "headquarters_country": "FR"}, "a")
        candidates = await load_dpf_candidates(organisation.id)
        assert sorted(c.name for c in candidates) == ["Acme Analytics Inc.", "Gone Away Corp"]
        proposals = match_participants(read_dpf_list(LIST_CSV, "dpf.csv"), candidates)
        decisions = [DpfDecision(p.candidate.kind, p.candidate.id, p.candidate.version, p.certified) for p in proposals]
        # One stale version refuses the whole batch.
        stale = [decisions[0], DpfDecision(decisions[1].kind, decisions[1].id, 99, True)]
        with pytest.raises(StaleVersion):
            await apply_dpf_checks(organisation.id, stale, date(2026, 12, 1), "dpo@x.example", "dpf.csv")
        assert (await reads.load_processor(acme.id)).dpf_certified is None
        assert await apply_dpf_checks(organisation.id, decisions, date(2026, 12, 1), "dpo@x.example", "dpf.csv") == 2
        after = await reads.load_processor(acme.id)
        assert (after.dpf_certified, after.dpf_checked_on) == (True, date(2026, 12, 1))
        assert (after.sub_processors[0].dpf_certified, after.sub_processors[0].dpf_checked_on) == (False, date(2026, 12, 1))
        summary = await AuditEvent.select().where(AuditEvent.entity == "dpf_list").first()
        assert summary["actor"] == "dpo@x.example"
        # Another organisation's record cannot be confirmed through this one.
        other = await changes.create_organisation({"name": "P", "country": "FR"}, "a")
        from register.store.errors import NotFound
        with pytest.raises(NotFound):
            await apply_dpf_checks(other.id, decisions[:1], date(2026, 12, 1), "x", "dpf.csv")

    run(scenario())


def test_the_pages_upload_propose_and_confirm(signed_in, run):
    dpo = signed_in("dpo")
    organisation_id = dpo.ids.organisation_id
    us = run(changes.create_processor(organisation_id, {"legal_name": "Acme Analytics, Inc.", "headquarters_country": "US"}, "t"))
    page = dpo.browser.get(f"{dpo.organisation}/dpf")
    assert page.status_code == 200 and "Data Privacy Framework" in page.text
    token = csrf_of(page.text)
    shown = dpo.browser.post(f"{dpo.organisation}/dpf", data={"_csrf_token": token},
                             files={"file": ("dpf.csv", LIST_CSV, "text/csv")})
    assert shown.status_code == 200, shown.text
    assert f'value="processor:{us.id}:1:1" checked' in shown.text
    bad = dpo.browser.post(f"{dpo.organisation}/dpf", data={"_csrf_token": token},
                           files={"file": ("dpf.csv", b"Vendor\nAcme\n", "text/csv")})
    assert bad.status_code == 400 and "Organization Name" in bad.text
    done = dpo.browser.post(f"{dpo.organisation}/dpf/confirm", data={
        "_csrf_token": token, "proposal": f"processor:{us.id}:1:1", "checked_on": "2026-11-30", "source": "dpf.csv",
    }, follow_redirects=False)
    assert done.status_code == 303
    assert run(reads.load_processor(us.id)).dpf_checked_on == date(2026, 11, 30)
    again = dpo.browser.post(f"{dpo.organisation}/dpf/confirm", data={
        "_csrf_token": token, "proposal": f"processor:{us.id}:1:1", "checked_on": "2026-11-30",
    }, follow_redirects=False)
    assert again.status_code == 409  # the proposal was read at version 1
    forged = dpo.browser.post(f"{dpo.organisation}/dpf/confirm", data={
        "_csrf_token": token, "proposal": "processor:x", "checked_on": "2026-11-30",
    })
    assert forged.status_code == 400
    auditor = signed_in("auditor")
    assert auditor.browser.get(f"{auditor.organisation}/dpf").status_code == 403


def test_the_command_prints_proposals_and_records_only_sure_matches(run, database, tmp_path, capsys):
    from register.cli import main

    organisation = run(changes.create_organisation({"name": "O", "country": "FR"}, "a"))
    sure = run(changes.create_processor(organisation.id, {"legal_name": "Payrollers", "headquarters_country": "US"}, "a"))
    close = run(changes.create_processor(organisation.id, {"legal_name": "Mailchimpi Technologie", "headquarters_country": "US"}, "a"))
    listed = tmp_path / "dpf.csv"
    listed.write_bytes(LIST_CSV)
    assert main(["dpf-import", str(listed), "--organisation", str(organisation.id), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "Payrollers\tlegal_suffix" in printed and "Mailchimpi Technologie\tclose" in printed
    assert run(reads.load_processor(sure.id)).dpf_checked_on is None  # dry run
    assert main(["dpf-import", str(listed), "--organisation", str(organisation.id)]) == 0
    assert run(reads.load_processor(sure.id)).dpf_certified is True
    assert run(reads.load_processor(close.id)).dpf_certified is None  # close names wait for --include-close
    missing = tmp_path / "nope.csv"
    assert main(["dpf-import", str(missing), "--organisation", str(organisation.id)]) == 2
