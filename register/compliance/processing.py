"""What is processed and how it is protected: retention (Art. 5(1)(e)),
special-category data (Art. 9) and security measures (Art. 28(3)(c), 32)."""

from __future__ import annotations

from collections.abc import Iterator

from register.compliance.context import RuleContext
from register.compliance.findings import processor_subject
from register.compliance.model import Finding, Localised, Processor


def retention_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    """A retention recorded as unlimited, or none recorded at all: storage
    limitation applies to all personal data, B2B prospects included."""
    if processor.retention_unlimited:
        detail = Localised(
            "Retention is recorded as unlimited.", "La conservation est enregistrée comme illimitée."
        )
    elif processor.retention_months is None:
        detail = Localised(
            "No retention period is recorded.", "Aucune durée de conservation n'est enregistrée."
        )
    else:
        return
    yield ctx.catalogue.finding("RETENTION_UNLIMITED", processor, processor_subject(processor), detail)


def special_category_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    subject = processor_subject(processor)
    if processor.special_category_data is None:
        yield ctx.catalogue.finding("SPECIAL_CATEGORY_UNKNOWN", processor, subject)
    elif processor.special_category_data and not processor.special_category_safeguards.strip():
        detail = None
        if processor.special_categories.strip():
            categories = processor.special_categories.strip()
            detail = Localised(f"Categories: {categories}.", f"Catégories\u00a0: {categories}.")
        yield ctx.catalogue.finding("SENSITIVE_DATA_NO_SAFEGUARD", processor, subject, detail)


def security_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    if not processor.security_measures.strip():
        yield ctx.catalogue.finding("SECURITY_MEASURES_UNDOCUMENTED", processor, processor_subject(processor))


def processing_findings(processor: Processor, ctx: RuleContext) -> Iterator[Finding]:
    yield from retention_findings(processor, ctx)
    yield from special_category_findings(processor, ctx)
    yield from security_findings(processor, ctx)
