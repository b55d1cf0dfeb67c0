"""What the edge accepts: msgspec structs validated on decode.

Shared by the JSON API and ``register import``. Every constraint names its
field in the error (HTTP 400): lengths, ranges, enums, dates, and country
codes checked against the reference data. Update ("patch") structs are
derived from the create structs, so each field is declared once.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from register.reference import load_reference
from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    ProcessorCategory,
    ProcessorRole,
    ProspectionUse,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

# Text never holds NUL (U+0000): PostgreSQL refuses it, so SQLite must too.
NO_NUL = "^[^\\x00]*$"
Name = Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_NUL)]
ShortText = Annotated[str, Meta(max_length=200, pattern=NO_NUL)]
EMAIL_PATTERN = r"^$|^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$"
Email = Annotated[
    str, Meta(max_length=254, pattern=EMAIL_PATTERN, description="an e-mail address, or empty")
]
Address = Annotated[
    str, Meta(max_length=1000, pattern=NO_NUL, description="postal address, lines separated by newlines")
]
Url = Annotated[str, Meta(max_length=500, pattern=NO_NUL)]
LongText = Annotated[str, Meta(max_length=20_000, pattern=NO_NUL)]
CountryCode = Annotated[
    str, Meta(pattern="^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, upper case")
]
Terms = Annotated[list[Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_NUL)]], Meta(max_length=200)]
Months = Annotated[int, Meta(ge=0, le=1200)]
Hours = Annotated[int, Meta(ge=0, le=8760)]
Days = Annotated[int, Meta(ge=0, le=3650)]
Module = Annotated[int, Meta(ge=1, le=4)]
# Ids and versions fit PostgreSQL's integer column (SQLite's go to 2**63): one limit for both.
MAX_ID = 2**31 - 1
Id = Annotated[int, Meta(ge=1, le=MAX_ID)]
Version = Annotated[int, Meta(ge=1, le=MAX_ID, description="the version you read")]

# The most records one document may hold (a candidate, an export's processor).
MAX_LOCATIONS = 500
MAX_SUB_PROCESSORS = 1_000
MAX_SAFEGUARDS = 2_000
MAX_CLAUSES = 100
MAX_PROCESSORS = 50_000


def check_country(field: str, code: Any) -> None:
    """Raise a ValueError naming ``field`` when ``code`` is not a known ISO code."""
    if code is UNSET or code is None:
        return
    if not load_reference().is_known_country(code):
        raise ValueError(f"{field}: {code!r} is not an ISO 3166-1 alpha-2 country code")


def check_website(field: str, url: Any) -> None:
    """Raise a ValueError naming ``field`` unless ``url`` is empty or an http(s) URL with a host."""
    if url is UNSET or not url:
        return
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, parts.hostname
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 address)
        scheme, host = "", None
    if scheme not in ("http", "https") or not host or any(c.isspace() for c in url):
        raise ValueError(f"{field}: {url!r} is not an http(s) URL (e.g. https://vendor.example)")


class Input(Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of the edge structs."""

    def present_fields(self) -> dict[str, Any]:
        """The fields the caller sent (``UNSET`` ones left out), as plain values."""
        return {
            name: getattr(self, name)
            for name in self.__struct_fields__
            if getattr(self, name) is not UNSET
        }


class ContactFields(Input, kw_only=True):
    """Postal address and contact person, as Annexes I and IV of the DPA list them."""

    address: Address = ""
    contact_name: ShortText = ""
    contact_position: ShortText = ""
    contact_email: Email = ""


class OrganisationInput(ContactFields, kw_only=True):
    name: Name
    country: CountryCode
    dpo_name: ShortText = ""
    dpo_email: Email = ""
    lead_authority: ShortText = ""

    def __post_init__(self) -> None:
        check_country("country", self.country)


class ProcessorInput(ContactFields, kw_only=True):
    legal_name: Name
    trade_name: ShortText = ""
    website: Url = ""
    category: ProcessorCategory = ProcessorCategory.OTHER
    service_description: LongText = ""
    headquarters_country: CountryCode | None = None
    role: ProcessorRole = ProcessorRole.PROCESSOR
    status: LifecycleStatus = LifecycleStatus.PROPOSED
    internal_owner: ShortText = ""
    privacy_contact: ShortText = ""
    certifications: Terms = []
    data_categories: Terms = []
    data_subject_categories: Terms = []
    special_category_data: bool | None = None
    special_categories: LongText = ""
    special_category_safeguards: LongText = ""
    purposes: Terms = []
    prospection_use: ProspectionUse | None = None
    indirect_collection: bool | None = None
    opt_out_offered: bool | None = None
    prior_consent_collected: bool | None = None
    source_disclosed: bool | None = None
    retention_months: Months | None = None
    retention_unlimited: bool = False
    security_measures: LongText = ""
    dpf_certified: bool | None = None
    dpf_checked_on: date | None = None
    pipeda_scope: bool | None = None
    lgpd_scope: bool | None = None
    last_review_on: date | None = None
    next_review_on: date | None = None

    def __post_init__(self) -> None:
        check_country("headquarters_country", self.headquarters_country)
        check_website("website", self.website)
        check_date_order("last_review_on", "next_review_on", self)


class LocationInput(Input, kw_only=True):
    country: CountryCode
    activity: LocationActivity = LocationActivity.HOSTING
    note: LongText = ""

    def __post_init__(self) -> None:
        check_country("country", self.country)


class SubProcessorInput(ContactFields, kw_only=True):
    name: Name
    countries: Annotated[list[CountryCode], Meta(max_length=250)] = []
    purpose: LongText = ""
    flowdown: Tristate = Tristate.UNKNOWN
    registered_processor_id: Id | None = None
    dpf_certified: bool | None = None
    dpf_checked_on: date | None = None
    pipeda_scope: bool | None = None
    lgpd_scope: bool | None = None

    def __post_init__(self) -> None:
        if self.countries is not UNSET:
            for index, code in enumerate(self.countries):
                check_country(f"countries[{index}]", code)


class AgreementInput(Input, kw_only=True):
    signed_on: date | None = None
    effective_on: date | None = None
    ends_on: date | None = None
    reference: ShortText = ""
    sub_processor_authorisation: SubProcessorAuthorisation = SubProcessorAuthorisation.NONE_RECORDED
    objection_notice_days: Days | None = None
    objection_notice_business_days: bool = False
    breach_notice_hours: Hours | None = None
    governing_law: ShortText = ""
    docking_clause: bool | None = None
    assistance_measures: LongText = ""
    breach_assistance_measures: LongText = ""

    def __post_init__(self) -> None:
        check_date_order("effective_on", "ends_on", self)


class ClauseInput(Input, kw_only=True):
    status: ClauseStatus = ClauseStatus.UNASSESSED
    section: ShortText = ""
    note: LongText = ""


class SafeguardInput(Input, kw_only=True):
    country: CountryCode
    mechanism: TransferMechanism
    sub_processor_id: Id | None = None
    scc_module: Module | None = None
    signed_on: date | None = None
    tia_on: date | None = None
    supplementary_measures: LongText = ""

    def __post_init__(self) -> None:
        check_country("country", self.country)
        scc = (TransferMechanism.SCC_2021, TransferMechanism.SCC_PRE_2021, TransferMechanism.UK_ADDENDUM)
        if self.scc_module not in (UNSET, None) and self.mechanism not in (UNSET, *scc):
            raise ValueError("scc_module: a module is only recorded for SCC-based mechanisms")


def check_date_order(start_field: str, end_field: str, values: Any) -> None:
    start, end = getattr(values, start_field), getattr(values, end_field)
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise ValueError(f"{end_field}: {end} is before {start_field} {start}")


def patch_of(create: type[Input]) -> type[Input]:
    """The update struct of ``create``: every field optional, plus the version read."""
    fields = [
        (field.name, field.type | UnsetType, UNSET) for field in msgspec.structs.fields(create)
    ]
    version = ("version", Version)
    return msgspec.defstruct(
        create.__name__.replace("Input", "Patch"),
        [*fields, version],
        bases=(create,),
        kw_only=True,
        forbid_unknown_fields=True,
        module=__name__,
    )


OrganisationPatch = patch_of(OrganisationInput)
ProcessorPatch = patch_of(ProcessorInput)
LocationPatch = patch_of(LocationInput)
SubProcessorPatch = patch_of(SubProcessorInput)
AgreementPatch = patch_of(AgreementInput)
SafeguardPatch = patch_of(SafeguardInput)


class ClausePut(ClauseInput, kw_only=True):
    """Set one Art. 28 item's assessment; ``version`` is required once it exists."""

    version: Version | None = None


# --------------------------------------------------------- export documents
# An organisation's register as one JSON document. ``key`` fields are local to
# the document (1, 2, 3… in order), so a round trip reproduces it exactly.

EXPORT_FORMAT = "gdpr-processor-register"
EXPORT_FORMAT_VERSION = 1


class LocationRecord(LocationInput, kw_only=True):
    pass


class SubProcessorRecord(SubProcessorInput, kw_only=True):
    key: Id
    # here: the key of a processor of this document, not a database id
    registered_processor_id: Id | None = None


class ClauseRecord(ClauseInput, kw_only=True):
    item: Annotated[str, Meta(min_length=1, max_length=40, pattern=NO_NUL)]


class AgreementRecord(AgreementInput, kw_only=True):
    clauses: Annotated[list[ClauseRecord], Meta(max_length=MAX_CLAUSES)] = []


class SafeguardRecord(SafeguardInput, kw_only=True):
    # here: the key of a sub-processor of the same processor in this document
    sub_processor_id: Id | None = None


class CandidateInput(ProcessorInput, kw_only=True):
    """A processor with what it owns, in one document (a procurement candidate).

    Sub-processors carry a ``key`` that the candidate's safeguards point to;
    in a candidate, ``registered_processor_id`` is a processor id of the register.
    """

    locations: Annotated[list[LocationRecord], Meta(max_length=MAX_LOCATIONS)] = []
    sub_processors: Annotated[list[SubProcessorRecord], Meta(max_length=MAX_SUB_PROCESSORS)] = []
    agreement: AgreementRecord | None = None
    safeguards: Annotated[list[SafeguardRecord], Meta(max_length=MAX_SAFEGUARDS)] = []


class ProcessorRecord(CandidateInput, kw_only=True):
    key: Id


class RegisterExport(Input, kw_only=True):
    format: Literal["gdpr-processor-register"]
    format_version: Literal[1]
    organisation: OrganisationInput
    processors: Annotated[list[ProcessorRecord], Meta(max_length=MAX_PROCESSORS)] = []
