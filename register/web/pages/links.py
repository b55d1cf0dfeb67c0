"""Where each finding is fixed: the form (and the field) of the record it is about,
prefilled with what the register already knows (a new safeguard gets its country,
the sub-processor the flow goes through, the 2021 SCCs and the module matching the
parties' roles)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from register.compliance.flows import MODULE_P2P, own_flow_module
from register.compliance.model import Finding, Processor
from register.compliance.objection import NOTICE_SUBJECT
from register.vocabulary import TransferMechanism

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
# Transfer findings fixed by recording a fact about the recipient (on its record).
RECIPIENT_FIELD_OF = {
    "TRANSFER_US_DPF_UNVERIFIED": "dpf_checked_on",
    "DPF_STATUS_UNKNOWN": "dpf_certified",
    "PIPEDA_SCOPE_UNKNOWN": "pipeda_scope",
}
# Safeguard findings fixed in one field of the safeguard's form.
SAFEGUARD_FIELD_OF = {
    "SCC_MODULE_UNKNOWN": "scc_module",
    "SCC_WRONG_MODULE": "scc_module",
    "TIA_MISSING": "tia_on",
    "TIA_STALE": "tia_on",
}
MODULE_CODES = {"SCC_MODULE_UNKNOWN", "SCC_WRONG_MODULE"}
# Reviewed (accepted or dismissed) on the processor's link to the firm's vendor library.
LIBRARY_CHANGE_CODE = "LIBRARY_CHANGE_PENDING"


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


def scc_module_for(processor: Processor, sub_processor_id: int | None) -> int:
    """The SCC module of a flow: to the processor itself (by its role), or onward through
    one of its sub-processors (processor to processor)."""
    return MODULE_P2P if sub_processor_id is not None else own_flow_module(processor)


def new_scc_query(processor: Processor, country: str, sub_processor_id: int | None) -> str:
    """A new safeguard's form, prefilled: the 2021 SCCs with the module of the flow."""
    query = {"country": country}
    if sub_processor_id is not None:
        query["sub_processor_id"] = str(sub_processor_id)
    query["mechanism"] = TransferMechanism.SCC_2021.value
    query["scc_module"] = str(scc_module_for(processor, sub_processor_id))
    return urlencode(query)


def _safeguard_link(base: str, finding: Finding, processor: Processor) -> FixLink:
    safeguard = next((s for s in processor.safeguards if str(s.id) == finding.subject.ref), None)
    if safeguard is not None and finding.code == "SCC_OUTDATED":
        query = new_scc_query(processor, safeguard.country, safeguard.sub_processor_id)
        return FixLink(f"{base}/safeguards/new?{query}", "fix.transfer")
    url = f"{base}/safeguards/{finding.subject.ref}/edit"
    if safeguard is not None and finding.code in MODULE_CODES:
        url += "?" + urlencode({"scc_module": scc_module_for(processor, safeguard.sub_processor_id)})
    field = SAFEGUARD_FIELD_OF.get(finding.code)
    return FixLink(f"{url}#field-{field}" if field else url, "fix.safeguard")


def _transfer_link(base: str, finding: Finding, processor: Processor) -> FixLink:
    first_hop = _first_hop_id(processor, finding)
    field = RECIPIENT_FIELD_OF.get(finding.code)
    if field is not None and first_hop is not None:
        return FixLink(f"{base}/sub-processors/{first_hop}/edit#field-{field}", "fix.sub_processor")
    if field is not None:
        return FixLink(f"{base}/edit#field-{field}", "fix.processor")
    return FixLink(f"{base}/safeguards/new?{new_scc_query(processor, finding.subject.ref, first_hop)}", "fix.transfer")


def fix_link(finding: Finding, processor: Processor | None) -> FixLink | None:
    """The page that fixes ``finding``; ``None`` when it is not about a registered processor."""
    if finding.processor_id is None or processor is None:
        return None
    base = f"/processors/{processor.id}"
    subject = finding.subject
    if subject.kind == "clause":
        return FixLink(f"{base}/agreement/clauses#item-{subject.ref}", "fix.clause")
    if subject.kind == NOTICE_SUBJECT and subject.ref.isdigit():
        return FixLink(f"/notices/{subject.ref}", "fix.notice")
    if finding.code == LIBRARY_CHANGE_CODE:
        return FixLink(f"{base}/library-link", "fix.library_change")
    if subject.kind == "safeguard" and subject.ref.isdigit():
        return _safeguard_link(base, finding, processor)
    own_subs = {str(s.id) for s in processor.sub_processors}
    if subject.kind == "sub_processor" and subject.ref in own_subs:
        field = "countries" if finding.code in LOCATION_CODES else "flowdown" if "FLOWDOWN" in finding.code else ""
        anchor = f"#field-{field}" if field else ""
        return FixLink(f"{base}/sub-processors/{subject.ref}/edit{anchor}", "fix.sub_processor")
    if finding.code in LOCATION_CODES:
        return FixLink(f"{base}/locations/new", "fix.location")
    if subject.kind == "transfer":
        return _transfer_link(base, finding, processor)
    if finding.code in AGREEMENT_FIELD_OF:
        return FixLink(f"{base}/agreement#field-{AGREEMENT_FIELD_OF[finding.code]}", "fix.agreement")
    if finding.code in PROCESSOR_FIELD_OF:
        return FixLink(f"{base}/edit#field-{PROCESSOR_FIELD_OF[finding.code]}", "fix.processor")
    return FixLink(f"{base}/edit", "fix.processor")
