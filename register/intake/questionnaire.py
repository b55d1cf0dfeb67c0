"""The vendor questionnaire: what the vendor answers, checked, and what it proposes for the register.

Pure: form values in, answers and errors out; answers and the processor's current
values in, the proposal's fields (old → new) out. No HTTP, no database.

The answers (a plain dict kept as JSON) hold what the vendor typed, as typed, so a
form refused for one field shows every other field again. :func:`proposed_values`
turns them into the register's values, one entry per field the DPO decides on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from register.i18n import N_, words

TEXT_LIMIT = 200  # names, contacts
ADDRESS_LIMIT = 1_000
LONG_TEXT_LIMIT = 10_000  # free texts (security measures)
MAX_SUB_PROCESSORS = 100
MAX_COUNTRIES = 60
MIN_BLANK_ROWS = 3  # sub-processor rows offered blank (more appear after each save)
MIN_ROWS = 5
MAX_BREACH_HOURS = 24 * 90
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Transfer tools the vendor may name (SCC 2021/914 modules, BCR, DPF, adequacy).
TRANSFER_TOOLS: dict[str, str] = {
    "scc_module_1": N_("Standard contractual clauses (2021/914), module 1 (controller to controller)"),
    "scc_module_2": N_("Standard contractual clauses (2021/914), module 2 (controller to processor)"),
    "scc_module_3": N_("Standard contractual clauses (2021/914), module 3 (processor to processor)"),
    "scc_module_4": N_("Standard contractual clauses (2021/914), module 4 (processor to controller)"),
    "bcr": N_("Binding corporate rules (Art. 47)"),
    "dpf": N_("EU-US Data Privacy Framework"),
    "adequacy": N_("Adequacy decision (Art. 45)"),
}

# The security checklist: each ticked measure becomes a line of the security measures.
SECURITY_MEASURES: dict[str, str] = {
    "encryption_at_rest": N_("Encryption of personal data at rest"),
    "encryption_in_transit": N_("Encryption of personal data in transit (TLS)"),
    "multi_factor": N_("Multi-factor authentication for staff access"),
    "access_logging": N_("Logging and review of access to personal data"),
    "backups": N_("Tested backups and restoration"),
    "penetration_tests": N_("Regular penetration tests"),
    "staff_training": N_("Staff trained in data protection and bound by confidentiality"),
}

# The fields the DPO decides on, in the order the review shows them, with their labels.
PROPOSAL_FIELDS: dict[str, str] = {
    "legal_name": N_("Legal name"),
    "address": N_("Postal address"),
    "privacy_contact": N_("Privacy contact (DPO)"),
    "contact_email": N_("Privacy contact's e-mail address"),
    "countries": N_("Where the data is processed"),
    "sub_processors": N_("Sub-processors"),
    "certifications": N_("Certifications"),
    "dpf_certified": N_("Certified under the EU-US Data Privacy Framework"),
    "security_measures": N_("Security measures"),
    "breach_notice_hours": N_("Personal data breach notification deadline (hours)"),
}
# Answers kept with the proposal for the DPO's information; the register has no field for them.
INFORMATION_FIELDS: dict[str, str] = {
    "security_contact": N_("Security contact"),
    "transfer_tools": N_("Transfer tools"),
}
# Every form field's label (the errors name them).
FIELD_LABELS: dict[str, str] = {
    **PROPOSAL_FIELDS,
    **INFORMATION_FIELDS,
    "iso_27001_until": N_("ISO/IEC 27001: valid until"),
    "soc2_on": N_("SOC 2 Type II: report date"),
    "dpf_on": N_("Data Privacy Framework: certified since"),
    "other_certifications": N_("Other certifications"),
    "security_text": N_("Other security measures"),
    "dpa": N_("Your data processing agreement (DPA)"),
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of the proposal: the register's value and the vendor's."""

    name: str
    current: Any
    proposed: Any

    @property
    def changed(self) -> bool:
        return normalised(self.current) != normalised(self.proposed)


def normalised(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [normalised(v) for v in value]
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in sorted(value.items())}
    if isinstance(value, str):
        return value.strip()
    return value


def blank_answers() -> dict[str, Any]:
    return {
        "legal_name": "", "address": "", "privacy_contact": "", "contact_email": "", "security_contact": "",
        "countries": [], "sub_processors": [], "transfer_tools": [],
        "iso_27001": False, "iso_27001_until": "", "soc2": False, "soc2_on": "", "dpf": False, "dpf_on": "",
        "other_certifications": "", "security_checklist": [], "security_text": "", "breach_notice_hours": "",
    }  # fmt: skip


def sub_processor_rows(answers: Mapping[str, Any]) -> int:
    """How many sub-processor rows the form shows: the filled ones and a few blank ones."""
    return max(MIN_ROWS, len(answers.get("sub_processors") or ()) + MIN_BLANK_ROWS)


Getter = Callable[[str], list[str]]


def read_answers(
    values: Getter, known_countries: Iterable[str], language: str, *, submitting: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers from the form's values (``values(name)`` gives every value sent under ``name``),
    and the errors by field, each naming the field, in ``language``. Nothing typed is lost."""
    said = words(language)
    countries_known = set(known_countries)
    errors: dict[str, str] = {}

    def one(name: str) -> str:
        found = values(name)
        return found[0].replace("\r\n", "\n").strip() if found else ""

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, said.gettext("%(field)s: %(problem)s", field=said.gettext(FIELD_LABELS.get(name, name)),
                                             problem=message))

    def text(name: str, limit: int) -> str:
        value = one(name)
        if len(value) > limit:
            refuse(name, said.gettext("at most %(limit)s characters", limit=limit))
            return value[:limit]
        return value

    def ticked(name: str) -> bool:
        return bool(values(name)) and values(name)[0] not in ("", "off")

    def day(name: str) -> str:
        value = one(name)
        if value and not DATE.match(value):
            refuse(name, said.gettext("give a date (YYYY-MM-DD)"))
        return value

    def country_codes(name: str, raw: Iterable[str]) -> list[str]:
        codes: list[str] = []
        for item in raw:
            for code in re.split(r"[\s,;]+", item.upper()):
                if not code:
                    continue
                if code not in countries_known:
                    refuse(name, said.gettext("unknown country code “%(code)s”", code=code[:10]))
                elif code not in codes:
                    codes.append(code)
        if len(codes) > MAX_COUNTRIES:
            refuse(name, said.gettext("at most %(limit)s countries", limit=MAX_COUNTRIES))
        return codes[:MAX_COUNTRIES]

    answers = blank_answers()
    answers["legal_name"] = text("legal_name", TEXT_LIMIT)
    answers["address"] = text("address", ADDRESS_LIMIT)
    answers["privacy_contact"] = text("privacy_contact", TEXT_LIMIT)
    answers["contact_email"] = text("contact_email", TEXT_LIMIT)
    if answers["contact_email"] and not EMAIL.match(answers["contact_email"]):
        refuse("contact_email", said.gettext("not an e-mail address"))
    answers["security_contact"] = text("security_contact", TEXT_LIMIT)
    answers["countries"] = country_codes("countries", values("countries")[:MAX_COUNTRIES * 2])
    answers["sub_processors"] = _sub_processors(values, country_codes, refuse, said)
    answers["transfer_tools"] = [tool for tool in TRANSFER_TOOLS if tool in values("transfer_tools")]
    answers["iso_27001"] = ticked("iso_27001")
    answers["iso_27001_until"] = day("iso_27001_until")
    answers["soc2"] = ticked("soc2")
    answers["soc2_on"] = day("soc2_on")
    answers["dpf"] = ticked("dpf")
    answers["dpf_on"] = day("dpf_on")
    answers["other_certifications"] = text("other_certifications", ADDRESS_LIMIT)
    answers["security_checklist"] = [m for m in SECURITY_MEASURES if m in values("security_checklist")]
    answers["security_text"] = text("security_text", LONG_TEXT_LIMIT)
    hours = one("breach_notice_hours")
    answers["breach_notice_hours"] = hours[:10]
    if hours and (not hours.isdigit() or not 1 <= int(hours) <= MAX_BREACH_HOURS):
        refuse("breach_notice_hours", said.gettext("a whole number of hours between 1 and %(limit)s", limit=MAX_BREACH_HOURS))
    if submitting:
        for required in ("legal_name", "privacy_contact", "contact_email"):
            if not answers[required]:
                refuse(required, said.gettext("required before sending"))
        if not answers["countries"]:
            refuse("countries", said.gettext("name at least one country"))
    return answers, errors


def _sub_processors(values: Getter, country_codes, refuse, said) -> list[dict[str, Any]]:
    names, countries, purposes = values("sub_name"), values("sub_countries"), values("sub_purpose")
    rows: list[dict[str, Any]] = []
    for index in range(min(max(len(names), len(countries), len(purposes)), MAX_SUB_PROCESSORS + MIN_BLANK_ROWS)):
        name = (names[index] if index < len(names) else "").strip()
        where = (countries[index] if index < len(countries) else "").strip()
        purpose = (purposes[index] if index < len(purposes) else "").strip()
        if not (name or where or purpose):
            continue
        if not name:
            refuse("sub_processors", said.gettext("row %(row)s has no name", row=index + 1))
        if len(name) > TEXT_LIMIT or len(purpose) > ADDRESS_LIMIT:
            refuse("sub_processors", said.gettext("row %(row)s is too long", row=index + 1))
        rows.append({"name": name[:TEXT_LIMIT], "countries": country_codes("sub_processors", [where]),
                     "purpose": purpose[:ADDRESS_LIMIT]})
    if len(rows) > MAX_SUB_PROCESSORS:
        refuse("sub_processors", said.gettext("at most %(limit)s sub-processors", limit=MAX_SUB_PROCESSORS))
    return rows[:MAX_SUB_PROCESSORS]


def certification_terms(answers: Mapping[str, Any]) -> list[str]:
    """The certifications as the register lists them (one term each; dates as given, ISO 8601)."""
    terms: list[str] = []
    if answers.get("iso_27001"):
        until = answers.get("iso_27001_until") or ""
        terms.append(f"ISO/IEC 27001 ({until})" if until else "ISO/IEC 27001")
    if answers.get("soc2"):
        on = answers.get("soc2_on") or ""
        terms.append(f"SOC 2 Type II ({on})" if on else "SOC 2 Type II")
    for line in str(answers.get("other_certifications") or "").splitlines():
        if line.strip() and line.strip() not in terms:
            terms.append(line.strip()[:TEXT_LIMIT])
    return terms


def security_text(answers: Mapping[str, Any], language: str) -> str:
    """The ticked measures (one line each, in the questionnaire's language), then the vendor's own text."""
    said = words(language)
    lines = [f"- {said.gettext(SECURITY_MEASURES[m])}" for m in answers.get("security_checklist") or () if m in SECURITY_MEASURES]
    own = str(answers.get("security_text") or "").strip()
    return "\n".join(lines + ([own] if own else []))


def proposed_values(answers: Mapping[str, Any], language: str) -> dict[str, Any]:
    """What the answers propose for each of :data:`PROPOSAL_FIELDS` (a field left blank proposes nothing)."""
    hours = str(answers.get("breach_notice_hours") or "")
    proposed: dict[str, Any] = {
        "legal_name": answers.get("legal_name") or None,
        "address": answers.get("address") or None,
        "privacy_contact": answers.get("privacy_contact") or None,
        "contact_email": answers.get("contact_email") or None,
        "countries": list(answers.get("countries") or []) or None,
        "sub_processors": [dict(row) for row in answers.get("sub_processors") or []] or None,
        "certifications": certification_terms(answers) or None,
        "dpf_certified": True if answers.get("dpf") else None,
        "security_measures": security_text(answers, language) or None,
        "breach_notice_hours": int(hours) if hours.isdigit() else None,
    }
    return {name: value for name, value in proposed.items() if value is not None}


def field_changes(current: Mapping[str, Any], proposed: Mapping[str, Any]) -> list[FieldChange]:
    """The proposal's fields against the register's current values, in the review's order."""
    return [FieldChange(name, current.get(name), proposed[name]) for name in PROPOSAL_FIELDS if name in proposed]


def parse_edit(name: str, raw: str, known_countries: Iterable[str], language: str = "en") -> Any:
    """The DPO's edited value of one field, from the review form's text (ValueError naming the problem,
    in ``language``)."""
    said = words(language)
    raw = raw.replace("\r\n", "\n").strip()
    known = set(known_countries)

    def codes(text: str) -> list[str]:
        found = [code for code in re.split(r"[\s,;]+", text.upper()) if code]
        unknown = [code for code in found if code not in known]
        if unknown:
            raise ValueError(said.gettext("unknown country code “%(code)s”", code=unknown[0][:10]))
        return list(dict.fromkeys(found))

    if name in ("legal_name", "privacy_contact", "contact_email"):
        if not raw and name == "legal_name":
            raise ValueError(said.gettext("required"))
        if len(raw) > TEXT_LIMIT:
            raise ValueError(said.gettext("at most %(limit)s characters", limit=TEXT_LIMIT))
        if name == "contact_email" and raw and not EMAIL.match(raw):
            raise ValueError(said.gettext("not an e-mail address"))
        return raw
    if name in ("address", "security_measures"):
        if len(raw) > LONG_TEXT_LIMIT:
            raise ValueError(said.gettext("at most %(limit)s characters", limit=LONG_TEXT_LIMIT))
        return raw
    if name == "countries":
        return codes(raw)
    if name == "certifications":
        return [line.strip()[:TEXT_LIMIT] for line in raw.splitlines() if line.strip()]
    if name == "dpf_certified":
        if raw.lower() in ("yes", "oui", "true", "1"):
            return True
        if raw.lower() in ("no", "non", "false", "0"):
            return False
        raise ValueError(said.gettext("answer yes or no"))
    if name == "breach_notice_hours":
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_BREACH_HOURS:
            raise ValueError(said.gettext("a whole number of hours between 1 and %(limit)s", limit=MAX_BREACH_HOURS))
        return int(raw)
    if name == "sub_processors":
        rows = []
        for line in raw.splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if not parts[0]:
                raise ValueError(said.gettext("each line starts with the sub-processor's name"))
            rows.append({"name": parts[0][:TEXT_LIMIT], "countries": codes(parts[1] if len(parts) > 1 else ""),
                         "purpose": (parts[2] if len(parts) > 2 else "")[:ADDRESS_LIMIT]})
        return rows
    raise ValueError(f"unknown field {name!r}")


def edit_text(name: str, value: Any) -> str:
    """A field's value as the review form's edit box shows it (the inverse of :func:`parse_edit`)."""
    if value is None:
        return ""
    if name == "countries":
        return ", ".join(value)
    if name == "certifications":
        return "\n".join(value)
    if name == "sub_processors":
        return "\n".join(f"{row['name']} | {', '.join(row.get('countries') or [])} | {row.get('purpose') or ''}" for row in value)
    if name == "dpf_certified":
        return "yes" if value else "no"
    return str(value)
