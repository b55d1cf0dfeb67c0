"""Files of a processor's agreement (vendors' DPAs): bytes on disk, metadata in the database.

Storage
    ``FILES_DIR/<organisation id>/<sha256[:2]>/<sha256>``: content-addressed
    within the organisation's folder, so two versions with the same bytes share
    one file, and an organisation's files can be removed (or backed up) as one
    folder. The database row (:class:`register.tables.AgreementFile`) holds
    the name, sniffed media type, size, digest, uploader and date.

Atomicity
    The bytes are first written to a temporary file in ``FILES_DIR/.incoming``
    (flushed and fsynced, off the event loop). Then, inside the organisation's
    write transaction (which serialises writes to its register, see
    :mod:`register.store.writes`), the temporary file is renamed into place
    and the row and its audit event are inserted; any error inside the
    transaction removes a file it had just placed. A deleted row's file is
    removed in the deleting transaction when no other row of the organisation
    names the same digest. An upload that fails or is interrupted leaves no row
    and no file (at worst an unreferenced temporary file on a crash).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio.to_thread

from register.database import DATABASE, DB
from register.reading import EXTENSIONS, SUPPORTED_MEDIA_TYPES, ReadingError, sniff_media_type
from register.reading.sniff import DOCM
from register.settings import files_dir, files_max_bytes
from register.store.errors import NotFound, StoreError
from register.store.writes import delete_row, insert_row, write_transaction
from register.tables import AgreementFile, Processor

INCOMING = ".incoming"
NAME_LENGTH = 200


class FileRefused(StoreError):
    """An uploaded file the register does not keep: ``status`` is the HTTP answer (400, 413, 415),
    ``reason`` the reader's error, whose message exists in French and English."""

    def __init__(self, reason: ReadingError, status: int = 400, field: str = "file") -> None:
        super().__init__(f"{field}: {reason.message('en')}")
        self.reason = reason
        self.field = field
        self.status = status


@dataclass(frozen=True, slots=True)
class StoredFile:
    """The metadata of one stored file (its bytes are read with :func:`file_content`)."""

    id: int
    processor_id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def stored_file(row: dict[str, Any]) -> StoredFile:
    return StoredFile(
        id=row["id"],
        processor_id=row["processor"],
        file_name=row["file_name"],
        media_type=row["media_type"],
        size=row["size"],
        sha256=row["sha256"],
        uploaded_by=row["uploaded_by"],
        uploaded_at=row["uploaded_at"],
    )


# ------------------------------------------------------------------ where the bytes are


def files_root() -> Path:
    """The files directory for the configured database (see :func:`register.settings.files_dir`)."""
    return files_dir(DATABASE, getattr(DB, "path", None))


def organisation_folder(organisation_id: int) -> Path:
    return files_root() / str(organisation_id)


def blob_path(organisation_id: int, sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a SHA-256 digest: {sha256!r}")
    return organisation_folder(organisation_id) / blob_relative_path(sha256)


def blob_relative_path(sha256: str) -> str:
    """Where a digest's bytes are within an organisation's folder (and in exports): ``ab/abcd…``."""
    return f"{sha256[:2]}/{sha256}"


def copy_blob(source: Path, target: Path) -> None:
    """Copy a stored file into place (temporary file, then rename); kept if already there."""
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def clean_file_name(name: str, extension: str) -> str:
    """The uploaded name without any folder part or control character, at most 200 characters,
    ending with the extension of the sniffed type (``contrat.pdf``; a name missing or
    contradicting the content gets the content's extension appended)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C").strip(" .")
    if not base.lower().endswith(extension):
        base = f"{base}{extension}" if base else f"dpa{extension}"
    stem = base[: -len(extension)][: NAME_LENGTH - len(extension)].strip() or "dpa"
    return f"{stem}{extension}"


def media_type_of(content: bytes) -> str:
    """The media type sniffed from the bytes; refused (415) unless the reader can read that kind of file
    (a macro-enabled Word file is refused: macros are never kept, let alone run)."""
    media_type = sniff_media_type(content)
    if media_type == DOCM:
        raise FileRefused(ReadingError("macros"), status=415)
    if media_type not in SUPPORTED_MEDIA_TYPES:
        raise FileRefused(ReadingError("unsupported", media_type=media_type or "binary"), status=415)
    return media_type


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def check_size(size: int) -> None:
    limit = files_max_bytes()
    if size > limit:
        raise FileRefused(ReadingError("too_large", size=_megabytes(size), limit=_megabytes(limit)), status=413)
    if size == 0:
        raise FileRefused(ReadingError("empty"))


def _write_incoming(content: bytes) -> Path:
    """The bytes in a temporary file of the files directory (same file system: the rename is atomic)."""
    incoming = files_root() / INCOMING
    incoming.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=incoming, suffix=".partial")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def _place(incoming: Path, target: Path) -> bool:
    """Move the incoming file to ``target``; True when the target did not exist before."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return False
    os.replace(incoming, target)
    return True


def remove_unreferenced(organisation_id: int, digests: set[str], referenced: set[str]) -> None:
    """Delete the files of ``digests`` no row still names (call inside the organisation's transaction)."""
    for digest in digests - referenced:
        path = blob_path(organisation_id, digest)
        path.unlink(missing_ok=True)


def remove_organisation_files(organisation_id: int) -> None:
    shutil.rmtree(organisation_folder(organisation_id), ignore_errors=True)


# ------------------------------------------------------------------ reads


async def require_processor(organisation_id: int, processor_id: int) -> None:
    if not await Processor.exists().where((Processor.id == processor_id) & (Processor.organisation == organisation_id)):
        raise NotFound("processor", processor_id)


def _in_organisation(organisation_id: int, processor_id: int) -> Any:
    return (AgreementFile.processor == processor_id) & (AgreementFile.processor.organisation == organisation_id)


async def list_agreement_files(organisation_id: int, processor_id: int) -> list[StoredFile]:
    """The processor's files, oldest first (the last one is the latest version)."""
    rows = (
        await AgreementFile.select(*AgreementFile.all_columns())
        .where(_in_organisation(organisation_id, processor_id))
        .order_by(AgreementFile.id)
    )
    return [stored_file(row) for row in rows]


async def organisation_files(organisation_id: int) -> dict[int, list[StoredFile]]:
    """Every stored file of the organisation, by processor id, oldest first (one query)."""
    rows = (
        await AgreementFile.select(*AgreementFile.all_columns())
        .where(AgreementFile.processor.organisation == organisation_id)
        .order_by(AgreementFile.id)
    )
    grouped: dict[int, list[StoredFile]] = {}
    for row in rows:
        grouped.setdefault(row["processor"], []).append(stored_file(row))
    return grouped


async def load_agreement_file(organisation_id: int, processor_id: int, file_id: int) -> StoredFile:
    row = (
        await AgreementFile.select(*AgreementFile.all_columns())
        .where(_in_organisation(organisation_id, processor_id) & (AgreementFile.id == file_id))
        .first()
    )
    if row is None:
        raise NotFound("file", file_id)
    return stored_file(row)


def _read_bytes(path: Path) -> bytes:
    return path.read_bytes()


async def file_content(organisation_id: int, stored: StoredFile) -> bytes:
    """The stored bytes (read off the event loop); a missing or altered file is reported, not served."""
    path = blob_path(organisation_id, stored.sha256)
    try:
        content = await anyio.to_thread.run_sync(_read_bytes, path)
    except FileNotFoundError:
        raise NotFound("stored content of file", stored.id) from None
    return content


# ------------------------------------------------------------------ writes


async def add_agreement_file(
    organisation_id: int, processor_id: int, content: bytes, file_name: str, actor: str
) -> StoredFile:
    """Keep one uploaded file of the processor's agreement (see the module's notes on atomicity)."""
    check_size(len(content))
    media_type = media_type_of(content)
    digest = hashlib.sha256(content).hexdigest()
    columns = {
        "processor": processor_id,
        "file_name": clean_file_name(file_name, EXTENSIONS[media_type]),
        "media_type": media_type,
        "size": len(content),
        "sha256": digest,
        "uploaded_by": actor,
    }
    incoming = await anyio.to_thread.run_sync(_write_incoming, content)
    try:
        async with write_transaction(organisation_id):
            await require_processor(organisation_id, processor_id)
            target = blob_path(organisation_id, digest)
            placed = _place(incoming, target)
            try:
                row = await insert_row(AgreementFile, columns, organisation_id, actor)
            except BaseException:
                if placed:
                    target.unlink(missing_ok=True)
                raise
    finally:
        incoming.unlink(missing_ok=True)
    return stored_file(row)


async def delete_agreement_file(organisation_id: int, processor_id: int, file_id: int, actor: str) -> None:
    """Delete the file's row (its readings go with it), audited; its bytes unless another row shares them."""
    async with write_transaction(organisation_id):
        stored = await load_agreement_file(organisation_id, processor_id, file_id)
        await delete_row(AgreementFile, AgreementFile.id == file_id, file_id, organisation_id, actor)
        still = await AgreementFile.exists().where(
            (AgreementFile.sha256 == stored.sha256) & (AgreementFile.processor.organisation == organisation_id)
        )
        remove_unreferenced(organisation_id, {stored.sha256}, {stored.sha256} if still else set())


async def organisation_digests(organisation_id: int, processor_id: int | None = None) -> set[str]:
    """The digests the organisation's rows (or one processor's) name."""
    condition = AgreementFile.processor.organisation == organisation_id
    if processor_id is not None:
        condition &= AgreementFile.processor == processor_id
    rows = await AgreementFile.select(AgreementFile.sha256).where(condition)
    return {row["sha256"] for row in rows}
