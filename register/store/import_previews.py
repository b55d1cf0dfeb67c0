"""Spreadsheet imports waiting for a person (issue 11): stored previews and saved mappings.

An uploaded sheet becomes a **preview**: a proposal stored under a random,
unguessable public id with its file, the mapping used and what an import would
do. Nothing reaches the register until someone commits it; a preview left
unconfirmed expires (``IMPORT_PREVIEW_HOURS``) and is deleted (``register
purge``, and opportunistically at each upload).

Commit is atomic: the status moves from ``pending`` to ``committed`` by one
UPDATE whose WHERE names the status, the version the user confirmed and the
expiry, in the same transaction as the import itself; of two commits at once
exactly one wins, and a failed import leaves the preview pending and the
register unchanged.

Mappings and previews are stored as the intake engine's JSON documents; this
module does not interpret them (the web layer converts them to the engine's
types).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Callable

import msgspec

from register.settings import import_preview_lifetime_hours
from register.store.errors import Conflict, NotFound, StaleVersion
from register.store.reads import organisation_row
from register.store.writes import record_audit, write_transaction
from register.tables import ImportMapping, ImportPreview
from register.vocabulary import AuditAction

PREVIEW_ENTITY = "import_preview"
MAPPING_ENTITY = "import_mapping"
PENDING, COMMITTED = "pending", "committed"
PUBLIC_ID_BYTES = 24  # 192 random bits, 32 URL-safe characters


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_public_id() -> str:
    return secrets.token_urlsafe(PUBLIC_ID_BYTES)


def preview_lifetime() -> timedelta:
    return timedelta(hours=import_preview_lifetime_hours())


def as_text(value: Any) -> str:
    """A JSON column as its text (SQLite gives text, PostgreSQL may give decoded values)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    return msgspec.json.encode(value).decode()


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# ------------------------------------------------------------------ previews


@dataclass(frozen=True, slots=True)
class StoredPreview:
    public_id: str
    organisation_id: int
    created_by: str
    created_at: datetime
    expires_at: datetime
    file_name: str
    sha256: str
    size_bytes: int
    mapping_json: str
    preview_json: str
    status: str
    committed_by: str | None
    committed_at: datetime | None
    outcome_json: str | None
    version: int
    content: bytes | None = None  # only when asked for (to preview again)

    @property
    def pending(self) -> bool:
        return self.status == PENDING


SUMMARY_COLUMNS = (
    ImportPreview.public_id,
    ImportPreview.organisation,
    ImportPreview.created_by,
    ImportPreview.created_at,
    ImportPreview.expires_at,
    ImportPreview.file_name,
    ImportPreview.sha256,
    ImportPreview.size_bytes,
    ImportPreview.mapping,
    ImportPreview.preview,
    ImportPreview.status,
    ImportPreview.committed_by,
    ImportPreview.committed_at,
    ImportPreview.outcome,
    ImportPreview.version,
)


def _preview_of(row: dict[str, Any]) -> StoredPreview:
    content = row.get("content")
    return StoredPreview(
        public_id=row["public_id"],
        organisation_id=row["organisation"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        file_name=row["file_name"],
        sha256=row["sha256"],
        size_bytes=row["size_bytes"],
        mapping_json=as_text(row["mapping"]),
        preview_json=as_text(row["preview"]),
        status=row["status"],
        committed_by=row["committed_by"],
        committed_at=row["committed_at"],
        outcome_json=None if row["outcome"] is None else as_text(row["outcome"]),
        version=row["version"],
        content=bytes(content) if content is not None else None,
    )


def _live(organisation_id: int, public_id: str, moment: datetime) -> Any:
    """The organisation's preview with this id, not yet expired."""
    return (
        (ImportPreview.public_id == public_id)
        & (ImportPreview.organisation == organisation_id)
        & (ImportPreview.expires_at > moment)
    )


async def _preview_row(organisation_id: int, public_id: str, with_content: bool = False) -> dict[str, Any]:
    columns = [*SUMMARY_COLUMNS, ImportPreview.content] if with_content else list(SUMMARY_COLUMNS)
    row = await ImportPreview.select(*columns).where(_live(organisation_id, public_id, now())).first()
    if row is None:
        raise NotFound(PREVIEW_ENTITY, public_id)
    return row


async def load_preview(organisation_id: int, public_id: str, with_content: bool = False) -> StoredPreview:
    """The organisation's preview; another organisation's, an unknown or an expired one is not found."""
    return _preview_of(await _preview_row(organisation_id, public_id, with_content))


async def list_previews(organisation_id: int) -> list[StoredPreview]:
    """The organisation's live previews, newest first (without their files)."""
    rows = (
        await ImportPreview.select(*SUMMARY_COLUMNS)
        .where((ImportPreview.organisation == organisation_id) & (ImportPreview.expires_at > now()))
        .order_by(ImportPreview.created_at, ascending=False)
        .order_by(ImportPreview.id, ascending=False)
    )
    return [_preview_of(row) for row in rows]


async def store_preview(
    organisation_id: int,
    actor: str,
    file_name: str,
    content: bytes,
    mapping_json: str,
    preview_json: str,
) -> StoredPreview:
    """Keep an uploaded sheet and its preview; nothing of the register changes."""
    moment = now()
    public_id = new_public_id()
    await purge_expired_previews(moment)
    async with write_transaction(organisation_id):
        await organisation_row(organisation_id)
        await ImportPreview.insert(
            ImportPreview(
                public_id=public_id,
                organisation=organisation_id,
                created_by=actor,
                created_at=moment,
                expires_at=moment + preview_lifetime(),
                file_name=file_name,
                sha256=sha256_of(content),
                size_bytes=len(content),
                content=content,
                mapping=mapping_json,
                preview=preview_json,
                status=PENDING,
            )
        )
    return await load_preview(organisation_id, public_id)


async def _refusal(organisation_id: int, public_id: str, version: int | None) -> Exception:
    """Why a conditional UPDATE of a preview matched nothing."""
    row = await ImportPreview.select(ImportPreview.status, ImportPreview.version).where(
        _live(organisation_id, public_id, now())
    ).first()
    if row is None:
        return NotFound(PREVIEW_ENTITY, public_id)
    if row["status"] != PENDING:
        return Conflict(f"import preview {public_id} was already committed")
    assert version is not None
    return StaleVersion(PREVIEW_ENTITY, public_id, version, row["version"])


async def replace_preview(
    organisation_id: int, public_id: str, mapping_json: str, preview_json: str, version: int | None = None
) -> StoredPreview:
    """Store the preview made with an edited mapping (only while pending); the version moves on."""
    async with write_transaction(organisation_id):
        condition = _live(organisation_id, public_id, now()) & (ImportPreview.status == PENDING)
        if version is not None:
            condition &= ImportPreview.version == version
        changed = await ImportPreview.update(
            {
                ImportPreview.mapping: mapping_json,
                ImportPreview.preview: preview_json,
                ImportPreview.version: ImportPreview.version + 1,
            }
        ).where(condition).returning(ImportPreview.id)
        if not changed:
            raise await _refusal(organisation_id, public_id, version)
    return await load_preview(organisation_id, public_id)


Apply = Callable[[StoredPreview], Awaitable[Any]]


async def commit_preview(
    organisation_id: int, public_id: str, version: int, actor: str, apply: Apply
) -> StoredPreview:
    """Mark the preview committed and run ``apply`` (the import itself) in one transaction.

    ``apply`` receives the preview, writes the import with its audit events (naming the import)
    and returns the outcome (a msgspec-encodable value), which is stored. The status check is inside the UPDATE: of several commits at once exactly one
    finds the preview pending; the others get :class:`Conflict` (or :class:`StaleVersion`).
    Whatever ``apply`` raises rolls the whole commit back, the preview stays pending.
    """
    async with write_transaction(organisation_id):
        moment = now()
        claimed = await ImportPreview.update(
            {
                ImportPreview.status: COMMITTED,
                ImportPreview.committed_by: actor,
                ImportPreview.committed_at: moment,
                ImportPreview.version: version + 1,
                ImportPreview.content: b"",  # the file is not needed any more
                # kept for the result page as long as a pending preview would have been
                ImportPreview.expires_at: moment + preview_lifetime(),
            }
        ).where(
            _live(organisation_id, public_id, moment)
            & (ImportPreview.status == PENDING)
            & (ImportPreview.version == version)
        ).returning(ImportPreview.id)
        if not claimed:
            raise await _refusal(organisation_id, public_id, version)
        stored = _preview_of(await _preview_row(organisation_id, public_id))
        outcome = msgspec.json.encode(await apply(stored)).decode()
        await ImportPreview.update({ImportPreview.outcome: outcome}).where(ImportPreview.id == claimed[0]["id"])
    return await load_preview(organisation_id, public_id)


async def delete_preview(organisation_id: int, public_id: str) -> None:
    """Drop a pending preview (the user gave up); a committed one stays until it expires."""
    async with write_transaction(organisation_id):
        deleted = await ImportPreview.delete().where(
            _live(organisation_id, public_id, now()) & (ImportPreview.status == PENDING)
        ).returning(ImportPreview.id)
        if not deleted:
            raise await _refusal(organisation_id, public_id, None)


async def purge_expired_previews(moment: datetime | None = None) -> int:
    """Delete every preview past its expiry (pending ones never confirmed, committed ones kept
    for their result page); returns how many."""
    deleted = await ImportPreview.delete().where(ImportPreview.expires_at <= (moment or now())).returning(
        ImportPreview.id
    )
    return len(deleted)


# ------------------------------------------------------------------ saved mappings


@dataclass(frozen=True, slots=True)
class SavedMapping:
    id: int
    organisation_id: int
    name: str
    mapping_json: str
    saved_by: str
    saved_at: datetime
    version: int


def _mapping_of(row: dict[str, Any]) -> SavedMapping:
    return SavedMapping(
        id=row["id"],
        organisation_id=row["organisation"],
        name=row["name"],
        mapping_json=as_text(row["mapping"]),
        saved_by=row["saved_by"],
        saved_at=row["saved_at"],
        version=row["version"],
    )


async def list_mappings(organisation_id: int) -> list[SavedMapping]:
    rows = await ImportMapping.select().where(ImportMapping.organisation == organisation_id).order_by(
        ImportMapping.name
    )
    return [_mapping_of(row) for row in rows]


async def load_mapping(organisation_id: int, mapping_id: int) -> SavedMapping:
    row = await ImportMapping.select().where(
        (ImportMapping.id == mapping_id) & (ImportMapping.organisation == organisation_id)
    ).first()
    if row is None:
        raise NotFound(MAPPING_ENTITY, mapping_id)
    return _mapping_of(row)


def _summary(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the audit trail keeps of a saved mapping: its name, and how it reads and matches rows."""
    if row is None:
        return None
    mapping = msgspec.json.decode(as_text(row["mapping"]))
    return {
        "name": row["name"],
        "kind": mapping.get("kind"),
        "key": mapping.get("key"),
        "columns": len(mapping.get("columns") or {}),
    }


async def save_mapping(organisation_id: int, name: str, mapping_json: str, actor: str) -> SavedMapping:
    """Save the mapping under ``name``, replacing the organisation's mapping of that name."""
    async with write_transaction(organisation_id):
        await organisation_row(organisation_id)
        named = (ImportMapping.organisation == organisation_id) & (ImportMapping.name == name)
        before = await ImportMapping.select().where(named).first()
        if before is None:
            await ImportMapping.insert(
                ImportMapping(organisation=organisation_id, name=name, mapping=mapping_json, saved_by=actor)
            )
        else:
            await ImportMapping.update(
                {
                    ImportMapping.mapping: mapping_json,
                    ImportMapping.saved_by: actor,
                    ImportMapping.saved_at: now(),
                    ImportMapping.version: ImportMapping.version + 1,
                }
            ).where(ImportMapping.id == before["id"])
        after = await ImportMapping.select().where(named).first()
        assert after is not None
        if before is None or as_text(before["mapping"]) != as_text(after["mapping"]):
            action = AuditAction.CREATE if before is None else AuditAction.UPDATE
            await record_audit(
                organisation_id, actor, MAPPING_ENTITY, after["id"], action, _summary(before), _summary(after)
            )
    return _mapping_of(after)


async def delete_mapping(organisation_id: int, mapping_id: int, actor: str) -> None:
    async with write_transaction(organisation_id):
        before = await ImportMapping.select().where(
            (ImportMapping.id == mapping_id) & (ImportMapping.organisation == organisation_id)
        ).first()
        if before is None:
            raise NotFound(MAPPING_ENTITY, mapping_id)
        await ImportMapping.delete().where(ImportMapping.id == mapping_id)
        await record_audit(organisation_id, actor, MAPPING_ENTITY, mapping_id, AuditAction.DELETE, _summary(before), None)
