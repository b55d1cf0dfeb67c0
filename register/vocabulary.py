"""The register's controlled vocabularies.

One place for every enumerated value: the Piccolo tables use them as column
choices, the API validates against them, the compliance core reasons on them.
Values are stable strings (they appear in the JSON API, exports and the
database); labels for the UI live with the templates' translations.
"""

from __future__ import annotations

from enum import StrEnum


class ProcessorCategory(StrEnum):
    DATA_ENRICHMENT = "data_enrichment"
    MARKETING_AUTOMATION = "marketing_automation"
    CRM = "crm"
    EMAILING = "emailing"
    HOSTING_CLOUD = "hosting_cloud"
    ANALYTICS = "analytics"
    CUSTOMER_SUPPORT = "customer_support"
    HR_PAYROLL = "hr_payroll"
    PAYMENT = "payment"
    OTHER = "other"


class ProcessorRole(StrEnum):
    PROCESSOR = "processor"
    SUB_PROCESSOR = "sub_processor"
    JOINT_CONTROLLER = "joint_controller"


class LifecycleStatus(StrEnum):
    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    OFFBOARDED = "offboarded"


class ProspectionUse(StrEnum):
    NONE = "none"
    B2B = "b2b"
    B2C = "b2c"


class LocationActivity(StrEnum):
    HOSTING = "hosting"
    SUPPORT_ACCESS = "support_access"
    PROCESSING = "processing"


class Tristate(StrEnum):
    """A yes/no fact the record may not know yet (unknown is not compliant)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class SubProcessorAuthorisation(StrEnum):
    NONE_RECORDED = "none_recorded"
    SPECIFIC = "specific"  # 2021/915 Clause 7.7 Option 1
    GENERAL = "general"  # 2021/915 Clause 7.7 Option 2 (with notice days)


class ClauseStatus(StrEnum):
    PRESENT = "present"
    PARTIAL = "partial"
    ABSENT = "absent"
    UNASSESSED = "unassessed"


class TransferMechanism(StrEnum):
    ADEQUACY = "adequacy"
    DPF = "dpf"
    SCC_2021 = "scc_2021"
    SCC_PRE_2021 = "scc_pre_2021"
    BCR = "bcr"
    UK_IDTA = "uk_idta"
    UK_ADDENDUM = "uk_addendum"
    AD_HOC_CONTRACT = "ad_hoc_contract"  # Art. 46(3)(a), authorised by the supervisory authority
    ART49_DEROGATION = "art49_derogation"
    # Invalidated by the Court of Justice on 16 July 2020 (Schrems II): never
    # offered for a new record; kept so that an imported sheet (the CNIL's 2019
    # workbook lists it) records what the vendor relied on, a tool that covers
    # nothing and raises PRIVACY_SHIELD_INVALID.
    PRIVACY_SHIELD = "privacy_shield"


# Contractual transfer tools: they cover a flow only once signed (reference §4).
CONTRACTUAL_TOOLS = frozenset({
    TransferMechanism.SCC_2021,
    TransferMechanism.SCC_PRE_2021,
    TransferMechanism.UK_IDTA,
    TransferMechanism.UK_ADDENDUM,
    TransferMechanism.AD_HOC_CONTRACT,
})


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"


SCC_MODULES = (1, 2, 3, 4)
LANGUAGES = ("fr", "en")


class Role(StrEnum):
    """A user's role in one organisation."""

    ADMIN = "admin"  # users and settings, and everything a DPO may do
    DPO = "dpo"  # edits the register, decides procurement requests
    PROCUREMENT = "procurement"  # submits candidate tools, reads verdicts and processors' status
    AUDITOR = "auditor"  # reads everything of the organisation, changes nothing


class ProcurementStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    REJECTED = "rejected"


class NoticeKind(StrEnum):
    """What a sub-processor notice holds."""

    CHANGE = "change"  # only the changes (additions, changes): nothing absent is removed
    FULL_LIST = "full_list"  # the vendor's whole list: a sub-processor absent from it is removed


class NoticeChannel(StrEnum):
    """How the vendor's notice reached the organisation."""

    EMAIL = "email"
    IN_APP = "in_app"
    LIST_PAGE = "list_page"  # "updating the page is notice"
    MAILING_LIST = "mailing_list"
    REPOSITORY = "repository"  # "watch this repository"
    POST = "post"
    OTHER = "other"


class NoticeStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    OBJECTED = "objected"


class NoticeDecision(StrEnum):
    ACCEPT = "accept"
    OBJECT = "object"
