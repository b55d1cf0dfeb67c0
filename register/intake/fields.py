"""The register fields a sheet column can fill, and how each cell is read.

A field's ``kind`` says how its cells are parsed (:mod:`register.intake.values`);
``target`` says where the value goes: the processor itself, its agreement,
its locations, sub-processors or transfer tool.
"""

from __future__ import annotations

from dataclasses import dataclass

from register.intake.model import NAME_AND_COUNTRY, ColumnMapping, IntakeError

TEXT, LIST, COUNTRY, COUNTRIES, DATE, BOOLEAN, INTEGER, CHOICE, MECHANISM = (
    "text", "list", "country", "countries", "date", "boolean", "integer", "choice", "mechanism",
)
DPA_SUMMARY = "dpa_summary"


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str
    target: str = "processor"  # processor | agreement | location | sub_processor | safeguard | row
    choices: str = ""  # the vocabulary of a CHOICE field (an enum's name in register.vocabulary)


FIELDS: dict[str, Field] = {field.name: field for field in (
    Field("id", INTEGER, "row"),  # the processor's id in this register (the extract's first column)
    Field("legal_name", TEXT),
    Field("trade_name", TEXT),
    Field("website", TEXT),
    Field("category", CHOICE, choices="ProcessorCategory"),
    Field("role", CHOICE, choices="ProcessorRole"),
    Field("status", CHOICE, choices="LifecycleStatus"),
    Field("service_description", TEXT),
    Field("headquarters_country", COUNTRY),
    Field("internal_owner", TEXT),
    Field("privacy_contact", TEXT),
    Field("address", TEXT),
    Field("contact_name", TEXT),
    Field("contact_email", TEXT),
    Field("data_categories", LIST),
    Field("data_subject_categories", LIST),
    Field("purposes", LIST),
    Field("special_category_data", BOOLEAN),
    Field("security_measures", TEXT),
    Field("retention_months", INTEGER),
    Field("dpf_certified", BOOLEAN),
    Field("dpf_checked_on", DATE),
    Field("last_review_on", DATE),
    Field("next_review_on", DATE),
    Field("locations", COUNTRIES, "location"),  # hosting countries; the extract's "France (Hosting) — note"
    Field("sub_processors", LIST, "sub_processor"),  # names; the extract's "Name — Country, Country"
    Field("transfer_country", COUNTRY, "safeguard"),
    Field("transfer_mechanism", MECHANISM, "safeguard"),
    Field("transfer_signed_on", DATE, "safeguard"),
    Field("scc_module", INTEGER, "safeguard"),
    Field("dpa_signed_on", DATE, "agreement"),
    Field("dpa_ends_on", DATE, "agreement"),
    Field("dpa_reference", TEXT, "agreement"),
    # The extract's "DPA status" summary ("REF-1; Signed 02/01/2026; ends …"):
    # its reference and dates are read back.
    Field("dpa_status", DPA_SUMMARY, "agreement"),
)}

# Mapped fields a row must fill to be imported.
REQUIRED_FIELDS = ("legal_name",)
# Fields that can identify a processor across imports (the mapping's ``key``).
KEY_FIELDS = ("id", "legal_name", "trade_name", "website", "contact_email", "dpa_reference")


def check_mapping(mapping: ColumnMapping) -> None:
    """Refuse a mapping naming unknown fields, or keying on a field it does not map."""
    unknown = sorted(set(mapping.columns) - set(FIELDS))
    if unknown:
        raise IntakeError("mapping_invalid", f"unknown field(s) in the mapping: {', '.join(unknown)}")
    if mapping.header_row < 1:
        raise IntakeError("mapping_invalid", "header_row must be 1 or more")
    if mapping.key != NAME_AND_COUNTRY:
        if mapping.key not in KEY_FIELDS:
            raise IntakeError(
                "mapping_invalid",
                f"key {mapping.key!r} cannot identify a processor; use {NAME_AND_COUNTRY!r} or one of "
                + ", ".join(KEY_FIELDS),
            )
        if mapping.key not in mapping.columns:
            raise IntakeError("mapping_invalid", f"key {mapping.key!r} names a field the mapping does not map")
    headers = [header for header in mapping.columns.values()]
    duplicates = sorted({header for header in headers if headers.count(header) > 1})
    if duplicates:
        raise IntakeError("mapping_invalid", f"one column mapped to several fields: {', '.join(duplicates)}")
    if mapping.kind == "columns" and "legal_name" not in mapping.columns:
        raise IntakeError("mapping_invalid", "the mapping names no column for legal_name (the processor's name)")
