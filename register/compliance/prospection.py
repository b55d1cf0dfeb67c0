"""Electronic prospection and indirect collection (reference §5, CNIL).

- B2C e-mail prospection needs prior consent (CPCE L.34-5).
- B2B or B2C, every message offers a free, simple opt-out (Art. 21(2)–(3)).
- Prospect data is kept at most ``prospect_retention_months`` (CNIL: 3 years
  from the last contact); exactly that many months is still fine. An
  unlimited or unrecorded retention is RETENTION_UNLIMITED (see
  ``processing``), not this finding.
- Data obtained indirectly: data subjects are told the source at the latest at
  first contact (Art. 14(2)(f), 14(3)(b)), whatever the use.

A fact these rules need that the record does not hold (``None``) is not
taken as compliant: consent, opt-out and source disclosure count as missing
unless recorded as True, and an unrecorded use or collection mode is a
finding of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from register.compliance.context import RuleContext
from register.compliance.findings import processor_subject
from register.compliance.model import Finding, Localised, Processor
from register.vocabulary import ProspectionUse

_NOT_RECORDED = Localised("The record does not say.", "Le registre ne le précise pas.")
_RECORDED_NO = Localised("The record says no.", "Le registre indique que non.")


def _missing_because(value: bool | None) -> Localised:
    return _NOT_RECORDED if value is None else _RECORDED_NO


def prospects(processor: Processor) -> bool:
    return processor.prospection_use in (ProspectionUse.B2B, ProspectionUse.B2C)


def prospection_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    catalogue = ctx.catalogue
    subject = processor_subject(processor)
    use = processor.prospection_use
    if use is None:
        yield catalogue.finding("PROSPECTION_USE_UNKNOWN", processor, subject)
        return
    if not prospects(processor):
        return
    if use == ProspectionUse.B2C and processor.prior_consent_collected is not True:
        yield catalogue.finding(
            "B2C_PROSPECTION_WITHOUT_CONSENT",
            processor,
            subject,
            _missing_because(processor.prior_consent_collected),
            shared_detail=True,
        )
    if processor.opt_out_offered is not True:
        yield catalogue.finding(
            "OPT_OUT_MISSING",
            processor,
            subject,
            _missing_because(processor.opt_out_offered),
            shared_detail=True,
        )
    yield from prospect_retention_findings(processor, ctx)


def prospect_retention_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    months = processor.retention_months
    limit = ctx.settings.prospect_retention_months
    if processor.retention_unlimited or months is None or months <= limit:
        return
    detail = Localised(
        en=f"Prospect data is kept {months} months; the limit is {limit} months.",
        fr=f"Les données de prospects sont conservées {months} mois\u00a0; la limite est de {limit} mois.",
    )
    relied_on = (ctx.setting_relied_on("prospect_retention_months"),)
    yield ctx.catalogue.finding(
        "PROSPECT_RETENTION_EXCEEDS_CNIL", processor, processor_subject(processor), detail, relied_on
    )


def source_information_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    subject = processor_subject(processor)
    if processor.indirect_collection is None:
        yield ctx.catalogue.finding("INDIRECT_COLLECTION_UNKNOWN", processor, subject)
    elif processor.indirect_collection and processor.source_disclosed is not True:
        yield ctx.catalogue.finding(
            "SOURCE_INFORMATION_MISSING",
            processor,
            subject,
            _missing_because(processor.source_disclosed),
            shared_detail=True,
        )
