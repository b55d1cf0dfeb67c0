"""Queries that load the register: a constant number per call, whatever its size.

A processor with everything it owns, for one processor or for a whole
organisation's register, is one statement building a JSON document (both
engines, outside a transaction) or, inside a transaction, eight selects through
the ORM (processors, locations, sub-processors, agreements, clause
assessments, safeguards, the sub-processor change notices awaiting a decision, the link to the firm's
vendor library).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import msgspec
from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw

from register.compliance import model
from register.store.errors import NotFound  # noqa: F401  (re-exported for the API)
from register.store import lookups, register_document
from register.store.lookups import fetch_value
from register.store.records import from_row, processors_from_rows
from register.tables import (
    Agreement,
    ClauseAssessment,
    LibraryLink,
    Organisation,
    ProcessingLocation,
    Processor,
    SubProcessor,
    SubProcessorNotice,
    TransferSafeguard,
)
from register.vocabulary import NoticeStatus


@dataclass(frozen=True, slots=True)
class ProcessorFilters:
    """Filters of the processor list; ``None`` means "any"."""

    status: str | None = None
    category: str | None = None
    country: str | None = None  # headquarters or any processing location
    prospection_use: str | None = None
    name: str | None = None  # case-insensitive substring of legal or trade name


@dataclass(frozen=True, slots=True)
class ProcessorPage:
    items: tuple[model.Processor, ...]
    total: int
    page: int
    per_page: int


@dataclass(frozen=True, slots=True)
class ProcessorStatus:
    """What procurement may read of a processor: who it is and where it stands."""

    id: int
    legal_name: str
    trade_name: str
    category: str
    status: str


# ---------------------------------------------------------------- organisations


async def list_organisations() -> list[model.Organisation]:
    rows = await Organisation.select().order_by(Organisation.name)
    return [from_row(model.Organisation, row) for row in rows]


async def list_organisations_of(organisation_ids: list[int]) -> list[model.Organisation]:
    if not organisation_ids:
        return []
    rows = await Organisation.select().where(Organisation.id.is_in(organisation_ids)).order_by(Organisation.name)
    return [from_row(model.Organisation, row) for row in rows]


async def organisation_row(organisation_id: int) -> dict[str, Any]:
    row = await Organisation.select().where(Organisation.id == organisation_id).first()
    if row is None:
        raise NotFound("organisation", organisation_id)
    return row


async def load_organisation(organisation_id: int) -> model.Organisation:
    return from_row(model.Organisation, await organisation_row(organisation_id))


# ------------------------------------------------------------------ processors


async def _load_processors(
    processor_condition: Any, child_condition: Any
) -> list[model.Processor]:
    """The processors matching, with all they own, in a fixed number of queries:
    one JSON document outside a transaction, eight selects inside one.

    ``processor_condition`` is a Piccolo condition on ``Processor``;
    ``child_condition(path)`` builds the same condition for a column path that
    leads from a child table to its processor (e.g. ``SubProcessor.processor``).
    """
    if lookups.outside_transaction():
        return await _load_processors_as_document(processor_condition)
    return await _load_processors_through_orm(processor_condition, child_condition)


async def _load_processors_as_document(processor_condition: Any) -> list[model.Processor]:
    """One statement: the database builds the processors matching, with all they
    own, as one JSON document (:mod:`register.store.register_document`)."""
    ids = register_document.processor_ids_query(processor_condition)
    if lookups.reads_sqlite_directly():
        ids_sql, arguments = ids.compile_string(engine_type="sqlite")
        statement = register_document.sqlite_register_statement(ids_sql)
        document = await lookups.fetch_large_value(statement, arguments)
    else:
        document = await lookups.fetch_querystring_value(register_document.postgres_register_statement(ids))
    return register_document.decode_register(document)


async def _load_processors_through_orm(processor_condition: Any, child_condition: Any) -> list[model.Processor]:
    """Eight selects through the ORM, inside a transaction (whose uncommitted rows
    only its own connection sees); the reference the document path is tested against."""
    processor_rows = (
        await Processor.select()
        .where(processor_condition)
        .order_by(Processor.legal_name)
        .order_by(Processor.id)
    )
    if not processor_rows:
        return []
    # JSON columns arrive as text and are decoded with the row conversion.
    # Sequential on purpose: one connection may not run two queries at once
    # inside a PostgreSQL transaction.
    locations = await ProcessingLocation.select().where(
        child_condition(ProcessingLocation.processor)
    ).order_by(ProcessingLocation.id)
    sub_processors = await SubProcessor.select().where(
        child_condition(SubProcessor.processor)
    ).order_by(SubProcessor.id)
    agreements = await Agreement.select().where(child_condition(Agreement.processor))
    clauses = await ClauseAssessment.select(
        *ClauseAssessment.all_columns(), ClauseAssessment.agreement.processor.as_alias("_processor")
    ).where(child_condition(ClauseAssessment.agreement.processor)).order_by(ClauseAssessment.id)
    safeguards = await TransferSafeguard.select().where(
        child_condition(TransferSafeguard.processor)
    ).order_by(TransferSafeguard.id)
    notices = await SubProcessorNotice.select(
        SubProcessorNotice.id,
        SubProcessorNotice.processor,
        SubProcessorNotice.received_on,
        SubProcessorNotice.stated_notice_days,
        SubProcessorNotice.stated_business_days,
        SubProcessorNotice.status,
    ).where(
        child_condition(SubProcessorNotice.processor) & (SubProcessorNotice.status == NoticeStatus.PENDING.value)
    ).order_by(SubProcessorNotice.received_on).order_by(SubProcessorNotice.id)
    links = await LibraryLink.select(
        LibraryLink.processor,
        LibraryLink.vendor.as_alias("vendor_id"),
        LibraryLink.vendor.legal_name.as_alias("vendor_name"),
        LibraryLink.accepted_version,
        LibraryLink.vendor.version.as_alias("vendor_version"),
        LibraryLink.dismissed_version,
    ).where(child_condition(LibraryLink.processor))
    return processors_from_rows(
        processor_rows,
        _group(locations, "processor"),
        _group(sub_processors, "processor"),
        {row["processor"]: row for row in agreements},
        _group(clauses, "_processor"),
        _group(safeguards, "processor"),
        _group(notices, "processor"),
        {row["processor"]: row for row in links},
    )


def _group(rows: list[dict[str, Any]], key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


async def load_processor(processor_id: int, organisation_id: int | None = None) -> model.Processor:
    """One processor with everything it owns; ``organisation_id`` scopes the look-up."""
    condition = Processor.id == processor_id
    if organisation_id is not None:
        condition &= Processor.organisation == organisation_id
    found = await _load_processors(condition, lambda path: path == processor_id)
    if not found:
        raise NotFound("processor", processor_id)
    return found[0]


async def load_processor_chain(processor_id: int, organisation_id: int) -> dict[int, model.Processor]:
    """The processor and every registered processor its sub-processor chains lead to,
    by id: all that assessing this one processor reads (one statement per level of
    chain; eight selects inside a transaction)."""
    chain: dict[int, model.Processor] = {}
    wanted = [processor_id]
    while wanted:
        level = list(wanted)
        found = await _load_processors(
            Processor.id.is_in(level) & (Processor.organisation == organisation_id),
            lambda path: path.is_in(level),
        )
        chain.update({p.id: p for p in found})
        wanted = sorted(
            {s.registered_processor_id for p in found for s in p.sub_processors if s.registered_processor_id}
            - chain.keys()
        )
    if processor_id not in chain:
        raise NotFound("processor", processor_id)
    return chain


async def load_register(organisation_id: int) -> list[model.Processor]:
    """Every processor of an organisation with all it owns (one statement; eight selects inside a transaction)."""
    return await _load_processors(
        Processor.organisation == organisation_id,
        # from a child's processor column to that processor's organisation
        lambda path: path.organisation == organisation_id,
    )


async def load_register_rows(organisation_id: int) -> list[tuple[int, str]]:
    """Every processor of an organisation as (id, JSON object with all it owns),
    in the order of :func:`load_register`: one statement. Outside a transaction
    the text is the database's (unchanged rows give the same text); inside one
    it is the ORM's load, encoded."""
    condition = Processor.organisation == organisation_id
    if not lookups.outside_transaction():
        processors = await _load_processors_through_orm(condition, lambda path: path.organisation == organisation_id)
        return [(p.id, msgspec.json.encode(p).decode()) for p in processors]
    ids = register_document.processor_ids_query(condition)
    if lookups.reads_sqlite_directly():
        ids_sql, arguments = ids.compile_string(engine_type="sqlite")
        statement = register_document.sqlite_processor_rows_statement(ids_sql)
        rows = await lookups.fetch_large_rows(statement, arguments)
    else:
        rows = await Processor._meta.db.run_querystring(register_document.postgres_processor_rows_statement(ids))
    return [(row["id"], row["processor"]) for row in rows]


async def load_processor_page(
    organisation_id: int, filters: ProcessorFilters, page: int, per_page: int
) -> ProcessorPage:
    """A page of the filtered processor list: two queries whatever the page size
    (the count, then the page's processors, chosen by a subquery)."""
    condition = _filter_condition(organisation_id, filters)
    total = await Processor.count().where(condition)
    items: list[model.Processor] = []
    if (page - 1) * per_page < total:
        page_ids = (
            Processor.select(Processor.id)
            .where(condition)
            .order_by(Processor.legal_name)
            .order_by(Processor.id)
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        items = await _load_processors(Processor.id.is_in(page_ids), lambda path: path.is_in(page_ids))
    return ProcessorPage(items=tuple(items), total=total, page=page, per_page=per_page)


def _filter_condition(organisation_id: int, filters: ProcessorFilters) -> Any:
    condition = Processor.organisation == organisation_id
    if filters.status:
        condition &= Processor.status == filters.status
    if filters.category:
        condition &= Processor.category == filters.category
    if filters.prospection_use:
        condition &= Processor.prospection_use == filters.prospection_use
    if filters.name:
        condition &= _contains(Processor.legal_name, filters.name) | _contains(
            Processor.trade_name, filters.name
        )
    if filters.country:
        located_there = ProcessingLocation.select(ProcessingLocation.processor).where(
            ProcessingLocation.country == filters.country
        )
        condition &= (Processor.headquarters_country == filters.country) | Processor.id.is_in(
            located_there
        )
    return condition


async def list_processor_statuses(organisation_id: int) -> list[ProcessorStatus]:
    rows = await Processor.select(
        Processor.id, Processor.legal_name, Processor.trade_name, Processor.category, Processor.status
    ).where(Processor.organisation == organisation_id).order_by(Processor.legal_name)
    return [ProcessorStatus(**row) for row in rows]


LIKE_ESCAPE = "\\"


def like_pattern(text: str) -> str:
    """``%text%`` where the text's own %, _ and \\ match themselves."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: Column, text: str) -> Any:
    """Case-insensitive substring: ILIKE on PostgreSQL; SQLite's LIKE already ignores ASCII case.

    Piccolo's ``like`` has no ESCAPE clause (SQLite has no default escape character).
    """
    operator = "LIKE" if column._meta.engine_type == "sqlite" else "ILIKE"
    name = f'"{column._meta.table._meta.tablename}"."{column._meta.db_column_name}"'
    return WhereRaw(f"{name} {operator} {{}} ESCAPE '{LIKE_ESCAPE}'", like_pattern(text))


async def processor_organisation(processor_id: int) -> int:
    """The organisation a processor belongs to (the guard asks it on every request)."""
    organisation_id = await fetch_value("SELECT organisation FROM processor WHERE id = {}", processor_id)
    if organisation_id is None:
        raise NotFound("processor", processor_id)
    return organisation_id
