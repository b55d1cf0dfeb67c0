"""A candidate tool described in one request, as the core's plain value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from register.compliance import model
from register.reference import load_reference
from register.schemas import (
    AgreementRecord,
    CandidateInput,
    LocationRecord,
    SafeguardRecord,
    SubProcessorRecord,
)
from register.vocabulary import ProspectionUse, TransferMechanism
from register.web.forms import ProcurementForm
from register.store.errors import InvalidReference
from register.i18n.terms import term

NESTED = ("locations", "sub_processors", "agreement", "safeguards")


def _fields(record: Any, *exclude: str) -> dict[str, Any]:
    values = msgspec.structs.asdict(record)
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in values.items()
        if name not in exclude
    }


def candidate_processor(candidate: CandidateInput, organisation_id: int) -> model.Processor:
    """The candidate as an unsaved processor (no id); sub-processor ids are their keys."""
    sub_keys = {sub.key for sub in candidate.sub_processors}
    for index, safeguard in enumerate(candidate.safeguards):
        if safeguard.sub_processor_id is not None and safeguard.sub_processor_id not in sub_keys:
            raise InvalidReference(
                f"safeguards[{index}].sub_processor_id",
                f"no sub-processor with key {safeguard.sub_processor_id} in this candidate",
            )
    agreement = None
    if candidate.agreement is not None:
        agreement = model.Agreement(
            id=None,
            **_fields(candidate.agreement, "clauses"),
            clauses=tuple(
                model.ClauseAssessment(id=None, **_fields(c)) for c in candidate.agreement.clauses
            ),
        )
    return model.Processor(
        id=None,
        organisation_id=organisation_id,
        **_fields(candidate, *NESTED),
        locations=tuple(model.Location(id=None, **_fields(loc)) for loc in candidate.locations),
        sub_processors=tuple(
            model.SubProcessor(id=sub.key, **_fields(sub, "key")) for sub in candidate.sub_processors
        ),
        agreement=agreement,
        safeguards=tuple(model.Safeguard(id=None, **_fields(s)) for s in candidate.safeguards),
    )


def candidate_of_answers(answers: Mapping[str, Any], language: str) -> CandidateInput:
    """The candidate processor a procurement request describes (what a DPO would record).

    ``answers``: the validated request form (:class:`register.web.forms.ProcurementForm`
    fields). Every country the data goes to is a location of the vendor; each
    named provider is a sub-processor (key 1, 2…). SCCs offered by the vendor
    are recorded for each flow outside the EEA (module 2 to the vendor, module
    3 onward); the core ignores them where an adequacy decision applies. An
    unanswered question stays ``None``: the verdict asks it.
    """
    form = msgspec.convert(dict(answers), ProcurementForm)
    reference = load_reference()
    own_countries = form.data_countries or ([form.vendor_country] if form.vendor_country else [])
    sub_processors = [
        SubProcessorRecord(key=key, name=answer.name, countries=[answer.country] if answer.country else [])
        for key, answer in enumerate(form.sub_processors, start=1)
    ]
    safeguards: list[SafeguardRecord] = []
    if form.scc_offered:
        safeguards += [
            SafeguardRecord(country=c, mechanism=TransferMechanism.SCC_2021, scc_module=2)
            for c in own_countries if not reference.is_eea(c)
        ]
        safeguards += [
            SafeguardRecord(country=c, mechanism=TransferMechanism.SCC_2021, scc_module=3, sub_processor_id=sub.key)
            for sub in sub_processors for c in sub.countries if not reference.is_eea(c)
        ]
    marketing = form.marketing in (ProspectionUse.B2B, ProspectionUse.B2C)
    return CandidateInput(
        legal_name=form.legal_name or form.tool_name,
        trade_name=form.tool_name,
        website=form.website,
        category=form.category,
        service_description=form.purpose,
        headquarters_country=form.vendor_country,
        data_categories=[term(f"data_kind.{kind}", language) for kind in form.data_kinds]
        + ([form.data_other] if form.data_other else []),
        data_subject_categories=[term(f"people.{who}", language) for who in form.people],
        special_category_data=form.sensitive,
        indirect_collection=form.bought_data,
        prospection_use=form.marketing,
        opt_out_offered=form.recipients_can_opt_out if marketing else None,
        prior_consent_collected=form.prior_consent if form.marketing == ProspectionUse.B2C else None,
        dpf_certified=form.dpf_certified,
        locations=[LocationRecord(country=c) for c in form.data_countries],
        sub_processors=sub_processors,
        agreement=AgreementRecord() if form.dpa == "offered" else None,
        safeguards=safeguards,
    )
