"""Where each finding is fixed: the form (and the field) of the record it is about."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from register.compliance.model import Finding, Processor

# Findings about the processor as a whole, fixed in one field of its form.
PROCESSOR_FIELD_OF = {
    "RETENTION_UNLIMITED": "retention_months",
    "PROSPECT_RETENTION_EXCEEDS_CNIL": "retention_months",
    "SECURITY_MEASURES_UNDOCUMENTED": "security_measures",
    "REVIEW_OVERDUE": "next_review_on",
    "REVIEW_UNSCHEDULED": "next_review_on",
    "PROSPECTION_USE_UNKNOWN": "prospection_use",
    "OPT_OUT_MISSING": "opt_out_offered",
    "B2C_PROSPECTION_WITHOUT_CONSENT": "prior_consent_collected",
    "SOURCE_INFORMATION_MISSING": "source_disclosed",
    "INDIRECT_COLLECTION_UNKNOWN": "indirect_collection",
    "SENSITIVE_DATA_NO_SAFEGUARD": "special_category_safeguards",
    "SPECIAL_CATEGORY_UNKNOWN": "special_category_data",
}
# Findings fixed in the agreement's form.
AGREEMENT_FIELD_OF = {
    "DPA_MISSING": "signed_on",
    "DPA_EXPIRED": "ends_on",
    "SUBPROCESSOR_AUTHORISATION_MISSING": "sub_processor_authorisation",
    "BREACH_NOTICE_UNDEFINED": "breach_notice_hours",
    "BREACH_NOTICE_TOO_LONG": "breach_notice_hours",
}
LOCATION_CODES = {"TRANSFER_LOCATIONS_UNKNOWN", "TRANSFER_COUNTRY_UNKNOWN"}


@dataclass(frozen=True, slots=True)
class FixLink:
    url: str
    label: str  # i18n key of the action


def _first_hop_id(processor: Processor, finding: Finding) -> int | None:
    """The processor's own sub-processor a transfer chain starts from (its name follows the processor's)."""
    names = [part.strip() for part in finding.subject.label.rsplit(" (", 1)[0].split("→")]
    if len(names) < 2:
        return None
    return next((s.id for s in processor.sub_processors if s.name.strip() == names[1]), None)


def fix_link(finding: Finding, processor: Processor | None) -> FixLink | None:
    """The page that fixes ``finding``; ``None`` when it is not about a registered processor."""
    if finding.processor_id is None or processor is None:
        return None
    base = f"/processors/{processor.id}"
    subject = finding.subject
    if subject.kind == "clause":
        return FixLink(f"{base}/agreement/clauses#item-{subject.ref}", "fix.clause")
    if subject.kind == "safeguard" and subject.ref.isdigit():
        return FixLink(f"{base}/safeguards/{subject.ref}/edit", "fix.safeguard")
    own_subs = {str(s.id) for s in processor.sub_processors}
    if subject.kind == "sub_processor" and subject.ref in own_subs:
        return FixLink(f"{base}/sub-processors/{subject.ref}/edit", "fix.sub_processor")
    if finding.code in LOCATION_CODES:
        return FixLink(f"{base}/locations/new", "fix.location")
    if subject.kind == "transfer":
        query = {"country": subject.ref}
        first_hop = _first_hop_id(processor, finding)
        if first_hop is not None:
            query["sub_processor_id"] = str(first_hop)
        return FixLink(f"{base}/safeguards/new?{urlencode(query)}", "fix.transfer")
    if finding.code in AGREEMENT_FIELD_OF:
        return FixLink(f"{base}/agreement#field-{AGREEMENT_FIELD_OF[finding.code]}", "fix.agreement")
    if finding.code in PROCESSOR_FIELD_OF:
        return FixLink(f"{base}/edit#field-{PROCESSOR_FIELD_OF[finding.code]}", "fix.processor")
    return FixLink(f"{base}/edit", "fix.processor")
