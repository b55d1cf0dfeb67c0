"""Names of the register's vocabulary in French and English.

One table for the web pages, the Word documents and the findings' texts, so
a status or a category reads the same everywhere.
"""

from __future__ import annotations

from enum import Enum

from register.compliance.model import Localised
from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    ProcessorCategory,
    ProcessorRole,
    ProspectionUse,
    Severity,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

# Transfer tools as they read inside a sentence ("… relies on 2021 SCCs").
MECHANISM_NAMES: dict[TransferMechanism, Localised] = {
    TransferMechanism.ADEQUACY: Localised("adequacy decision", "décision d'adéquation"),
    TransferMechanism.DPF: Localised("EU-U.S. Data Privacy Framework", "Data Privacy Framework UE–États-Unis"),
    TransferMechanism.SCC_2021: Localised("2021 SCCs", "CCT de 2021"),
    TransferMechanism.SCC_PRE_2021: Localised("pre-2021 SCCs", "CCT antérieures à 2021"),
    TransferMechanism.BCR: Localised("binding corporate rules", "règles d'entreprise contraignantes"),
    TransferMechanism.UK_IDTA: Localised("UK IDTA", "IDTA britannique"),
    TransferMechanism.UK_ADDENDUM: Localised("UK Addendum", "avenant britannique (UK Addendum)"),
    TransferMechanism.AD_HOC_CONTRACT: Localised(
        "ad hoc contractual clauses (Art. 46(3)(a))", "clauses contractuelles ad hoc (art. 46, § 3, a))"
    ),
    TransferMechanism.ART49_DEROGATION: Localised("Art. 49 derogation", "dérogation de l'art. 49"),
}

# Everything else as it reads on its own (a table cell, a badge, a select option).
VOCABULARY_LABELS: dict[Enum, Localised] = {
    Severity.CRITICAL: Localised("Critical", "Critique"),
    Severity.HIGH: Localised("High", "Élevée"),
    Severity.MEDIUM: Localised("Medium", "Moyenne"),
    Severity.LOW: Localised("Low", "Faible"),
    ProcessorRole.PROCESSOR: Localised("Processor", "Sous-traitant"),
    ProcessorRole.SUB_PROCESSOR: Localised("Sub-processor", "Sous-traitant ultérieur"),
    ProcessorRole.JOINT_CONTROLLER: Localised("Joint controller", "Responsable conjoint du traitement"),
    LifecycleStatus.PROPOSED: Localised("Proposed", "Proposé"),
    LifecycleStatus.UNDER_REVIEW: Localised("Under review", "En cours d'examen"),
    LifecycleStatus.APPROVED: Localised("Approved", "Approuvé"),
    LifecycleStatus.REJECTED: Localised("Rejected", "Refusé"),
    LifecycleStatus.OFFBOARDED: Localised("Offboarded", "Relation terminée"),
    ProcessorCategory.DATA_ENRICHMENT: Localised("Data enrichment", "Enrichissement de données"),
    ProcessorCategory.MARKETING_AUTOMATION: Localised("Marketing automation", "Automatisation marketing"),
    ProcessorCategory.CRM: Localised("CRM", "CRM (gestion de la relation client)"),
    ProcessorCategory.EMAILING: Localised("E-mail sending", "Envoi d'e-mails"),
    ProcessorCategory.HOSTING_CLOUD: Localised("Hosting and cloud", "Hébergement et cloud"),
    ProcessorCategory.ANALYTICS: Localised("Analytics", "Mesure d'audience et analyse"),
    ProcessorCategory.CUSTOMER_SUPPORT: Localised("Customer support", "Support client"),
    ProcessorCategory.HR_PAYROLL: Localised("HR and payroll", "RH et paie"),
    ProcessorCategory.PAYMENT: Localised("Payment", "Paiement"),
    ProcessorCategory.OTHER: Localised("Other", "Autre"),
    ProspectionUse.NONE: Localised("No prospection", "Pas de prospection"),
    ProspectionUse.B2B: Localised("B2B prospection", "Prospection B2B"),
    ProspectionUse.B2C: Localised("B2C prospection", "Prospection B2C"),
    LocationActivity.HOSTING: Localised("Hosting", "Hébergement"),
    LocationActivity.SUPPORT_ACCESS: Localised("Support access", "Accès pour le support"),
    LocationActivity.PROCESSING: Localised("Processing", "Traitement"),
    Tristate.YES: Localised("Yes", "Oui"),
    Tristate.NO: Localised("No", "Non"),
    Tristate.UNKNOWN: Localised("Unknown", "Inconnu"),
    SubProcessorAuthorisation.NONE_RECORDED: Localised("None recorded", "Aucune enregistrée"),
    SubProcessorAuthorisation.SPECIFIC: Localised(
        "Option 1: prior specific authorisation", "Option 1 : autorisation écrite préalable spécifique"
    ),
    SubProcessorAuthorisation.GENERAL: Localised(
        "Option 2: general written authorisation", "Option 2 : autorisation écrite générale"
    ),
    ClauseStatus.PRESENT: Localised("Present", "Présente"),
    ClauseStatus.PARTIAL: Localised("Partial", "Partielle"),
    ClauseStatus.ABSENT: Localised("Absent", "Absente"),
    ClauseStatus.UNASSESSED: Localised("Not assessed", "Non vérifiée"),
    **{
        mechanism: Localised(name.en[:1].upper() + name.en[1:], name.fr[:1].upper() + name.fr[1:])
        for mechanism, name in MECHANISM_NAMES.items()
    },
}


def mechanism_name(mechanism: TransferMechanism | str) -> Localised:
    """A transfer tool's name inside a sentence."""
    return MECHANISM_NAMES.get(mechanism) or Localised(str(mechanism), str(mechanism))  # type: ignore[call-overload]


def vocabulary_label(value: Enum, language: str) -> str:
    """The label of a vocabulary value (its raw value when none is defined)."""
    label = VOCABULARY_LABELS.get(value)
    return label.in_language(language) if label else str(value.value)
