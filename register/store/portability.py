"""Export an organisation's whole register as JSON, and import it back.

The document's ``key`` fields are numbered in order (1, 2, 3…) instead of
database ids, so export → import → export reproduces the same bytes. An
import is validated whole (schema, country codes, Art. 28 items, every key a
reference points to) before one transaction writes it; an invalid file
writes nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import msgspec

from register.compliance import model
from register.schemas import (
    EXPORT_FORMAT,
    EXPORT_FORMAT_VERSION,
    AgreementFileRecord,
    AgreementRecord,
    ClauseRecord,
    LocationRecord,
    OrganisationInput,
    ProcessorRecord,
    RegisterExport,
    SafeguardRecord,
    SubProcessorRecord,
)
from register.store.changes import check_clause_item
from register.store.files import (
    StoredFile,
    blob_path,
    blob_relative_path,
    copy_blob,
    organisation_files,
    organisation_folder,
    remove_organisation_files,
)
from register.strict_json import JsonRefused, decode_strict
from register.store.errors import InvalidReference
from register.store.reads import load_organisation, load_register
from register.store.history import written_register
from register.store.writes import record_audit, write_transaction
from register.tables import (
    Agreement,
    AgreementFile,
    ClauseAssessment,
    Organisation,
    ProcessingLocation,
    Processor,
    SubProcessor,
    TransferSafeguard,
)
from register.store.records import to_columns
from register.vocabulary import AuditAction


class ImportRefused(ValueError):
    """The file cannot be imported; the message says why and where."""


# ---------------------------------------------------------------------- export


def _fields_of(record_type: type, value: Any, **overrides: Any) -> dict[str, Any]:
    names = [f.name for f in msgspec.structs.fields(record_type)]
    return {name: overrides[name] if name in overrides else getattr(value, name) for name in names}


def _as_list(values: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def _record_of(record_type: type, value: Any, **overrides: Any) -> Any:
    return record_type(**_as_list(_fields_of(record_type, value, **overrides)))


def export_document(
    organisation: model.Organisation,
    processors: list[model.Processor],
    stored_files: dict[int, list[StoredFile]] | None = None,
    files_directory: str | None = None,
) -> RegisterExport:
    """The register as one document; ``stored_files`` (by processor id) adds each processor's
    agreement files (metadata, and their path under ``files_directory``)."""
    stored_files = stored_files or {}
    processor_keys = {p.id: index for index, p in enumerate(processors, start=1)}
    records = []
    sub_processor_counter = 0
    for processor in processors:
        sub_processor_keys: dict[int | None, int] = {}
        subs = []
        for sub in processor.sub_processors:
            sub_processor_counter += 1
            sub_processor_keys[sub.id] = sub_processor_counter
            subs.append(
                _record_of(
                    SubProcessorRecord, sub, key=sub_processor_counter,
                    registered_processor_id=processor_keys.get(sub.registered_processor_id),
                )
            )
        agreement = None
        if processor.agreement is not None:
            clauses = [_record_of(ClauseRecord, c) for c in processor.agreement.clauses]
            agreement = _record_of(AgreementRecord, processor.agreement, clauses=clauses)
        records.append(
            _record_of(
                ProcessorRecord, processor,
                key=processor_keys[processor.id],
                locations=[_record_of(LocationRecord, loc) for loc in processor.locations],
                sub_processors=subs,
                agreement=agreement,
                safeguards=[
                    _record_of(SafeguardRecord, s, sub_processor_id=sub_processor_keys.get(s.sub_processor_id))
                    for s in processor.safeguards
                ],
                agreement_files=[file_record(f) for f in stored_files.get(processor.id, [])],
            )
        )
    return RegisterExport(
        format=EXPORT_FORMAT,
        format_version=EXPORT_FORMAT_VERSION,
        organisation=_record_of(OrganisationInput, organisation),
        processors=records,
        files_directory=files_directory if any(stored_files.values()) else None,
    )


def file_record(stored: StoredFile) -> AgreementFileRecord:
    return AgreementFileRecord(
        file_name=stored.file_name,
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=stored.uploaded_by,
        uploaded_at=stored.uploaded_at,
        path=blob_relative_path(stored.sha256),
    )


async def export_organisation(organisation_id: int) -> bytes:
    """The organisation's register as indented JSON (9 queries)."""
    organisation = await load_organisation(organisation_id)
    processors = await load_register(organisation_id)
    stored_files = await organisation_files(organisation_id)
    document = export_document(organisation, processors, stored_files, str(organisation_folder(organisation_id)))
    return msgspec.json.format(msgspec.json.encode(document), indent=2) + b"\n"


# ---------------------------------------------------------------------- import


def parse_export(content: bytes) -> RegisterExport:
    """Decode and check a whole export file; raise ImportRefused with the reason."""
    try:
        document = decode_strict(content, RegisterExport, allow_bom=True)
    except JsonRefused as error:
        raise ImportRefused(f"invalid register file: {error.field}: {error.message}") from None
    try:
        check_document_references(document)
    except InvalidReference as error:
        raise ImportRefused(f"invalid register file: {error}") from None
    return document


def _unique_keys(keys: list[int], where: str) -> set[int]:
    seen: set[int] = set()
    for key in keys:
        if key in seen:
            raise InvalidReference(where, f"key {key} is used twice")
        seen.add(key)
    return seen


def check_document_references(document: RegisterExport) -> None:
    processor_keys = _unique_keys([p.key for p in document.processors], "$.processors[].key")
    _unique_keys(
        [s.key for p in document.processors for s in p.sub_processors], "$.processors[].sub_processors[].key"
    )
    for index, processor in enumerate(document.processors):
        where = f"$.processors[{index}]"
        sub_keys = {s.key for s in processor.sub_processors}
        for sub_index, sub in enumerate(processor.sub_processors):
            target = sub.registered_processor_id
            if target is not None and (target not in processor_keys or target == processor.key):
                raise InvalidReference(
                    f"{where}.sub_processors[{sub_index}].registered_processor_id",
                    f"no other processor with key {target} in this file",
                )
        for s_index, safeguard in enumerate(processor.safeguards):
            if safeguard.sub_processor_id is not None and safeguard.sub_processor_id not in sub_keys:
                raise InvalidReference(
                    f"{where}.safeguards[{s_index}].sub_processor_id",
                    f"no sub-processor with key {safeguard.sub_processor_id} in this processor",
                )
        if processor.agreement is not None:
            items = [c.item for c in processor.agreement.clauses]
            for c_index, item in enumerate(items):
                try:
                    check_clause_item(item)
                except InvalidReference as error:
                    raise InvalidReference(f"{where}.agreement.clauses[{c_index}].item", str(error)) from None
            if len(set(items)) != len(items):
                raise InvalidReference(f"{where}.agreement.clauses", "an Art. 28 item is assessed twice")


def _columns(record: Any, *exclude: str) -> dict[str, Any]:
    return to_columns({k: v for k, v in msgspec.structs.asdict(record).items() if k not in exclude})


async def _insert_returning_id(table: Any, columns: dict[str, Any]) -> int:
    rows = await table.insert(table(**columns)).returning(table.id)
    return rows[0]["id"]


async def import_document(document: RegisterExport, actor: str, files_from: Path | None = None) -> int:
    """Write a checked document as a new organisation; returns its id.

    The agreement files' bytes are copied from ``files_from`` (default: the document's
    ``files_directory``), each checked against its SHA-256 before anything is written;
    a missing or altered file refuses the whole import.
    """
    sources = file_sources(document, files_from)
    organisation_id: int | None = None
    try:
        async with write_transaction():
            organisation_id = await _insert_returning_id(Organisation, _columns(document.organisation))
            processor_ids: dict[int, int] = {}
            for record in document.processors:
                columns = _columns(
                    record, "key", "locations", "sub_processors", "agreement", "safeguards", "agreement_files"
                )
                processor_ids[record.key] = await _insert_returning_id(
                    Processor, {**columns, "organisation": organisation_id}
                )
            for record in document.processors:
                await _import_owned(record, processor_ids)
            await _import_files(document, processor_ids, organisation_id, sources)
            await record_audit(
                organisation_id, actor, "organisation", organisation_id, AuditAction.IMPORT, None,
                {
                    "name": document.organisation.name,
                    "processors": len(document.processors),
                    # every row written, so that the register's history can be rebuilt from the trail
                    "register": await written_register(organisation_id),
                },
            )
    except BaseException:
        if organisation_id is not None and sources:
            remove_organisation_files(organisation_id)
        raise
    return organisation_id


def file_sources(document: RegisterExport, files_from: Path | None) -> dict[str, Path]:
    """The checked source of each stored file's bytes, by digest (refused: ImportRefused)."""
    records = [f for p in document.processors for f in p.agreement_files]
    if not records:
        return {}
    folder = files_from or (Path(document.files_directory) if document.files_directory else None)
    if folder is None:
        raise ImportRefused("invalid register file: $.files_directory: the file lists stored files but not where they are")
    sources: dict[str, Path] = {}
    for record in records:
        if record.sha256 in sources:
            continue
        source = folder / record.path
        try:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
        except OSError:
            raise ImportRefused(
                f"stored file {record.file_name!r} not found at {source}: copy the exported files directory "
                "and give it with --files DIR"
            ) from None
        if digest != record.sha256:
            raise ImportRefused(f"stored file {record.file_name!r} at {source} does not match its SHA-256")
        sources[record.sha256] = source
    return sources


async def _import_files(
    document: RegisterExport, processor_ids: dict[int, int], organisation_id: int, sources: dict[str, Path]
) -> None:
    rows = [
        AgreementFile(**_columns(f, "path"), processor=processor_ids[record.key])
        for record in document.processors
        for f in record.agreement_files
    ]
    if rows:
        await AgreementFile.insert(*rows)
    for digest, source in sources.items():
        copy_blob(source, blob_path(organisation_id, digest))


async def _import_owned(record: ProcessorRecord, processor_ids: dict[int, int]) -> None:
    processor_id = processor_ids[record.key]
    if record.locations:
        await ProcessingLocation.insert(
            *[ProcessingLocation(**_columns(loc), processor=processor_id) for loc in record.locations]
        )
    sub_ids: dict[int, int] = {}
    for sub in record.sub_processors:
        columns = _columns(sub, "key", "registered_processor_id")
        columns["registered_processor"] = processor_ids.get(sub.registered_processor_id)
        sub_ids[sub.key] = await _insert_returning_id(SubProcessor, {**columns, "processor": processor_id})
    if record.safeguards:
        await TransferSafeguard.insert(
            *[
                TransferSafeguard(
                    **_columns(s, "sub_processor_id"),
                    sub_processor=sub_ids.get(s.sub_processor_id),
                    processor=processor_id,
                )
                for s in record.safeguards
            ]
        )
    if record.agreement is not None:
        agreement_id = await _insert_returning_id(
            Agreement, {**_columns(record.agreement, "clauses"), "processor": processor_id}
        )
        if record.agreement.clauses:
            await ClauseAssessment.insert(
                *[ClauseAssessment(**_columns(c), agreement=agreement_id) for c in record.agreement.clauses]
            )


async def import_organisation(content: bytes, actor: str, files_from: Path | None = None) -> int:
    return await import_document(parse_export(content), actor, files_from)
