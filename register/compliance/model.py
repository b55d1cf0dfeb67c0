"""Plain values the compliance core reasons on.

The store loads database rows into these frozen dataclasses; the core never
sees a database row, an HTTP request or a Word document. Every field that a
rule needs and the record may not know is Optional: ``None`` means "not
recorded", which the rules report as unknown, never as compliant.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    NoticeStatus,
    ProcessorCategory,
    ProcessorRole,
    ProspectionUse,
    Severity,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)


T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an ``__init__`` that sets each slot
    through its descriptor, bound once, instead of a looked-up
    ``object.__setattr__(self, name, value)`` per field: a third faster for the
    values a register run builds by the hundred thousand (findings, their
    subjects and texts, transfer routes). Same parameters, defaults and
    result; the instances stay frozen."""
    params, body = [], []
    namespace: dict[str, object] = {}
    for item in dataclasses.fields(cls):
        if not item.init or item.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{item.name}: quick_init takes plain fields only")
        if item.default is dataclasses.MISSING:
            params.append(item.name)
        else:
            namespace[f"_default_{item.name}"] = item.default
            params.append(f"{item.name}=_default_{item.name}")
        namespace[f"_set_{item.name}"] = getattr(cls, item.name).__set__
        body.append(f"    _set_{item.name}(self, {item.name})\n")
    exec(f"def __init__(self, {', '.join(params)}):\n{''.join(body)}", namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    cls.__init__ = init  # type: ignore[misc]
    return cls


@dataclass(frozen=True, slots=True)
class Organisation:
    id: int | None
    name: str
    country: str  # ISO 3166-1 alpha-2
    dpo_name: str = ""
    dpo_email: str = ""
    lead_authority: str = ""
    address: str = ""  # postal address (Annex I / IV of the DPA)
    contact_name: str = ""
    contact_position: str = ""
    contact_email: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class Location:
    """A country where the processor itself handles the data."""

    id: int | None
    country: str
    activity: LocationActivity
    note: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class SubProcessor:
    """A sub-processor engaged by the processor (Art. 28(2), 28(4))."""

    id: int | None
    name: str
    countries: tuple[str, ...]
    purpose: str = ""
    flowdown: Tristate = Tristate.UNKNOWN
    # The registered processor this sub-processor is, when it is in the register:
    # its own locations and sub-processors are then followed as a chain.
    registered_processor_id: int | None = None
    # Transfer-tool facts about the sub-processor as a recipient.
    # Scope facts, each relevant only where the recipient is in that country;
    # None: unknown, which never counts as covered.
    dpf_certified: bool | None = None  # US: certified under the Data Privacy Framework
    dpf_checked_on: date | None = None
    pipeda_scope: bool | None = None  # Canada: subject to PIPEDA
    lgpd_scope: bool | None = None  # Brazil: within the LGPD's scope
    address: str = ""  # postal address (Annex I / IV of the DPA)
    contact_name: str = ""
    contact_position: str = ""
    contact_email: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class ClauseAssessment:
    """How one Art. 28(3) item (reference id, e.g. ``art28_3_a``) is covered."""

    id: int | None
    item: str
    status: ClauseStatus = ClauseStatus.UNASSESSED
    section: str = ""
    note: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class Agreement:
    """The processor's DPA (Art. 28(3), 28(9))."""

    id: int | None
    signed_on: date | None = None
    effective_on: date | None = None
    ends_on: date | None = None
    reference: str = ""
    sub_processor_authorisation: SubProcessorAuthorisation = (
        SubProcessorAuthorisation.NONE_RECORDED
    )
    objection_notice_days: int | None = None  # Clause 7.7 period (notice, or request under Option 1)
    objection_notice_business_days: bool = False  # the period counts business days (weekends skipped)
    breach_notice_hours: int | None = None
    governing_law: str = ""
    docking_clause: bool | None = None  # Clause 5 included; None: not decided
    assistance_measures: str = ""  # Annex III, Clause 8
    breach_assistance_measures: str = ""  # Annex III, Clause 9.2
    clauses: tuple[ClauseAssessment, ...] = ()
    version: int = 1


@dataclass(frozen=True, slots=True)
class Safeguard:
    """The transfer tool covering one flow to one country.

    ``sub_processor_id`` None: the flow from the controller to the processor
    (its own locations or headquarters); otherwise the flow onward to that
    sub-processor.
    """

    id: int | None
    country: str
    mechanism: TransferMechanism
    sub_processor_id: int | None = None
    scc_module: int | None = None  # 1..4, with SCC mechanisms
    signed_on: date | None = None
    tia_on: date | None = None  # transfer impact assessment date
    supplementary_measures: str = ""
    version: int = 1


@dataclass(frozen=True, slots=True)
class ChangeNotice:
    """A sub-processor change notice awaiting the DPO's decision, as the
    register-wide assessment needs it (the notice's rows stay on the notice):
    when it came and the period it states; the deadline is computed from these
    and the processor's agreement."""

    id: int
    received_on: date
    stated_notice_days: int | None = None
    stated_business_days: bool = False
    status: NoticeStatus = NoticeStatus.PENDING


@dataclass(frozen=True, slots=True)
class VendorLink:
    """The processor's link to a vendor of the firm's library, as the register-wide
    assessment needs it (LIBRARY_CHANGE_PENDING): the vendor, the version whose facts
    are in the register, the library's latest version, and the newer version the DPO
    dismissed, if any. The facts themselves stay in the library."""

    vendor_id: int
    vendor_name: str
    accepted_version: int
    vendor_version: int
    dismissed_version: int | None = None

    @property
    def change_pending(self) -> bool:
        """The library holds a newer version the DPO has neither accepted nor dismissed."""
        if self.vendor_version <= self.accepted_version:
            return False
        return self.dismissed_version is None or self.dismissed_version < self.vendor_version


@dataclass(frozen=True, slots=True)
class Processor:
    """A vendor handling personal data for the organisation, with all it owns."""

    id: int | None
    organisation_id: int | None
    legal_name: str
    trade_name: str = ""
    website: str = ""
    category: ProcessorCategory = ProcessorCategory.OTHER
    service_description: str = ""
    headquarters_country: str | None = None
    role: ProcessorRole = ProcessorRole.PROCESSOR
    status: LifecycleStatus = LifecycleStatus.PROPOSED
    internal_owner: str = ""
    privacy_contact: str = ""
    certifications: tuple[str, ...] = ()
    data_categories: tuple[str, ...] = ()
    data_subject_categories: tuple[str, ...] = ()
    special_category_data: bool | None = None
    special_categories: str = ""
    special_category_safeguards: str = ""
    purposes: tuple[str, ...] = ()
    prospection_use: ProspectionUse | None = None
    indirect_collection: bool | None = None
    opt_out_offered: bool | None = None
    prior_consent_collected: bool | None = None
    source_disclosed: bool | None = None  # data subjects told the source
    retention_months: int | None = None
    retention_unlimited: bool = False
    security_measures: str = ""  # technical and organisational measures (Annex III)
    # Recipient scope facts (see SubProcessor): None is unknown.
    dpf_certified: bool | None = None
    dpf_checked_on: date | None = None
    pipeda_scope: bool | None = None
    lgpd_scope: bool | None = None
    last_review_on: date | None = None
    next_review_on: date | None = None
    address: str = ""  # postal address (Annex I / IV of the DPA)
    contact_name: str = ""
    contact_position: str = ""
    contact_email: str = ""
    locations: tuple[Location, ...] = ()
    sub_processors: tuple[SubProcessor, ...] = ()
    agreement: Agreement | None = None
    safeguards: tuple[Safeguard, ...] = ()
    # The sub-processor change notices awaiting a decision, oldest first (loaded
    # with the register; SUBPROCESSOR_CHANGE_PENDING / _OBJECTION_LAPSED).
    pending_notices: tuple[ChangeNotice, ...] = ()
    # Its link to the firm's vendor library, if any (loaded with the register;
    # LIBRARY_CHANGE_PENDING).
    library_link: VendorLink | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def display_name(self) -> str:
        return self.trade_name or self.legal_name


@quick_init
@dataclass(frozen=True, slots=True)
class Localised:
    """A text in the two languages of the UI and documents."""

    en: str
    fr: str

    def in_language(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@quick_init
@dataclass(frozen=True, slots=True)
class FindingSubject:
    """What a finding is about: the processor, a location, a sub-processor, a
    clause, a safeguard, or a sub-processor change notice; ``ref`` is its id (or
    the Art. 28 item id for a clause, or the country code for a transfer)."""

    kind: str  # "processor" | "location" | "sub_processor" | "clause" | "safeguard" | "transfer" | "notice"
    ref: str
    label: str


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # stable code from the findings catalogue (a public API)
    severity: Severity
    processor_id: int | None
    processor_name: str
    subject: FindingSubject
    basis: str
    title: Localised
    explanation: Localised
    remediation: Localised
    # The reference data the finding relied on, e.g.
    # "adequacy JP: (EU) 2019/419, as of 2026-01-28".
    relied_on: tuple[str, ...] = field(default=())
