"""The register's schema: Piccolo tables, the one place it is defined.

Every table that users edit carries ``version`` for optimistic concurrency:
an update names the version it read, and a stale one is refused (HTTP 409).
List-valued facts (data categories, purposes, a sub-processor's countries)
are JSON arrays. Migrations in ``register/migrations`` are generated from
these classes and are the only way the schema is made.
"""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from register.vocabulary import (
    AuditAction,
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    NoticeChannel,
    NoticeKind,
    NoticeStatus,
    ProcessorCategory,
    ProcessorRole,
    ProspectionUse,
    ReadingStatus,
    Role,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

NAME_LENGTH = 200
SHORT_LENGTH = 100
URL_LENGTH = 500
EMAIL_LENGTH = 254
COUNTRY_LENGTH = 2
CODE_LENGTH = 40


class Organisation(Table, tablename="organisation"):
    """The controller whose register it is."""

    name = Varchar(length=NAME_LENGTH, required=True)
    country = Varchar(length=COUNTRY_LENGTH)
    dpo_name = Varchar(length=NAME_LENGTH, default="")
    dpo_email = Varchar(length=EMAIL_LENGTH, default="")
    lead_authority = Varchar(length=NAME_LENGTH, default="")
    # Annex I of the DPA: postal address and contact person
    address = Text(default="")
    contact_name = Varchar(length=NAME_LENGTH, default="")
    contact_position = Varchar(length=NAME_LENGTH, default="")
    contact_email = Varchar(length=EMAIL_LENGTH, default="")
    version = Integer(default=1)
    # A new random tag at every audited change of the organisation's register, in
    # the same transaction: the read caches (register/store/snapshots.py) are keyed
    # by it. Random rather than counted, so that a restored or recreated database
    # never repeats a tag a running worker has cached.
    revision = BigInt(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Processor(Table, tablename="processor"):
    """A vendor that processes personal data for the organisation."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    legal_name = Varchar(length=NAME_LENGTH, required=True)
    trade_name = Varchar(length=NAME_LENGTH, default="")
    website = Varchar(length=URL_LENGTH, default="")
    category = Varchar(length=CODE_LENGTH, choices=ProcessorCategory, default=ProcessorCategory.OTHER)
    service_description = Text(default="")
    headquarters_country = Varchar(length=COUNTRY_LENGTH, null=True, default=None)
    role = Varchar(length=CODE_LENGTH, choices=ProcessorRole, default=ProcessorRole.PROCESSOR)
    status = Varchar(length=CODE_LENGTH, choices=LifecycleStatus, default=LifecycleStatus.PROPOSED, index=True)
    internal_owner = Varchar(length=NAME_LENGTH, default="")
    privacy_contact = Varchar(length=NAME_LENGTH, default="")
    certifications = JSON(default=[])
    data_categories = JSON(default=[])
    data_subject_categories = JSON(default=[])
    special_category_data = Boolean(null=True, default=None)
    special_categories = Text(default="")
    special_category_safeguards = Text(default="")
    purposes = JSON(default=[])
    prospection_use = Varchar(length=CODE_LENGTH, choices=ProspectionUse, null=True, default=None)
    indirect_collection = Boolean(null=True, default=None)
    opt_out_offered = Boolean(null=True, default=None)
    prior_consent_collected = Boolean(null=True, default=None)
    source_disclosed = Boolean(null=True, default=None)
    retention_months = Integer(null=True, default=None)
    retention_unlimited = Boolean(default=False)
    security_measures = Text(default="")
    dpf_certified = Boolean(null=True, default=None)
    dpf_checked_on = Date(null=True, default=None)
    pipeda_scope = Boolean(null=True, default=None)
    lgpd_scope = Boolean(null=True, default=None)  # Brazil: within the LGPD's scope (NULL: unknown)
    last_review_on = Date(null=True, default=None)
    next_review_on = Date(null=True, default=None)
    # Annex I of the DPA: postal address and contact person
    address = Text(default="")
    contact_name = Varchar(length=NAME_LENGTH, default="")
    contact_position = Varchar(length=NAME_LENGTH, default="")
    contact_email = Varchar(length=EMAIL_LENGTH, default="")
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProcessingLocation(Table, tablename="processing_location"):
    """A country where the processor itself handles the data, and what it does there."""

    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    country = Varchar(length=COUNTRY_LENGTH)
    activity = Varchar(length=CODE_LENGTH, choices=LocationActivity, default=LocationActivity.HOSTING)
    note = Text(default="")
    version = Integer(default=1)


class SubProcessor(Table, tablename="sub_processor"):
    """A sub-processor the processor engages (Art. 28(2), 28(4))."""

    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    name = Varchar(length=NAME_LENGTH, required=True)
    countries = JSON(default=[])
    purpose = Text(default="")
    flowdown = Varchar(length=CODE_LENGTH, choices=Tristate, default=Tristate.UNKNOWN)
    registered_processor = ForeignKey(
        references=Processor, on_delete=OnDelete.set_null, null=True, default=None
    )
    dpf_certified = Boolean(null=True, default=None)
    dpf_checked_on = Date(null=True, default=None)
    pipeda_scope = Boolean(null=True, default=None)
    lgpd_scope = Boolean(null=True, default=None)
    # Annex IV of the DPA: postal address and contact person
    address = Text(default="")
    contact_name = Varchar(length=NAME_LENGTH, default="")
    contact_position = Varchar(length=NAME_LENGTH, default="")
    contact_email = Varchar(length=EMAIL_LENGTH, default="")
    version = Integer(default=1)


class Agreement(Table, tablename="agreement"):
    """The processor's data processing agreement (one current DPA per processor)."""

    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, unique=True)
    signed_on = Date(null=True, default=None)
    effective_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    reference = Varchar(length=NAME_LENGTH, default="")
    sub_processor_authorisation = Varchar(
        length=CODE_LENGTH,
        choices=SubProcessorAuthorisation,
        default=SubProcessorAuthorisation.NONE_RECORDED,
    )
    objection_notice_days = Integer(null=True, default=None)
    # The Clause 7.7 period counts business days (weekends skipped) rather than calendar days.
    objection_notice_business_days = Boolean(default=False)
    breach_notice_hours = Integer(null=True, default=None)
    governing_law = Varchar(length=NAME_LENGTH, default="")
    # Options of the (EU) 2021/915 clauses and the Annex III assistance measures
    docking_clause = Boolean(null=True, default=None)  # Clause 5 included? (None: not decided)
    assistance_measures = Text(default="")  # Clause 8: how the processor assists the controller
    breach_assistance_measures = Text(default="")  # Clause 9.2: other elements for Art. 33-34
    version = Integer(default=1)


class ClauseAssessment(Table, tablename="clause_assessment"):
    """How one Art. 28(3) item is covered by the agreement (one row per item: unique together)."""

    agreement = ForeignKey(references=Agreement, on_delete=OnDelete.cascade, null=False, index=True)
    item = Varchar(length=CODE_LENGTH)
    status = Varchar(length=CODE_LENGTH, choices=ClauseStatus, default=ClauseStatus.UNASSESSED)
    section = Varchar(length=NAME_LENGTH, default="")
    note = Text(default="")
    version = Integer(default=1)


class AgreementFile(Table, tablename="agreement_file"):
    """A file of the processor's agreement (the vendor's DPA, one row per uploaded version).

    The bytes live in the files directory (``FILES_DIR``), content-addressed by
    ``sha256`` within the organisation's folder; the row is the metadata. Attached
    to the processor rather than the agreement row, so a vendor's DPA can be read
    before the agreement is recorded, and deleting the agreement keeps its files.
    """

    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    file_name = Varchar(length=NAME_LENGTH)  # as uploaded, cleaned (no path, no control character)
    media_type = Varchar(length=SHORT_LENGTH)  # sniffed from the content, not from the name
    size = BigInt()
    sha256 = Varchar(length=64, index=True)
    uploaded_by = Varchar(length=EMAIL_LENGTH, default="")
    uploaded_at = Timestamptz(default=TimestamptzNow())


class DpaReading(Table, tablename="dpa_reading"):
    """A proposal: what the reader found in one file, waiting for the DPO's decisions.

    ``reading`` is the engine's JSON (``register read-dpa --json``). Nothing in the
    register changes until the DPO confirms; ``decisions`` then records, per item,
    what was accepted, edited or rejected, by whom and when.
    """

    agreement_file = ForeignKey(references=AgreementFile, on_delete=OnDelete.cascade, null=False, index=True)
    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    reading = JSON()
    language = Varchar(length=2, default="")
    status = Varchar(length=CODE_LENGTH, choices=ReadingStatus, default=ReadingStatus.PROPOSED, index=True)
    created_by = Varchar(length=EMAIL_LENGTH, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    decisions = JSON(null=True, default=None)
    decided_by = Varchar(length=EMAIL_LENGTH, null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


class TransferSafeguard(Table, tablename="transfer_safeguard"):
    """The transfer tool for the processor's flow (or a sub-processor's) to one country."""

    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    sub_processor = ForeignKey(references=SubProcessor, on_delete=OnDelete.cascade, null=True, default=None)
    country = Varchar(length=COUNTRY_LENGTH)
    mechanism = Varchar(length=CODE_LENGTH, choices=TransferMechanism)
    scc_module = Integer(null=True, default=None)
    signed_on = Date(null=True, default=None)
    tia_on = Date(null=True, default=None)
    supplementary_measures = Text(default="")
    version = Integer(default=1)


class SubProcessorNotice(Table, tablename="sub_processor_notice"):
    """A proposal: a vendor's notice of sub-processor changes, or a snapshot of its list.

    ``rows`` is the list as read (register/intake/subprocessor_lists.py), kept as
    received; nothing reaches the register's sub-processors until the DPO accepts
    (status "accepted", the changes applied in the same transaction) or objects
    (status "objected", with reasons, then the letter's sending recorded).
    """

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    kind = Varchar(length=CODE_LENGTH, choices=NoticeKind, default=NoticeKind.CHANGE)
    channel = Varchar(length=CODE_LENGTH, choices=NoticeChannel, default=NoticeChannel.EMAIL)
    received_on = Date()
    source = Varchar(length=URL_LENGTH, default="")  # "pasted", the file name, or the URL fetched
    content = Text(default="")  # the text as received (for a file: its text, when it is text)
    rows = JSON(default=[])
    problems = JSON(default=[])
    stated_notice_days = Integer(null=True, default=None)  # the period the notice itself states
    stated_business_days = Boolean(default=False)
    status = Varchar(length=CODE_LENGTH, choices=NoticeStatus, default=NoticeStatus.PENDING, index=True)
    created_by = Varchar(length=EMAIL_LENGTH, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    decided_by = Varchar(length=EMAIL_LENGTH, null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    objection_reasons = Text(default="")
    applied = JSON(null=True, default=None)  # on acceptance: the changes made to the register
    objection_sent_on = Date(null=True, default=None)
    objection_sent_via = Varchar(length=NAME_LENGTH, default="")  # e-mail address, registered post…
    objection_proof = Text(default="")  # message id, tracking number, a bounce noted…
    version = Integer(default=1)


class AuditEvent(Table, tablename="audit_event"):
    """Who changed what, when: written in the same transaction as the change.

    Not a foreign key to the organisation, so the trail outlives what it records.
    """

    organisation_id = Integer(null=True, default=None, index=True)
    actor = Varchar(length=EMAIL_LENGTH, default="")
    occurred_at = Timestamptz(default=TimestamptzNow())
    entity = Varchar(length=CODE_LENGTH)
    entity_id = Integer(null=True, default=None)
    action = Varchar(length=CODE_LENGTH, choices=AuditAction)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)


class ProcurementRequest(Table, tablename="procurement_request"):
    """A tool submitted for review, the candidate record as submitted, and the decision."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    tool_name = Varchar(length=NAME_LENGTH)
    purpose = Text(default="")
    candidate = JSON()  # the CandidateInput document, as submitted
    status = Varchar(length=CODE_LENGTH, default="pending", index=True)
    submitted_by = Varchar(length=EMAIL_LENGTH, default="")
    submitted_at = Timestamptz(default=TimestamptzNow())
    decision_reasons = Text(default="")
    decision_conditions = Text(default="")  # one per line
    decided_by = Varchar(length=EMAIL_LENGTH, null=True, default=None)
    decided_role = Varchar(length=40, default="")  # the decider's role when deciding
    decided_at = Timestamptz(null=True, default=None)
    processor = ForeignKey(references=Processor, on_delete=OnDelete.set_null, null=True, default=None)
    version = Integer(default=1)


class User(Table, tablename="app_user"):
    """A person who signs in; the password is stored as an argon2 hash only."""

    email = Varchar(length=EMAIL_LENGTH, unique=True, index=True)
    display_name = Varchar(length=NAME_LENGTH, default="")
    password_hash = Varchar(length=255)
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # The language of what reaches the user outside a page: the reminder digest
    # and the calendar feed (set with the language chosen on the pages).
    language = Varchar(length=2, default="fr")


class Membership(Table, tablename="membership"):
    """A user's role in one organisation (one row per user and organisation: unique together)."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    role = Varchar(length=CODE_LENGTH, choices=Role)
    created_at = Timestamptz(default=TimestamptzNow())


class ApiToken(Table, tablename="api_token"):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, index=True)
    name = Varchar(length=NAME_LENGTH, default="")
    prefix = Varchar(length=16)  # the first characters, to recognise a token in a list
    token_digest = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class WebSession(Table, tablename="web_session"):
    """A signed-in browser; the cookie holds a random token, the table its digest."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, index=True)
    token_digest = Varchar(length=64, unique=True, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    language = Varchar(length=2, default="fr")
    organisation_id = Integer(null=True, default=None)  # the organisation being worked on


class LoginAttempt(Table, tablename="login_attempt"):
    """Sign-in attempts, for rate limiting per account and per address (no password)."""

    email = Varchar(length=EMAIL_LENGTH, index=True)
    address = Varchar(length=SHORT_LENGTH, index=True)
    attempted_at = Timestamptz(default=TimestamptzNow(), index=True)
    succeeded = Boolean(default=False)


class RateCounter(Table, tablename="rate_counter"):
    """A fixed-window counter (sign-in throttling, API rate limits), shared by every worker.

    ``key`` names the bucket and its window; one atomic upsert counts a hit.
    """

    key = Varchar(length=100, unique=True, index=True)
    hits = Integer(default=0)
    expires_at = Timestamptz(default=TimestamptzNow(), index=True)


class ImportMapping(Table, tablename="import_mapping"):
    """A spreadsheet column mapping saved under a name (one name per organisation), reused
    for the next import (issue 11). ``mapping`` is the intake engine's mapping document."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    name = Varchar(length=NAME_LENGTH)
    mapping = JSON()
    saved_by = Varchar(length=EMAIL_LENGTH, default="")
    saved_at = Timestamptz(default=TimestamptzNow())
    version = Integer(default=1)


class ImportPreview(Table, tablename="import_preview"):
    """An uploaded spreadsheet waiting for confirmation: a proposal, nothing of it is in the
    register until someone commits it (issue 11).

    ``public_id`` is the random, unguessable id the API and the pages show. The file is kept
    (``content``) so that an edited mapping can be previewed again; it is emptied on commit.
    A pending preview expires at ``expires_at`` and is deleted (``register purge``, and
    opportunistically on upload). ``status`` moves once from ``pending`` to ``committed``,
    checked inside the UPDATE, so a preview cannot be committed twice.
    """

    public_id = Varchar(length=SHORT_LENGTH, unique=True, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    created_by = Varchar(length=EMAIL_LENGTH, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
    file_name = Varchar(length=NAME_LENGTH, default="")
    sha256 = Varchar(length=64, default="")
    size_bytes = Integer(default=0)
    content = Bytea(default=b"")
    mapping = JSON()
    preview = JSON()
    status = Varchar(length=CODE_LENGTH, default="pending")
    committed_by = Varchar(length=EMAIL_LENGTH, null=True, default=None)
    committed_at = Timestamptz(null=True, default=None)
    outcome = JSON(null=True, default=None)  # what the commit did: counts and processor ids
    version = Integer(default=1)


class RemediationTask(Table, tablename="remediation_task"):
    """A finding someone has to fix: one task per finding (code + subject), ever.

    Whether it is done is not stored: it is derived from the current assessment
    (the finding is gone) and from the accepted risk's expiry, so every worker
    reads the same answer without a write (register/compliance/remediation.py).
    """

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    finding_code = Varchar(length=CODE_LENGTH)
    subject_kind = Varchar(length=CODE_LENGTH)
    subject_ref = Varchar(length=SHORT_LENGTH)
    subject_label = Text(default="")  # as shown when the task was made (kept once the finding is gone)
    owner = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True, default=None, index=True)
    due_on = Date(null=True, default=None)
    status = Varchar(length=CODE_LENGTH, default="open")  # TaskStatus: open | in_progress | accepted_risk
    accepted_reason = Text(default="")
    accepted_until = Date(null=True, default=None)
    created_by = Varchar(length=EMAIL_LENGTH, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    version = Integer(default=1)


class TaskComment(Table, tablename="task_comment"):
    """A comment on a remediation task (audited like every change)."""

    task = ForeignKey(references=RemediationTask, on_delete=OnDelete.cascade, null=False, index=True)
    author = Varchar(length=EMAIL_LENGTH, default="")
    body = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class CalendarFeed(Table, tablename="calendar_feed"):
    """A user's secret calendar address; only the SHA-256 digest of its token is kept."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, unique=True)
    token_digest = Varchar(length=64, unique=True, index=True)
    prefix = Varchar(length=16, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ReminderSent(Table, tablename="reminder_sent"):
    """What the e-mail digest already told a user: one row per user and item (unique together).

    ``item`` names the reminder and its date (``task:12:2026-12-05``), so a moved
    deadline is told again and the same one never twice.
    """

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, index=True)
    item = Varchar(length=NAME_LENGTH)
    sent_at = Timestamptz(default=TimestamptzNow())


class Firm(Table, tablename="firm"):
    """A DPO firm: a group of client organisations its admins manage, and its vendor library."""

    name = Varchar(length=NAME_LENGTH, unique=True)
    created_by = Varchar(length=EMAIL_LENGTH, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    version = Integer(default=1)


class FirmMember(Table, tablename="firm_member"):
    """A user of the firm: ``admin`` (manages the firm and sees which clients use a vendor)
    or ``member`` (keeps the library). One row per firm and user (unique together)."""

    firm = ForeignKey(references=Firm, on_delete=OnDelete.cascade, null=False, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False, index=True)
    role = Varchar(length=CODE_LENGTH, default="member")
    created_at = Timestamptz(default=TimestamptzNow())


class FirmClient(Table, tablename="firm_client"):
    """An organisation served by the firm: an organisation belongs to at most one firm (unique)."""

    firm = ForeignKey(references=Firm, on_delete=OnDelete.cascade, null=False, index=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, unique=True)
    attached_by = Varchar(length=EMAIL_LENGTH, default="")
    attached_at = Timestamptz(default=TimestamptzNow())


class LibraryVendor(Table, tablename="library_vendor"):
    """A vendor of the firm's library: its shared facts (one JSON document, see
    register/compliance/library.py), who recorded each fact and when, and a version
    every change increases (each version's facts are kept in library_vendor_version)."""

    firm = ForeignKey(references=Firm, on_delete=OnDelete.cascade, null=False, index=True)
    legal_name = Varchar(length=NAME_LENGTH)
    facts = JSON(default={})
    recorded = JSON(default={})  # fact name -> {"by": e-mail, "at": ISO timestamp}
    created_by = Varchar(length=EMAIL_LENGTH, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_by = Varchar(length=EMAIL_LENGTH, default="")
    updated_at = Timestamptz(default=TimestamptzNow())
    version = Integer(default=1)


class LibraryVendorVersion(Table, tablename="library_vendor_version"):
    """The facts of one version of a library vendor, as recorded (the base of the diffs)."""

    vendor = ForeignKey(references=LibraryVendor, on_delete=OnDelete.cascade, null=False, index=True)
    version = Integer()
    facts = JSON(default={})
    recorded_by = Varchar(length=EMAIL_LENGTH, default="")
    recorded_at = Timestamptz(default=TimestamptzNow())


class LibraryFile(Table, tablename="library_file"):
    """A DPA file of a library vendor (bytes content-addressed in the firm's folder)."""

    vendor = ForeignKey(references=LibraryVendor, on_delete=OnDelete.cascade, null=False, index=True)
    file_name = Varchar(length=NAME_LENGTH)
    media_type = Varchar(length=SHORT_LENGTH)
    size = BigInt()
    sha256 = Varchar(length=64, index=True)
    uploaded_by = Varchar(length=EMAIL_LENGTH, default="")
    uploaded_at = Timestamptz(default=TimestamptzNow())


class LibraryLink(Table, tablename="library_link"):
    """A client's processor linked to a library vendor: the vendor version whose facts were
    copied into the processor (``accepted_version``) and the newer one the DPO dismissed, if any.
    One link per processor (unique)."""

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, unique=True)
    vendor = ForeignKey(references=LibraryVendor, on_delete=OnDelete.cascade, null=False, index=True)
    accepted_version = Integer()
    dismissed_version = Integer(null=True, default=None)
    linked_by = Varchar(length=EMAIL_LENGTH, default="")
    linked_at = Timestamptz(default=TimestamptzNow())
    decided_by = Varchar(length=EMAIL_LENGTH, default="")
    decided_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


class VendorQuestionnaire(Table, tablename="vendor_questionnaire"):
    """A questionnaire link sent to a processor's vendor, and what the vendor answered.

    Only the SHA-256 digest of the link's random token is kept. ``answers`` is the
    vendor's draft until it submits; then the questionnaire is a **proposal**: nothing
    reaches the register until the DPO decides field by field (``decisions``), in one
    audited transaction whose UPDATE names the status and version it read. The DPA the
    vendor uploads waits in ``dpa_content`` until submission, when it becomes one of the
    processor's agreement files (``agreement_file_id``) with a reading (``reading_id``).
    """

    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, null=False, index=True)
    processor = ForeignKey(references=Processor, on_delete=OnDelete.cascade, null=False, index=True)
    token_digest = Varchar(length=64, unique=True, index=True)
    prefix = Varchar(length=16, default="")
    language = Varchar(length=2, default="fr")
    recipient = Varchar(length=EMAIL_LENGTH, default="")
    expires_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    status = Varchar(length=CODE_LENGTH, default="open", index=True)  # open | submitted | decided
    answers = JSON(default={})
    dpa_content = Bytea(default=b"")
    dpa_name = Varchar(length=NAME_LENGTH, default="")
    saved_at = Timestamptz(null=True, default=None)
    submitted_at = Timestamptz(null=True, default=None)
    agreement_file_id = Integer(null=True, default=None)
    reading_id = Integer(null=True, default=None)
    created_by = Varchar(length=EMAIL_LENGTH, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    decisions = JSON(null=True, default=None)
    decided_by = Varchar(length=EMAIL_LENGTH, null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


# Unique constraints over several columns, which Piccolo columns cannot declare:
# made by a hand-written migration (register_2026_12_01t01_06_races), checked by
# tests/test_migrations.py on both engines. A violation answers 409.
UNIQUE_TOGETHER: dict[str, tuple[tuple[str, ...], ...]] = {
    "clause_assessment": (("agreement", "item"),),
    "membership": (("organisation", "user"),),
    "import_mapping": (("organisation", "name"),),  # register_2026_12_01t03_40_sheetsweb
    # made by register_2026_12_01t03_50_tasks
    "remediation_task": (("processor", "finding_code", "subject_kind", "subject_ref"),),
    "reminder_sent": (("user", "item"),),
    # made by register_2026_12_01t06_10_library
    "firm_member": (("firm", "user"),),
    "library_vendor": (("firm", "legal_name"),),
    "library_vendor_version": (("vendor", "version"),),
}

ALL_TABLES = (
    Organisation,
    Processor,
    ProcessingLocation,
    SubProcessor,
    Agreement,
    ClauseAssessment,
    TransferSafeguard,
    AgreementFile,
    DpaReading,
    SubProcessorNotice,
    AuditEvent,
    ProcurementRequest,
    User,
    Membership,
    ApiToken,
    WebSession,
    LoginAttempt,
    RateCounter,
    ImportMapping,
    ImportPreview,
    RemediationTask,
    TaskComment,
    CalendarFeed,
    ReminderSent,
    Firm,
    FirmMember,
    FirmClient,
    LibraryVendor,
    LibraryVendorVersion,
    LibraryFile,
    LibraryLink,
    VendorQuestionnaire,
)
