"""The compliance core: pure functions of plain values (no database, no HTTP,
no Word). Transfer assessment through sub-processor chains, the DPA clause
check, the prospection rules, findings, scores and procurement verdicts.

See docs/compliance.md for the decisions the rules encode.
"""

from __future__ import annotations

from collections.abc import Mapping

from register.compliance.assessment import assess_processor, assess_register, reassess_register
from register.compliance.context import catalogue_for
from register.compliance.findings import extra_finding_definitions
from register.compliance.lifecycle import ASSESSED_STATUSES
from register.compliance.results import RuleSettings
from register.compliance.scoring import SEVERITY_WEIGHTS
from register.compliance.verdict import BLOCKING_CODES, procurement_verdict
from register.reference import Reference, load_reference
from register.reference.types import FindingDefinition


def findings_catalogue(reference: Reference | None = None) -> Mapping[str, FindingDefinition]:
    """Every finding code the core may raise: the reference catalogue plus the
    codes in ``extra_findings.toml``."""
    return catalogue_for(reference if reference is not None else load_reference()).definitions


def settings_from_reference(reference: Reference | None = None) -> RuleSettings:
    """Rule settings taken from the reference's thresholds."""
    thresholds = (reference if reference is not None else load_reference()).thresholds
    defaults = RuleSettings()
    return RuleSettings(
        **{
            name: thresholds[name].value if name in thresholds else getattr(defaults, name)
            for name in RuleSettings.__dataclass_fields__
        }
    )


__all__ = [
    "ASSESSED_STATUSES",
    "BLOCKING_CODES",
    "SEVERITY_WEIGHTS",
    "RuleSettings",
    "assess_processor",
    "assess_register",
    "extra_finding_definitions",
    "findings_catalogue",
    "procurement_verdict",
    "reassess_register",
    "settings_from_reference",
]
