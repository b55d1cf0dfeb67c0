"""Reading the audit trail (nothing here or anywhere deletes it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from register.tables import AuditEvent


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    occurred_at: datetime
    actor: str
    entity: str
    entity_id: int | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    items: tuple[AuditRecord, ...]
    total: int
    page: int
    per_page: int


async def load_audit_page(organisation_id: int, page: int, per_page: int) -> AuditPage:
    """The organisation's audit events, newest first."""
    condition = AuditEvent.organisation_id == organisation_id
    total = await AuditEvent.count().where(condition)
    rows = (
        await AuditEvent.select()
        .where(condition)
        .order_by(AuditEvent.id, ascending=False)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .output(load_json=True)
    )
    items = tuple(
        AuditRecord(**{k: row[k] for k in AuditRecord.__dataclass_fields__}) for row in rows
    )
    return AuditPage(items=items, total=total, page=page, per_page=per_page)
