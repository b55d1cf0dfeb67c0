"""HTML forms: what each form holds, how its fields become values, and errors
shown next to the field they are about.

Browsers post strings: a checkbox posts ``on`` (or nothing), an empty input
posts ``""``, a multi-select posts the name once per choice. Every form field
goes through :func:`normalise` (one place), then the edge struct of
:mod:`register.schemas` validates the values field by field, so that every
field in error is reported at once, in the UI's language, while the form is
shown again with what was typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Annotated, Any, Iterable, Literal, Mapping, Protocol, Sequence

import msgspec
from msgspec import Meta

from register.reference import load_reference
from register.schemas import (
    AgreementInput,
    ClauseInput,
    MAX_ID,
    NO_NUL,
    CountryCode,
    LocationInput,
    OrganisationInput,
    ProcessorInput,
    SafeguardInput,
    SubProcessorInput,
    check_country,
    check_website,
)
from register.store.errors import Conflict, InvalidReference, StaleVersion, StoreError
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
from register.web.countries import country_choices  # noqa: F401  (the pickers' choices, re-exported)
from register.i18n import words
from register.i18n.validation import WHOLE_RECORD, field_of, friendly  # noqa: F401  (re-exported)

# Field kinds: how a posted string becomes a value, and which widget shows it.
TEXT, TEXTAREA, LINES, SELECT, YES_NO, CHECKBOX, DATE, INTEGER, COUNTRY, COUNTRIES, REFERENCE, CHOICES = (
    "text", "textarea", "lines", "select", "yes_no", "checkbox", "date", "integer",
    "country", "countries", "reference", "choices",
)
NULLABLE_WHEN_EMPTY = {SELECT, DATE, INTEGER, COUNTRY, REFERENCE}
FORM_ERROR = WHOLE_RECORD  # errors about the whole form (stale version, conflict)


@dataclass(frozen=True, slots=True)
class Field:
    """One form field: its name is the struct field's; labels come from i18n ``field.<name>``."""

    name: str
    kind: str = TEXT
    choices: tuple[str, ...] = ()  # SELECT, CHOICES: the values (labels from i18n ``<choice_labels>.<value>``)
    choice_labels: str = ""
    required: bool = False
    empty_choice: bool = False  # SELECT: offer "—" (posted as "", meaning "not recorded")
    input_type: str = "text"  # TEXT: "text" | "email" | "url"


@dataclass(frozen=True, slots=True)
class Fieldset:
    legend: str  # i18n key
    fields: tuple[Field, ...]


# Values kept for what imported sheets recorded, never offered for a new record.
RETIRED_CHOICES = frozenset({TransferMechanism.PRIVACY_SHIELD})


def _choices(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum if member not in RETIRED_CHOICES)


def select(name: str, enum: type[Enum], labels: str, **options: Any) -> Field:
    return Field(name, SELECT, choices=_choices(enum), choice_labels=labels, **options)


# ------------------------------------------------------------------ the forms

PROCESSOR_FORM = (
    Fieldset("legend.identity", (
        Field("legal_name", required=True),
        Field("trade_name"),
        Field("website", input_type="url"),
        select("category", ProcessorCategory, "category"),
        select("role", ProcessorRole, "role"),
        select("status", LifecycleStatus, "status"),
        Field("headquarters_country", COUNTRY),
        Field("service_description", TEXTAREA),
        Field("internal_owner"),
        Field("privacy_contact"),
    )),
    Fieldset("legend.address_contact", (
        Field("address", TEXTAREA),
        Field("contact_name"),
        Field("contact_position"),
        Field("contact_email", input_type="email"),
    )),
    Fieldset("legend.data", (
        Field("data_categories", LINES),
        Field("data_subject_categories", LINES),
        Field("purposes", LINES),
        Field("special_category_data", YES_NO),
        Field("special_categories", TEXTAREA),
        Field("special_category_safeguards", TEXTAREA),
    )),
    Fieldset("legend.prospection", (
        select("prospection_use", ProspectionUse, "prospection", empty_choice=True),
        Field("indirect_collection", YES_NO),
        Field("source_disclosed", YES_NO),
        Field("opt_out_offered", YES_NO),
        Field("prior_consent_collected", YES_NO),
    )),
    Fieldset("legend.retention_security", (
        Field("retention_months", INTEGER),
        Field("retention_unlimited", CHECKBOX),
        Field("security_measures", TEXTAREA),
        Field("certifications", LINES),
    )),
    Fieldset("legend.transfer_facts", (
        Field("dpf_certified", YES_NO),
        Field("dpf_checked_on", DATE),
        Field("pipeda_scope", YES_NO),
        Field("lgpd_scope", YES_NO),
    )),
    Fieldset("legend.reviews", (
        Field("last_review_on", DATE),
        Field("next_review_on", DATE),
    )),
)

LOCATION_FORM = (
    Fieldset("legend.location", (
        Field("country", COUNTRY, required=True),
        select("activity", LocationActivity, "activity"),
        Field("note", TEXTAREA),
    )),
)

SUB_PROCESSOR_FORM = (
    Fieldset("legend.sub_processor", (
        Field("name", required=True),
        Field("countries", COUNTRIES),
        Field("purpose", TEXTAREA),
        select("flowdown", Tristate, "tristate"),
        Field("registered_processor_id", REFERENCE),
    )),
    Fieldset("legend.address_contact", (
        Field("address", TEXTAREA),
        Field("contact_name"),
        Field("contact_position"),
        Field("contact_email", input_type="email"),
    )),
    Fieldset("legend.transfer_facts", (
        Field("dpf_certified", YES_NO),
        Field("dpf_checked_on", DATE),
        Field("pipeda_scope", YES_NO),
        Field("lgpd_scope", YES_NO),
    )),
)

AGREEMENT_FORM = (
    Fieldset("legend.agreement", (
        Field("reference"),
        Field("signed_on", DATE),
        Field("effective_on", DATE),
        Field("ends_on", DATE),
        select("sub_processor_authorisation", SubProcessorAuthorisation, "authorisation"),
        Field("objection_notice_days", INTEGER),
        Field("objection_notice_business_days", CHECKBOX),
        Field("breach_notice_hours", INTEGER),
        Field("governing_law"),
    )),
    Fieldset("legend.scc_options", (
        Field("docking_clause", YES_NO),
        Field("assistance_measures", TEXTAREA),
        Field("breach_assistance_measures", TEXTAREA),
    )),
)

ORGANISATION_FORM = (
    Fieldset("legend.organisation", (
        Field("name", required=True),
        Field("country", COUNTRY, required=True),
        Field("dpo_name"),
        Field("dpo_email", input_type="email"),
        Field("lead_authority"),
    )),
    Fieldset("legend.address_contact", (
        Field("address", TEXTAREA),
        Field("contact_name"),
        Field("contact_position"),
        Field("contact_email", input_type="email"),
    )),
)

SAFEGUARD_FORM = (
    Fieldset("legend.safeguard", (
        Field("country", COUNTRY, required=True),
        select("mechanism", TransferMechanism, "mechanism", required=True),
        Field("sub_processor_id", REFERENCE),
        Field("scc_module", SELECT, choices=("1", "2", "3", "4"), choice_labels="module", empty_choice=True),
        Field("signed_on", DATE),
        Field("tia_on", DATE),
        Field("supplementary_measures", TEXTAREA),
    )),
)

CLAUSE_STATUS = select("status", ClauseStatus, "clause_status")


def fields_of(form: Sequence[Fieldset]) -> tuple[Field, ...]:
    return tuple(f for fieldset in form for f in fieldset.fields)


# ------------------------------------------------------------------ posted data


class FormData(Protocol):
    """What ``await request.form()`` returns (a multi-dict)."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def getall(self, key: str, default: Any = ...) -> list[Any]: ...


def _text(data: FormData, name: str) -> str:
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _split_countries(values: Iterable[str]) -> list[str]:
    codes: list[str] = []
    for value in values:
        codes += [code.upper() for code in re.split(r"[\s,;]+", value) if code]
    return list(dict.fromkeys(codes))


def typed_values(fields: Sequence[Field], data: FormData) -> dict[str, str]:
    """What was typed, as strings, to show the form again (multi-values joined)."""
    typed: dict[str, str] = {}
    for spec in fields:
        if spec.kind == COUNTRIES:
            typed[spec.name] = ", ".join(v for v in data.getall(spec.name, []) if isinstance(v, str))
        elif spec.kind == CHOICES:
            typed[spec.name] = ",".join(v for v in data.getall(spec.name, []) if v in spec.choices)
        elif spec.kind == CHECKBOX:
            typed[spec.name] = "on" if data.get(spec.name) else ""
        else:
            value = data.get(spec.name, "")
            typed[spec.name] = value if isinstance(value, str) else ""
    return typed


def normalise(fields: Sequence[Field], data: FormData) -> dict[str, Any]:
    """Posted strings -> the values the edge structs expect (the one place for form quirks)."""
    values: dict[str, Any] = {}
    for spec in fields:
        text = _text(data, spec.name)
        if spec.kind == CHECKBOX:
            values[spec.name] = text != ""  # "on" when ticked, absent otherwise
        elif spec.kind == YES_NO:
            values[spec.name] = {"yes": True, "no": False}.get(text)
        elif spec.kind == LINES:
            values[spec.name] = [line.strip() for line in text.splitlines() if line.strip()]
        elif spec.kind == COUNTRIES:
            values[spec.name] = _split_countries(v for v in data.getall(spec.name, []) if isinstance(v, str))
        elif spec.kind == CHOICES:  # several checkboxes of one name; unknown values are dropped
            values[spec.name] = [v for v in data.getall(spec.name, []) if v in spec.choices]
        elif spec.kind == COUNTRY:
            values[spec.name] = text.upper() or None
        elif spec.kind == SELECT and not spec.empty_choice and not text:
            continue  # a select always posts a value; without one, the record's default applies
        elif spec.kind in (INTEGER, REFERENCE) or (spec.kind == SELECT and spec.choices and spec.choices[0].isdigit()):
            values[spec.name] = int(text) if re.fullmatch(r"-?\d{1,12}", text) else (text or None)
        elif spec.kind in NULLABLE_WHEN_EMPTY:
            values[spec.name] = text or None
        else:
            values[spec.name] = text
    return values


# ------------------------------------------------------------------ validation


@dataclass
class FormState:
    """A form as shown: the values (typed, or read from the record) and errors by field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    version: int | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, name: str) -> str:
        return self.errors.get(name, "")


def validate(
    struct_type: type[msgspec.Struct], values: Mapping[str, Any], language: str
) -> tuple[Any | None, dict[str, str]]:
    """Field by field (so every error shows at once), then the whole struct (cross-field rules)."""
    errors: dict[str, str] = {}
    for info in msgspec.structs.fields(struct_type):
        if info.name not in values:
            if info.required:
                errors[info.name] = words(language).gettext("This field is required.")
            continue
        try:
            msgspec.convert(values[info.name], info.type)
        except msgspec.ValidationError as error:
            errors[info.name] = friendly(field_of(str(error))[1] or str(error), language)
    if errors:
        return None, errors
    try:
        return msgspec.convert(dict(values), struct_type), {}
    except (msgspec.ValidationError, ValueError) as error:
        name, message = field_of(str(error))
        return None, {name: friendly(message, language)}


def unknown_countries(fields: Sequence[Field], values: Mapping[str, Any], language: str) -> dict[str, str]:
    """Country fields naming no ISO country (the structs check them last, with the whole record)."""
    reference = load_reference()
    errors = {}
    for spec in fields:
        value = values.get(spec.name)
        codes = value if spec.kind == COUNTRIES else [value] if spec.kind == COUNTRY and value else []
        if any(isinstance(code, str) and not reference.is_known_country(code) for code in codes or []):
            errors[spec.name] = words(language).gettext("Unknown country: choose a country from the list.")
    return errors


def store_error(error: StoreError, language: str) -> dict[str, str]:
    """A store refusal as a form error: on the field it names, or on the whole form."""
    if isinstance(error, InvalidReference):
        return {error.field.split("[")[0]: friendly(field_of(str(error))[1], language)}
    if isinstance(error, StaleVersion):
        return {FORM_ERROR: words(language).gettext("Someone else changed this item in the meantime: reload the page, then make your change again.")}
    if isinstance(error, Conflict):
        return {FORM_ERROR: str(error)}
    return {FORM_ERROR: str(error)}


# ------------------------------------------------------------------ from records


def shown(value: Any, kind: str) -> str:
    """A stored value as the form shows it."""
    if value is None:
        return ""
    if kind == YES_NO:
        return "yes" if value else "no"
    if kind == CHECKBOX:
        return "on" if value else ""
    if kind == LINES:
        return "\n".join(value)
    if kind == COUNTRIES:
        return ", ".join(value)
    if kind == CHOICES:
        return ",".join(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def values_of(record: Any, fields: Sequence[Field]) -> dict[str, str]:
    return {spec.name: shown(getattr(record, spec.name, None), spec.kind) for spec in fields}


def blank_values(fields: Sequence[Field], **given: str) -> dict[str, str]:
    defaults = {"category": "other", "role": "processor", "status": "proposed", "activity": "hosting",
                "flowdown": "unknown", "sub_processor_authorisation": "none_recorded",
                "mechanism": "scc_2021"}
    values = {spec.name: defaults.get(spec.name, "") for spec in fields}
    values.update({k: v for k, v in given.items() if k in values})
    return values


# ------------------------------------------------------------------ one record's form


@dataclass(frozen=True, slots=True)
class RecordForm:
    """A record kind's form and the edge struct that validates it."""

    fieldsets: tuple[Fieldset, ...]
    struct: type[msgspec.Struct]

    @property
    def fields(self) -> tuple[Field, ...]:
        return fields_of(self.fieldsets)

    def read(self, data: FormData, language: str) -> tuple[dict[str, Any] | None, FormState]:
        """Validated values (``None`` when invalid) and the form to show again."""
        state = FormState(values=typed_values(self.fields, data), version=posted_version(data))
        values = normalise(self.fields, data)
        validated, state.errors = validate(self.struct, values, language)
        if validated is None:
            state.errors = {**unknown_countries(self.fields, values, language), **state.errors}
            return None, state
        return msgspec.structs.asdict(validated), state


def posted_version(data: FormData) -> int | None:
    return version_of(_text(data, "version"))


def version_of(text: str) -> int | None:
    """A posted version: a number an id column can hold, or None (then the store refuses it as stale)."""
    return int(text) if text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID else None


PROCESSOR = RecordForm(PROCESSOR_FORM, ProcessorInput)
LOCATION = RecordForm(LOCATION_FORM, LocationInput)
SUB_PROCESSOR = RecordForm(SUB_PROCESSOR_FORM, SubProcessorInput)
AGREEMENT = RecordForm(AGREEMENT_FORM, AgreementInput)
SAFEGUARD = RecordForm(SAFEGUARD_FORM, SafeguardInput)
ORGANISATION = RecordForm(ORGANISATION_FORM, OrganisationInput)


# ------------------------------------------------------------------ the Art. 28 checklist


@dataclass(frozen=True, slots=True)
class ClauseRow:
    item: str
    values: dict[str, Any] | None  # validated ClauseInput fields, None when invalid
    version: int | None
    changed: bool


def clause_field(item: str, name: str) -> str:
    return f"{name}__{item}"


def read_checklist(
    data: FormData, items: Sequence[str], current: Mapping[str, Any], language: str
) -> tuple[list[ClauseRow], FormState]:
    """Every item's status, contract section and note, validated; ``current``: the stored
    assessments by item (to send only what changed)."""
    state = FormState()
    rows: list[ClauseRow] = []
    for item in items:
        typed = {name: _text(data, clause_field(item, name)) for name in ("status", "section", "note")}
        state.values.update({clause_field(item, k): v for k, v in typed.items()})
        version_text = _text(data, clause_field(item, "version"))
        version = version_of(version_text)
        posted = {k: v for k, v in typed.items() if v or k != "status"}  # no status: "unassessed"
        validated, errors = validate(ClauseInput, posted, language)
        typed["status"] = typed["status"] or ClauseStatus.UNASSESSED.value
        state.errors.update({clause_field(item, k): v for k, v in errors.items()})
        stored = current.get(item)
        before = (
            {"status": stored.status.value, "section": stored.section, "note": stored.note}
            if stored is not None
            else {"status": ClauseStatus.UNASSESSED.value, "section": "", "note": ""}
        )
        rows.append(ClauseRow(
            item,
            msgspec.structs.asdict(validated) if validated is not None else None,
            version,
            changed=typed != before,
        ))
    return rows, state


def checklist_values(items: Sequence[str], current: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        stored = current.get(item)
        values[clause_field(item, "status")] = stored.status.value if stored else ClauseStatus.UNASSESSED.value
        values[clause_field(item, "section")] = stored.section if stored else ""
        values[clause_field(item, "note")] = stored.note if stored else ""
        values[clause_field(item, "version")] = str(stored.version) if stored else ""
    return values


# ------------------------------------------------------------------ a procurement request


DATA_KINDS = ("identity", "contact", "professional", "financial", "online", "location", "usage")
PEOPLE = ("customers", "prospects", "employees", "candidates", "suppliers", "visitors")
DPA_ANSWERS = ("offered", "none", "unknown")
DATA_COUNTRY_ROWS = 4  # country pickers for "where does the data go?"
SUB_PROCESSOR_ROWS = 4  # name + country rows for the vendor's own providers

REQUEST_FORM = (
    Fieldset("legend.tool", (
        Field("tool_name", required=True),
        Field("legal_name"),
        Field("website", input_type="url"),
        select("category", ProcessorCategory, "category"),
        Field("purpose", TEXTAREA, required=True),
    )),
    Fieldset("legend.request_data", (
        Field("data_kinds", CHOICES, choices=DATA_KINDS, choice_labels="data_kind"),
        Field("data_other"),
        Field("people", CHOICES, choices=PEOPLE, choice_labels="people"),
        Field("sensitive", YES_NO),
        Field("bought_data", YES_NO),
    )),
    Fieldset("legend.marketing", (
        select("marketing", ProspectionUse, "prospection_answer", empty_choice=True),
        Field("recipients_can_opt_out", YES_NO),
        Field("prior_consent", YES_NO),
    )),
    Fieldset("legend.vendor", (
        Field("vendor_country", COUNTRY),
    )),
    Fieldset("legend.contract", (
        Field("dpa", SELECT, choices=DPA_ANSWERS, choice_labels="dpa_answer"),
        Field("scc_offered", YES_NO),
        Field("dpf_certified", YES_NO),
    )),
)


class SubProcessorAnswer(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One of the vendor's own providers, as procurement knows it."""

    name: Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_NUL)]
    country: CountryCode | None = None

    def __post_init__(self) -> None:
        check_country("country", self.country)


class ProcurementForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What a non-lawyer can tell about a tool; :func:`register.candidates.candidate_of_answers`
    makes the candidate."""

    tool_name: Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_NUL)]
    legal_name: Annotated[str, Meta(max_length=200, pattern=NO_NUL)] = ""
    website: Annotated[str, Meta(max_length=500, pattern=NO_NUL)] = ""
    category: ProcessorCategory = ProcessorCategory.OTHER
    purpose: Annotated[str, Meta(min_length=1, max_length=5000, pattern=NO_NUL)]
    data_kinds: list[Literal[DATA_KINDS]] = []  # type: ignore[valid-type]
    data_other: Annotated[str, Meta(max_length=200, pattern=NO_NUL)] = ""
    people: list[Literal[PEOPLE]] = []  # type: ignore[valid-type]
    sensitive: bool | None = None
    bought_data: bool | None = None
    marketing: ProspectionUse | None = None
    recipients_can_opt_out: bool | None = None
    prior_consent: bool | None = None
    vendor_country: CountryCode | None = None
    data_countries: Annotated[list[CountryCode], Meta(max_length=50)] = []
    sub_processors: Annotated[list[SubProcessorAnswer], Meta(max_length=50)] = []
    dpa: Literal[DPA_ANSWERS] = "unknown"  # type: ignore[valid-type]
    scc_offered: bool | None = None
    dpf_certified: bool | None = None

    def __post_init__(self) -> None:
        check_website("website", self.website)
        check_country("vendor_country", self.vendor_country)
        for code in self.data_countries:
            check_country("data_countries", code)


def sub_processor_field(row: int, part: str) -> str:
    """The posted name of a sub-processor row's part ("name" or "country"), rows from 1."""
    return f"sub_processor_{part}__{row}"


def _sub_processor_rows(data: FormData) -> list[dict[str, str]]:
    rows = []
    for row in range(1, SUB_PROCESSOR_ROWS + 1):
        rows.append({part: _text(data, sub_processor_field(row, part)) for part in ("name", "country")})
    return rows


def _sub_processor_errors(rows: Sequence[Mapping[str, str]], language: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The filled rows as values, and an error per row in error (``sub_processors__<row>``)."""
    answers, errors = [], {}
    for row, typed in enumerate(rows, start=1):
        if not typed["name"] and not typed["country"]:
            continue
        values = {"name": typed["name"], "country": typed["country"].upper() or None}
        _, row_errors = validate(SubProcessorAnswer, values, language)
        if not typed["name"]:
            row_errors["name"] = words(language).gettext("Name this provider.")
        if row_errors:
            errors[f"sub_processors__{row}"] = next(iter(row_errors.values()))
        answers.append(values)
    return answers, errors


def read_request(data: FormData, language: str) -> tuple[dict[str, Any] | None, FormState]:
    """The procurement request's answers (``None`` when invalid) and the form to show again."""
    fields = fields_of(REQUEST_FORM)
    typed = typed_values(fields, data)
    countries = [v.strip().upper() for v in data.getall("data_countries", []) if isinstance(v, str) and v.strip()]
    rows = _sub_processor_rows(data)
    state = FormState(values={**typed, "data_countries": countries, "sub_processors": rows})
    values = normalise(fields, data)
    values["data_countries"] = list(dict.fromkeys(countries))
    values["sub_processors"], row_errors = _sub_processor_errors(rows, language)
    validated, errors = validate(ProcurementForm, values, language)
    if validated is None or row_errors:
        if row_errors:
            errors.pop("sub_processors", None)  # said row by row instead
        reference = load_reference()
        if any(not reference.is_known_country(code) for code in values["data_countries"]):
            errors["data_countries"] = words(language).gettext("Unknown country: choose a country from the list.")
        state.errors = {**unknown_countries(fields, values, language), **errors, **row_errors}
        return None, state
    return msgspec.structs.asdict(validated), state


def blank_request() -> FormState:
    values = blank_values(fields_of(REQUEST_FORM), dpa="unknown")
    return FormState(values={**values, "data_countries": [], "sub_processors": _sub_processor_rows({})})  # type: ignore[arg-type]


def read_decision(data: FormData, language: str) -> FormState:
    """The DPO's decision on a request: one of the decisions, with reasons, and
    the conditions (one per line) of an approval with conditions."""
    state = FormState(
        values={
            "decision": _text(data, "decision"),
            "reasons": _text(data, "reasons"),
            "conditions": _text(data, "conditions"),
        },
        version=posted_version(data),
    )
    if state.values["decision"] not in DECISION_VALUES:
        state.errors["decision"] = words(language).gettext("Choose a value from the list.")
    if not state.values["reasons"]:
        state.errors["reasons"] = words(language).gettext("Give the reasons for the decision.")
    elif len(state.values["reasons"]) > 5000:
        state.errors["reasons"] = words(language).gettext("At most %(n)s characters.", n="5000")
    if state.values["decision"] == "approved_with_conditions" and not decision_conditions(state):
        state.errors["conditions"] = words(language).gettext("List the conditions of the approval, one per line.")
    elif len(state.values["conditions"]) > 5000:
        state.errors["conditions"] = words(language).gettext("At most %(n)s characters.", n="5000")
    return state


def decision_conditions(state: FormState) -> list[str]:
    return [line.strip() for line in state.values.get("conditions", "").splitlines() if line.strip()]


DECISION_VALUES = ("approved", "approved_with_conditions", "rejected")
