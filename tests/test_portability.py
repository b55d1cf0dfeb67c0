"""Export and import of a whole organisation: exact round trip, refusal writes nothing."""

from __future__ import annotations

import json

import pytest

from register.cli import main
from register.demo import DEMO_ORGANISATION_NAME, demo_document
from register.store.portability import (
    ImportRefused,
    export_organisation,
    import_document,
    import_organisation,
)
from register.store import reads
from register.tables import AuditEvent, Organisation, Processor, SubProcessor


async def _demo_organisation() -> int:
    return await import_document(demo_document(), "test")


def test_export_import_export_is_byte_identical(run, database):
    async def scenario() -> tuple[bytes, bytes]:
        first = await export_organisation(await _demo_organisation())
        copy_id = await import_organisation(first, "test")
        return first, await export_organisation(copy_id)

    first, second = run(scenario())
    assert first == second
    document = json.loads(first)
    assert document["organisation"]["name"] == DEMO_ORGANISATION_NAME
    assert len(document["processors"]) == 6


def test_import_keeps_every_relation(run, database):
    async def scenario() -> None:
        original_id = await _demo_organisation()
        copy_id = await import_organisation(await export_organisation(original_id), "test")
        original = await reads.load_register(original_id)
        copy = await reads.load_register(copy_id)
        ids_in_copy = {p.id for p in copy}
        for before, after in zip(original, copy, strict=True):
            assert after.legal_name == before.legal_name
            assert len(after.locations) == len(before.locations)
            assert [s.name for s in after.sub_processors] == [s.name for s in before.sub_processors]
            for sub in after.sub_processors:
                if sub.registered_processor_id is not None:
                    assert sub.registered_processor_id in ids_in_copy  # remapped, not copied
            own_sub_ids = {s.id for s in after.sub_processors}
            for safeguard in after.safeguards:
                assert safeguard.sub_processor_id is None or safeguard.sub_processor_id in own_sub_ids
            if before.agreement:
                assert [c.item for c in after.agreement.clauses] == [c.item for c in before.agreement.clauses]

    run(scenario())


def test_the_recipient_scope_facts_survive_export_and_import(run, database):
    """dpf_certified, pipeda_scope and lgpd_scope: yes / no / unknown, each kept as it was."""

    async def scenario() -> None:
        exported = json.loads(await export_organisation(await _demo_organisation()))
        subs = {s["name"]: s for p in exported["processors"] for s in p["sub_processors"]}
        assert subs["Envio Brasil Ltda"]["lgpd_scope"] is True
        assert subs["Maple Mail Services Inc."]["pipeda_scope"] is False
        assert subs["Maple Mail Services Inc."]["lgpd_scope"] is None
        assert all("lgpd_scope" in p for p in exported["processors"])
        copy = await reads.load_register(await import_organisation(json.dumps(exported).encode(), "test"))
        copied = {s.name: s for p in copy for s in p.sub_processors}
        assert copied["Envio Brasil Ltda"].lgpd_scope is True
        assert (copied["Maple Mail Services Inc."].pipeda_scope, copied["Maple Mail Services Inc."].lgpd_scope) == (False, None)

    run(scenario())


def _valid_export(run) -> dict:
    async def scenario() -> bytes:
        return await export_organisation(await _demo_organisation())

    return json.loads(run(scenario()))


def _named(document: dict, trade_name: str) -> dict:
    return next(p for p in document["processors"] if p["trade_name"] == trade_name)


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [
        (lambda d: _named(d, "Enrichly")["locations"][0].update(country="XX"), "country"),
        (lambda d: _named(d, "Enrichly")["sub_processors"][0].update(registered_processor_id=99), "registered_processor_id"),
        (lambda d: _named(d, "Enrichly")["safeguards"][0].update(sub_processor_id=42), "sub_processor_id"),
        (lambda d: _named(d, "Enrichly")["agreement"]["clauses"][0].update(item="art99"), "item"),
        (lambda d: d["processors"][2].update(retention_months=-3), "retention_months"),
        (lambda d: d["processors"][3].update(key=1), "key"),
        (lambda d: d.update(format_version=7), "format_version"),
        (lambda d: d["processors"][4].pop("legal_name"), "legal_name"),
    ],
)
def test_invalid_file_is_refused_with_reason_and_writes_nothing(run, database, breakage, reason):
    document = _valid_export(run)
    breakage(document)

    async def scenario() -> None:
        counts = (await Organisation.count(), await Processor.count(), await AuditEvent.count())
        with pytest.raises(ImportRefused, match=reason):
            await import_organisation(json.dumps(document).encode(), "test")
        assert (await Organisation.count(), await Processor.count(), await AuditEvent.count()) == counts

    run(scenario())


def test_truncated_file_is_refused(run, database):
    with pytest.raises(ImportRefused, match="JSON"):
        run(import_organisation(b'{"format": "gdpr-processor-register", "organ', "test"))


def test_cli_export_then_import(run, database, tmp_path, capsys):
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0  # loading it twice keeps one copy
    exported = tmp_path / "register.json"
    assert main(["export", "--format", "json", "--output", str(exported)]) == 0
    assert main(["import", str(exported)]) == 0
    assert run(Organisation.count()) == 2
    assert run(SubProcessor.count()) == 2 * sum(
        len(p.sub_processors) for p in demo_document().processors
    )


def test_cli_export_asks_which_organisation_when_there_are_several(run, database, capsys):
    main(["demo"])
    run(Organisation.insert(Organisation(name="Second", country="BE")))
    with pytest.raises(SystemExit, match="--organisation"):
        main(["export"])


def test_cli_import_refuses_an_invalid_file(database, tmp_path, capsys, run):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "gdpr-processor-register", "format_version": 1, "organisation": {"name": "X", "country": "XX"}}')
    assert main(["import", str(broken)]) == 1
    assert "country" in capsys.readouterr().err
    assert run(Organisation.count()) == 0
