"""DPA files of a library vendor, and the reading that proposes the vendor's Art. 28 statuses.

The bytes are kept like a client's agreement files (:mod:`register.store.files`: sniffed
type, size caps, content-addressed, written to a temporary file then renamed inside the
write transaction), in the firm's own folder ``FILES_DIR/firm-<id>/`` — never in a client's.
Reading a file (``register.reading``, off the event loop) only *proposes* item statuses:
they reach the library when a keeper saves the vendor's facts (a new, audited version).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import anyio.to_thread

from register.reading import EXTENSIONS, ReadingError, read_dpa
from register.settings import files_max_bytes
from register.store.errors import NotFound
from register.store.files import (
    FileRefused,
    _place,
    _read_bytes,
    _write_incoming,
    blob_relative_path,
    check_size,
    clean_file_name,
    files_root,
    media_type_of,
)
from register.store.writes import record_audit, write_transaction
from register.tables import LibraryFile, LibraryVendor
from register.vocabulary import AuditAction, ClauseStatus

UNREADABLE = 422


@dataclass(frozen=True, slots=True)
class VendorFile:
    id: int
    vendor_id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


def _vendor_file(row: dict[str, Any]) -> VendorFile:
    return VendorFile(row["id"], row["vendor"], row["file_name"], row["media_type"], row["size"], row["sha256"],
                      row["uploaded_by"], row["uploaded_at"])  # fmt: skip


def firm_folder(firm_id: int) -> Path:
    """The firm's own folder (organisations' folders are named by their bare id)."""
    return files_root() / f"firm-{firm_id}"


def firm_blob_path(firm_id: int, sha256: str) -> Path:
    return firm_folder(firm_id) / blob_relative_path(sha256)


async def _require_vendor(firm_id: int, vendor_id: int) -> None:
    if not await LibraryVendor.exists().where((LibraryVendor.id == vendor_id) & (LibraryVendor.firm == firm_id)):
        raise NotFound("vendor", vendor_id)


async def list_vendor_files(firm_id: int, vendor_id: int) -> list[VendorFile]:
    await _require_vendor(firm_id, vendor_id)
    rows = await LibraryFile.select().where(LibraryFile.vendor == vendor_id).order_by(LibraryFile.id)
    return [_vendor_file(row) for row in rows]


async def load_vendor_file(firm_id: int, vendor_id: int, file_id: int) -> VendorFile:
    row = await LibraryFile.select().where(
        (LibraryFile.id == file_id) & (LibraryFile.vendor == vendor_id) & (LibraryFile.vendor.firm == firm_id)
    ).first()
    if row is None:
        raise NotFound("file", file_id)
    return _vendor_file(row)


async def vendor_file_content(firm_id: int, stored: VendorFile) -> bytes:
    try:
        return await anyio.to_thread.run_sync(_read_bytes, firm_blob_path(firm_id, stored.sha256))
    except FileNotFoundError:
        raise NotFound("stored content of file", stored.id) from None


async def add_vendor_file(firm_id: int, vendor_id: int, content: bytes, file_name: str, actor: str) -> VendorFile:
    """Keep one DPA file of the vendor (checked like a client's agreement file), audited."""
    check_size(len(content))
    media_type = media_type_of(content)
    digest = hashlib.sha256(content).hexdigest()
    name = clean_file_name(file_name, EXTENSIONS[media_type])
    incoming = await anyio.to_thread.run_sync(_write_incoming, content)
    try:
        async with write_transaction():
            await _require_vendor(firm_id, vendor_id)
            target = firm_blob_path(firm_id, digest)
            placed = _place(incoming, target)
            try:
                inserted = await LibraryFile.insert(
                    LibraryFile(vendor=vendor_id, file_name=name, media_type=media_type, size=len(content),
                                sha256=digest, uploaded_by=actor)
                ).returning(LibraryFile.id)
                row = await LibraryFile.select().where(LibraryFile.id == inserted[0]["id"]).first()
                await record_audit(None, actor, "library_file", row["id"], AuditAction.CREATE, None,
                                   {"vendor": vendor_id, "file_name": name, "sha256": digest, "size": len(content)})
            except BaseException:
                if placed:
                    target.unlink(missing_ok=True)
                raise
    finally:
        incoming.unlink(missing_ok=True)
    return _vendor_file(row)


async def proposed_clause_statuses(firm_id: int, vendor_id: int, file_id: int, language: str) -> dict[str, ClauseStatus]:
    """What the reader finds for each Art. 28(3) item in the file: a proposal, nothing is written."""
    stored = await load_vendor_file(firm_id, vendor_id, file_id)
    content = await vendor_file_content(firm_id, stored)
    read = partial(read_dpa, content, filename=stored.file_name, language=language, max_bytes=files_max_bytes())
    try:
        reading = await anyio.to_thread.run_sync(read)
    except ReadingError as error:
        raise FileRefused(error, status=UNREADABLE) from None
    return {item_id: item.status for item_id, item in reading.items.items()}
