"""Builders for the compliance core's tests: a processor that raises no
finding, which each test then spoils in exactly one way."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from register.compliance import assess_processor
from register.compliance.model import (
    Agreement,
    ClauseAssessment,
    Location,
    Processor,
    Safeguard,
    SubProcessor,
)
from register.compliance.results import ProcessorAssessment
from register.reference import load_reference
from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    ProspectionUse,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

AS_OF = date(2026, 11, 29)
REFERENCE = load_reference()


def clauses(status: ClauseStatus = ClauseStatus.PRESENT) -> tuple[ClauseAssessment, ...]:
    """Every Art. 28(3) item of the reference, with one status."""
    return tuple(
        ClauseAssessment(id=n, item=item_id, status=status, section=f"§{n}")
        for n, item_id in enumerate(REFERENCE.art28_item_ids(), start=1)
    )


def agreement(**changes) -> Agreement:
    """A signed DPA in force on AS_OF, with every item present."""
    base = Agreement(
        id=1,
        signed_on=date(2025, 1, 15),
        effective_on=date(2025, 2, 1),
        ends_on=None,
        reference="DPA-2025-01",
        sub_processor_authorisation=SubProcessorAuthorisation.GENERAL,
        objection_notice_days=30,
        breach_notice_hours=24,
        governing_law="FR",
        clauses=clauses(),
    )
    return replace(base, **changes)


def location(country: str, *, id: int = 1, activity: LocationActivity = LocationActivity.HOSTING) -> Location:
    return Location(id=id, country=country, activity=activity)


def sub_processor(
    name: str = "SubCo", countries: tuple[str, ...] = ("DE",), *, id: int = 10, **changes
) -> SubProcessor:
    return replace(SubProcessor(id=id, name=name, countries=countries, flowdown=Tristate.YES), **changes)


def scc(
    country: str,
    *,
    id: int = 100,
    module: int | None = 2,
    tia_on: date | None = date(2026, 6, 1),
    sub_processor_id: int | None = None,
    **changes,
) -> Safeguard:
    """2021 SCCs with a fresh transfer impact assessment."""
    return replace(
        Safeguard(
            id=id,
            country=country,
            mechanism=TransferMechanism.SCC_2021,
            sub_processor_id=sub_processor_id,
            scc_module=module,
            signed_on=date(2025, 1, 15),
            tia_on=tia_on,
        ),
        **changes,
    )


def safeguard(
    country: str,
    mechanism: TransferMechanism,
    *,
    id: int = 200,
    sub_processor_id: int | None = None,
    **changes,
) -> Safeguard:
    return replace(
        Safeguard(id=id, country=country, mechanism=mechanism, sub_processor_id=sub_processor_id),
        **changes,
    )


def processor(**changes) -> Processor:
    """An approved processor, hosted in France, that raises no finding."""
    base = Processor(
        id=1,
        organisation_id=1,
        legal_name="Acme SAS",
        headquarters_country="FR",
        status=LifecycleStatus.APPROVED,
        special_category_data=False,
        prospection_use=ProspectionUse.NONE,
        indirect_collection=False,
        retention_months=24,
        security_measures="Encryption at rest and in transit; ISO 27001.",
        next_review_on=date(2027, 6, 1),
        locations=(location("FR"),),
        sub_processors=(),
        agreement=agreement(),
        safeguards=(),
    )
    return replace(base, **changes)


def assess(p: Processor, **options) -> ProcessorAssessment:
    options.setdefault("as_of", AS_OF)
    return assess_processor(p, **options)


def codes(assessment: ProcessorAssessment) -> list[str]:
    return sorted(f.code for f in assessment.findings)


def findings_of(assessment: ProcessorAssessment, code: str) -> list:
    return [f for f in assessment.findings if f.code == code]
