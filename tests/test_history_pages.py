"""The history pages, the changes report (page and .docx in both languages) and
documents built from the register as it stood."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from register.history.replay import TrailEvent
from register.history.report import changes_between, worded_changes
from register.store import changes as store_changes, reads
from register.tables import AuditEvent
from tests.documents_support import open_docx
from tests.test_pages_support import seeded, signed_in  # noqa: F401  (fixtures)

YESTERDAY = date.today() - timedelta(days=1)


def docx_text(content: bytes) -> str:
    document = open_docx(content)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def backdate_everything(run, days: int) -> None:
    """Move the whole trail ``days`` back, as if the register had been filled in then."""
    async def move() -> None:
        for row in await AuditEvent.select(AuditEvent.id, AuditEvent.occurred_at):
            await AuditEvent.update({AuditEvent.occurred_at: row["occurred_at"] - timedelta(days=days)}).where(
                AuditEvent.id == row["id"]
            )
    run(move())


def test_the_register_on_a_past_date_and_a_processor_deleted_since(signed_in, run):
    dpo = signed_in("dpo")
    organisation_id, processor_id = dpo.ids.organisation_id, dpo.ids.processor_id
    backdate_everything(run, 3)
    name = run(reads.load_processor(processor_id)).display_name
    run(store_changes.delete_processor(organisation_id, processor_id, "dpo@x.example"))
    before = dpo.browser.get(f"{dpo.organisation}/history?on={YESTERDAY.isoformat()}")
    assert before.status_code == 200 and name in before.text
    today = dpo.browser.get(f"{dpo.organisation}/history")
    assert today.status_code == 200 and name not in today.text
    past = dpo.browser.get(f"{dpo.organisation}/history/processors/{processor_id}?on={YESTERDAY.isoformat()}")
    assert past.status_code == 200 and name in past.text
    gone = dpo.browser.get(f"{dpo.organisation}/history/processors/{processor_id}")
    assert gone.status_code == 200 and "n’était pas dans le registre" in gone.text.replace("'", "’")
    too_early = dpo.browser.get(f"{dpo.organisation}/history?on=2001-01-01")
    assert too_early.status_code == 200 and "pas encore de registre" in too_early.text
    bad = dpo.browser.get(f"{dpo.organisation}/history?on=2026-13-45")
    assert bad.status_code == 400 and "Saisissez une date" in bad.text
    # The documents as it stood: the deleted processor is in yesterday's extract, not in today's.
    link = f"{dpo.organisation}/documents/register-extract.csv?lang=en&as_of={YESTERDAY.isoformat()}"
    assert name in dpo.browser.get(link + "&as_stood=true").content.decode("utf-8-sig")
    assert name not in dpo.browser.get(link).content.decode("utf-8-sig")
    page = dpo.browser.get(f"{dpo.organisation}/documents?as_of={YESTERDAY.isoformat()}&as_stood=true")
    assert "as_stood=true" in page.text and "checked" in page.text


def test_the_changes_page_and_report_in_both_languages(signed_in, run):
    dpo = signed_in("dpo")
    organisation_id, processor_id = dpo.ids.organisation_id, dpo.ids.processor_id
    processor = run(reads.load_processor(processor_id))
    run(store_changes.update_processor(
        organisation_id, processor_id,
        {"dpf_certified": True, "dpf_checked_on": date(2026, 6, 1), "status": "offboarded"},
        processor.version, "claire@x.example",
    ))
    page = dpo.browser.get(f"{dpo.organisation}/changes")
    assert page.status_code == 200
    text = page.text
    assert "claire@x.example" in text and processor.legal_name in text
    assert "Certification vérifiée le" in text and "1er juin 2026" in text and "Relation terminée" in text
    assert "dpf_checked_on" not in text  # labels, never column names
    french = dpo.browser.get(f"{dpo.organisation}/documents/changes.docx?lang=fr")
    english = dpo.browser.get(f"{dpo.organisation}/documents/changes.docx?lang=en")
    assert french.status_code == english.status_code == 200
    assert "register-changes" in french.headers["content-disposition"]
    fr, en = docx_text(french.content), docx_text(english.content)
    assert "Modifications du registre" in fr and "1er juin 2026" in fr and "claire@x.example" in fr
    assert "Certification vérifiée le\u00a0: " in fr
    assert "Changes to the register" in en and "1 June 2026" in en and "Certification checked on: " in en
    refused = dpo.browser.get(f"{dpo.organisation}/documents/changes.docx?since=2026-02-01&until=2026-01-01")
    assert refused.status_code == 400 and "since" in refused.text
    inverted = dpo.browser.get(f"{dpo.organisation}/changes?since=2026-02-01&until=2026-01-01")
    assert inverted.status_code == 400
    auditor = signed_in("procurement")
    assert auditor.browser.get(f"{auditor.organisation}/changes").status_code == 403


def moment(minute: int) -> datetime:
    return datetime(2026, 3, 1, 10, minute, tzinfo=timezone.utc)


def test_a_change_names_the_records_it_refers_to_by_name_and_keeps_deleted_ones_told():
    processor = {"id": 1, "organisation_id": 9, "legal_name": "Acme SAS", "version": 1}
    other = {"id": 2, "organisation_id": 9, "legal_name": "Cloudy Inc", "version": 1}
    sub = {"id": 5, "processor": 1, "name": "Cloudy", "countries": ["US"], "registered_processor_id": None, "version": 1}
    linked = {**sub, "registered_processor_id": 2, "countries": ["US", "IE"], "version": 2}
    events = [
        TrailEvent(1, moment(0), "a", "processor", 1, "create", None, processor),
        TrailEvent(2, moment(1), "a", "processor", 2, "create", None, other),
        TrailEvent(3, moment(2), "a", "sub_processor", 5, "create", None, sub),
        TrailEvent(4, moment(3), "b", "sub_processor", 5, "update", sub, linked),
        TrailEvent(5, moment(4), "b", "processor", 1, "delete", processor, None),
    ]
    found = changes_between(events, moment(3), moment(59))
    assert [(c.entity, c.action, c.processor, c.subject) for c in found] == [
        ("sub_processor", "update", "Acme SAS", "Cloudy"),
        ("processor", "delete", "Acme SAS", ""),
    ]
    (update, _) = worded_changes(found, "fr")
    assert [(f.label, f.before, f.after) for f in update.fields] == [
        ("Pays", "États-Unis", "États-Unis, Irlande"),
        ("Fiche au registre", "—", "Cloudy Inc"),
    ]
    assert update.what == "Sous-traitant ultérieur"


def test_every_fact_of_the_register_has_a_label_for_the_changes_report():
    from register.history.report import NOT_FACTS
    from register.i18n.terms import has_term
    from register.store.records import COLUMN_TO_FIELD
    from register.tables import (
        Agreement, ClauseAssessment, Organisation, ProcessingLocation, Processor, SubProcessor, TransferSafeguard,
    )

    unlabelled = [
        (table.__name__, COLUMN_TO_FIELD.get(column._meta.name, column._meta.name))
        for table in (Organisation, Processor, ProcessingLocation, SubProcessor, Agreement, ClauseAssessment,
                      TransferSafeguard)
        for column in table._meta.columns
        if COLUMN_TO_FIELD.get(column._meta.name, column._meta.name) not in NOT_FACTS
        and not has_term("field." + COLUMN_TO_FIELD.get(column._meta.name, column._meta.name))
    ]
    assert unlabelled == []


def test_the_api_serves_the_changes_report_and_documents_as_they_stood(signed_in, run, api_client_for, make_user, grant):
    dpo = signed_in("dpo")
    organisation_id, processor_id = dpo.ids.organisation_id, dpo.ids.processor_id
    backdate_everything(run, 3)
    name = run(reads.load_processor(processor_id)).legal_name
    run(store_changes.delete_processor(organisation_id, processor_id, "dpo@x.example"))
    user = make_user("api@x.example")
    grant(user, organisation_id, "auditor")
    api = api_client_for(user)
    base = f"/api/v1/organisations/{organisation_id}/documents"
    report = api.get(f"{base}/changes.docx?lang=en")
    assert report.status_code == 200 and name in docx_text(report.content)
    assert api.get(f"{base}/changes.docx?since=2026-02-01&until=2026-01-01").status_code == 400
    extract = f"{base}/register-extract.csv?lang=en&as_of={YESTERDAY.isoformat()}"
    assert name in api.get(extract + "&as_stood=true").content.decode("utf-8-sig")
    assert name not in api.get(extract).content.decode("utf-8-sig")


def test_the_command_line_writes_the_changes_report_and_documents_as_they_stood(run, database, tmp_path):
    import pytest

    from register.cli import main

    organisation = run(store_changes.create_organisation({"name": "O", "country": "FR"}, "a"))
    acme = run(store_changes.create_processor(organisation.id, {"legal_name": "Acme SAS"}, "claire@x.example"))
    report = tmp_path / "changes.docx"
    assert main(["report", "changes", "--organisation", str(organisation.id), "--lang", "en", "-o", str(report)]) == 0
    assert "claire@x.example" in docx_text(report.read_bytes())
    backdate_everything(run, 3)
    run(store_changes.delete_processor(organisation.id, acme.id, "a"))
    extract = tmp_path / "extract.csv"
    common = ["report", "extract", "--format", "csv", "--lang", "en", "--as-of", YESTERDAY.isoformat(),
              "--organisation", str(organisation.id), "-o", str(extract)]
    assert main([*common, "--as-stood"]) == 0 and "Acme SAS" in extract.read_text(encoding="utf-8-sig")
    assert main(common) == 0 and "Acme SAS" not in extract.read_text(encoding="utf-8-sig")
    with pytest.raises(SystemExit):  # no register yet on that date
        main([*common[:6], "2001-01-01", *common[7:], "--as-stood"])
