"""Applying an import: the extract's round trip, idempotent re-import, conflicts, nothing written on failure, the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from register.cli import main
from register.compliance import assess_processor
from register.demo import demo_document
from register.documents import service
from register.intake import ColumnMapping, Preview, build_preview, read_workbook, suggest_mapping
from register.store import changes, reads
from register.store.errors import Conflict, NotFound
from register.store.intake import apply_preview, load_register_for_import
from register.store.portability import import_document
from register.tables import AuditEvent, Processor
from register.vocabulary import AuditAction, TransferMechanism
from tests.intake_support import cnil_workbook, xlsx_of
from tests.test_intake import CNIL_RECORDS, VENDORS

AS_OF = date(2026, 12, 1)


async def new_organisation(name: str = "Importer") -> int:
    organisation = await changes.create_organisation({"name": name, "country": "FR"}, "test")
    assert organisation.id is not None
    return organisation.id


async def preview_file(content: bytes, filename: str, organisation_id: int, mapping: ColumnMapping | None = None) -> Preview:
    workbook = read_workbook(content, filename)
    register = await load_register_for_import(organisation_id)
    preview = build_preview(workbook, mapping or suggest_mapping(workbook), register)
    return Preview.from_json(preview.to_json())  # as the web part stores it


async def import_file(content: bytes, filename: str, organisation_id: int, mapping: ColumnMapping | None = None):
    preview = await preview_file(content, filename, organisation_id, mapping)
    return preview, await apply_preview(preview, organisation_id, "dpo@example.test", f"test {filename}")


async def extract(organisation_id: int, file_format: str, language: str) -> bytes:
    inputs = await service.load_register_inputs(organisation_id)
    return service.build_register_extract(inputs, file_format, language=language, as_of=AS_OF).content


def what_the_extract_carries(processors) -> list[tuple]:
    """The facts the extract shows, per processor (the rest it summarises or computes)."""
    facts = []
    for p in processors:
        subs = {s.id: s.name for s in p.sub_processors}
        facts.append((
            p.legal_name, p.trade_name, p.category, p.role, p.status, p.headquarters_country,
            p.last_review_on, p.next_review_on, p.dpf_checked_on,
            sorted((l.country, l.activity, l.note) for l in p.locations),
            sorted((s.name, s.countries, s.purpose, s.flowdown, s.dpf_checked_on) for s in p.sub_processors),
            sorted((g.country, g.mechanism, subs.get(g.sub_processor_id), g.scc_module, g.signed_on, g.tia_on)
                   for g in p.safeguards if g.mechanism != TransferMechanism.ADEQUACY),
            None if p.agreement is None else (p.agreement.reference, p.agreement.signed_on, p.agreement.ends_on),
        ))
    return sorted(facts, key=lambda fact: fact[0])


# ------------------------------------------------------------------ the register's own extract


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_xlsx_extract_imported_reproduces_the_register(run, database, language):
    async def scenario():
        source = await import_document(demo_document(), "test")
        target = await new_organisation()
        content = await extract(source, "xlsx", language)
        preview, result = await import_file(content, f"extract-{language}.xlsx", target)
        assert preview.kind == "extract" and preview.counts.error == 0
        assert len(result.created) == 6
        original, copy = await reads.load_register(source), await reads.load_register(target)
        assert what_the_extract_carries(copy) == what_the_extract_carries(original)
        again = await preview_file(await extract(target, "xlsx", language), "again.xlsx", target)
        assert (again.counts.unchanged, again.counts.importable) == (6, 0)

    run(scenario())


def test_the_csv_extract_imported_reproduces_its_processors(run, database):
    async def scenario():
        source = await import_document(demo_document(), "test")
        target = await new_organisation()
        await import_file(await extract(source, "csv", "fr"), "extract.csv", target)
        original, copy = await reads.load_register(source), await reads.load_register(target)
        # The csv is the processors sheet alone: no sub-processors' details, no transfer tools.
        assert [fact[:11] for fact in what_the_extract_carries(copy)] == [
            fact[:10] + (sorted((s[0], s[1], "", "unknown", None) for s in fact[10]),)
            for fact in what_the_extract_carries(original)
        ]

    run(scenario())


# ------------------------------------------------------------------ idempotence, updates, audit


def test_reimporting_the_same_file_changes_nothing(run, database):
    async def scenario():
        organisation_id = await new_organisation()
        _, first = await import_file(xlsx_of(VENDORS), "vendors.xlsx", organisation_id)
        assert len(first.created) == 2
        events = await AuditEvent.count()
        register = await reads.load_register(organisation_id)
        preview, second = await import_file(xlsx_of(VENDORS), "vendors.xlsx", organisation_id)
        assert (preview.counts.unchanged, second.created, second.updated) == (2, [], [])
        assert await reads.load_register(organisation_id) == register
        assert await AuditEvent.count() == events + 1  # only the import's own summary

    run(scenario())


def test_an_update_writes_only_mapped_fields_with_audit_events_naming_the_import(run, database):
    async def scenario():
        organisation_id = await new_organisation()
        acme = await changes.create_processor(organisation_id, {
            "legal_name": "Acme SAS", "website": "https://old.example", "service_description": "Kept",
        }, "test")
        await changes.add_location(organisation_id, acme.id, {"country": "FR"}, "test")
        _, result = await import_file(xlsx_of(VENDORS), "vendors.xlsx", organisation_id)
        assert result.updated == [acme.id] and len(result.created) == 1
        updated = await reads.load_processor(acme.id)
        assert (updated.website, updated.service_description) == ("https://acme.example", "Kept")
        assert sorted(l.country for l in updated.locations) == ["DE", "FR"]
        assert updated.agreement.signed_on == date(2024, 1, 2)
        assert updated.version == acme.version + 1
        summary = await AuditEvent.select().where(AuditEvent.action == AuditAction.IMPORT.value).first()
        assert summary["entity"] == "import" and summary["organisation_id"] == organisation_id
        assert '"test vendors.xlsx"' in str(summary["after"]) or "test vendors.xlsx" in str(summary["after"])
        created = await AuditEvent.select().where(
            (AuditEvent.entity == "processor") & (AuditEvent.action == "create") & (AuditEvent.entity_id == result.created[0])
        ).first()
        assert "test vendors.xlsx" in str(created["after"]) and created["actor"] == "dpo@example.test"

    run(scenario())


# ------------------------------------------------------------------ conflicts and failures write nothing


def test_a_register_changed_since_the_preview_is_a_conflict_and_nothing_is_written(run, database):
    async def scenario():
        organisation_id = await new_organisation()
        acme = await changes.create_processor(organisation_id, {"legal_name": "Acme SAS"}, "test")
        preview = await preview_file(xlsx_of(VENDORS), "vendors.xlsx", organisation_id)
        assert [row.action for row in preview.rows] == ["update", "create"]
        await changes.update_processor(organisation_id, acme.id, {"website": "https://acme.example"}, acme.version, "someone")
        await changes.create_processor(organisation_id, {"legal_name": "Globex"}, "someone else")
        before = (await Processor.count(), await AuditEvent.count())
        with pytest.raises(Conflict, match="changed since the preview"):
            await apply_preview(preview, organisation_id, "dpo@example.test", "late")
        assert (await Processor.count(), await AuditEvent.count()) == before

    run(scenario())


def test_a_preview_of_another_organisation_is_not_found(run, database):
    async def scenario():
        mine, theirs = await new_organisation("Mine"), await new_organisation("Theirs")
        preview = await preview_file(xlsx_of(VENDORS), "vendors.xlsx", theirs)
        with pytest.raises(NotFound):
            await apply_preview(preview, mine, "dpo@example.test", "sneaky")
        assert await Processor.count() == 0
        with pytest.raises(NotFound):
            await load_register_for_import(9999)

    run(scenario())


def test_a_failure_while_writing_rolls_the_whole_import_back(run, database, monkeypatch):
    from register.store import intake

    async def scenario():
        organisation_id = await new_organisation()
        preview = await preview_file(xlsx_of(VENDORS), "vendors.xlsx", organisation_id)
        original = intake.insert_many

        async def failing(table, rows):
            if table.__name__ == "Agreement":
                raise RuntimeError("disk full")
            return await original(table, rows)

        monkeypatch.setattr(intake, "insert_many", failing)
        before = await AuditEvent.count()
        with pytest.raises(RuntimeError):
            await apply_preview(preview, organisation_id, "dpo@example.test", "broken")
        assert await Processor.count() == 0 and await AuditEvent.count() == before

    run(scenario())


# ------------------------------------------------------------------ the CNIL workbook, into the register


def test_the_cnil_workbook_imports_processors_and_privacy_shield_covers_nothing(run, database):
    async def scenario():
        organisation_id = await new_organisation()
        content = cnil_workbook(CNIL_RECORDS)
        preview, result = await import_file(content, "registre.xlsx", organisation_id)
        assert len(result.created) == 6 and preview.counts.error == 0
        register = {p.legal_name: p for p in await reads.load_register(organisation_id)}
        assert register["Mailjet SAS"].purposes == ("Gestion des clients", "Gestion de la paie")
        relation = register["RelationCloud Inc."]
        assert [(s.country, s.mechanism) for s in relation.safeguards] == [("US", TransferMechanism.PRIVACY_SHIELD)]
        findings = assess_processor(relation, as_of=AS_OF).findings
        assert "PRIVACY_SHIELD_INVALID" in {f.code for f in findings}
        routes = assess_processor(relation, as_of=AS_OF).transfers
        assert [route.coverage for route in routes if route.country == "US"] == ["not_covered"]
        # Japan is judged from the register's adequacy data, whatever the workbook said
        tokyo = assess_processor(register["Support Tokyo KK"], as_of=AS_OF).transfers
        assert [route.coverage for route in tokyo if route.country == "JP"] == ["covered"]
        again = await preview_file(content, "registre.xlsx", organisation_id)
        assert again.counts.importable == 0

    run(scenario())


# ------------------------------------------------------------------ the command line


def test_import_sheet_on_the_command_line(run, database, tmp_path: Path, capsys):
    organisation_id = run(new_organisation())
    sheet = tmp_path / "vendors.xlsx"
    sheet.write_bytes(xlsx_of(VENDORS))
    assert main(["import-sheet", str(sheet), "--organisation", str(organisation_id), "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert "2 processor(s) would be created" in err and "Dry run" in err
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(out)
    assert ColumnMapping.from_toml(out).columns["legal_name"] == "Fournisseur"
    assert run(Processor.count()) == 0
    assert main(["import-sheet", str(sheet), "--organisation", str(organisation_id), "--mapping", str(mapping)]) == 0
    assert "2 processor(s) were created" in capsys.readouterr().err
    assert main(["import-sheet", str(sheet), "--organisation", str(organisation_id), "--mapping", str(mapping)]) == 0
    assert "2 unchanged" in capsys.readouterr().err


def test_import_sheet_exits_non_zero_when_nothing_can_be_imported(run, database, tmp_path: Path, capsys):
    organisation_id = run(new_organisation())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_of([["Fournisseur", "Pays du siège"], ["Acme", "Narnia"]]))
    assert main(["import-sheet", str(bad), "--organisation", str(organisation_id)]) == 1
    assert "row 2, column B" in capsys.readouterr().err
    renamed = tmp_path / "vendors.csv"
    renamed.write_bytes(xlsx_of(VENDORS))
    assert main(["import-sheet", str(renamed), "--organisation", str(organisation_id)]) == 1
    assert "refused" in capsys.readouterr().err
    assert run(Processor.count()) == 0
