"""An illustrative register: a French company's marketing stack.

The vendors are fictitious; their facts are invented to exercise the
register's findings and say nothing about any real vendor's contracts. Dates
are relative to the day the demo is loaded, so the same findings show up
whenever it is loaded.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from register.compliance.library import VendorSubProcessor, facts_of_processor
from register.schemas import (
    EXPORT_FORMAT,
    EXPORT_FORMAT_VERSION,
    AgreementRecord,
    ClauseRecord,
    LocationRecord,
    OrganisationInput,
    ProcessorRecord,
    RegisterExport,
    SafeguardRecord,
    SubProcessorRecord,
)
from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    ProcessorCategory,
    ProspectionUse,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

DEMO_ORGANISATION_NAME = "Démo Conseil SAS (illustrative / exemple fictif)"
ILLUSTRATIVE = (
    "Fictitious vendor for the demo: not a statement about any real vendor. "
    "/ Fournisseur fictif de démonstration : aucune affirmation sur un fournisseur réel."
)
ASSISTANCE = (
    "Forwards any data subject request within 2 business days; provides exports and deletion "
    "tools; contributes to DPIAs and prior consultation with the information it holds."
)
BREACH_ELEMENTS = (
    "Named incident contact available 24/7; initial report then updates every 24 hours with the "
    "categories and approximate number of people and records concerned."
)
ART28_ITEMS = (
    "art28_3_subject", "art28_3_nature", "art28_3_data", "art28_3_subjects", "art28_3_controller",
    "art28_3_a", "art28_3_b", "art28_3_c", "art28_3_d", "art28_3_e", "art28_3_f", "art28_3_g",
    "art28_3_h", "art28_3_infringing",
)
PROSPECT_DATA = ["identity", "professional e-mail", "job title", "company", "phone number"]
TOMS = "Encryption at rest (AES-256) and in transit (TLS 1.2+); SSO with MFA; access logs kept 12 months; yearly penetration test."


def _months_ago(today: date, months: int) -> date:
    return today - timedelta(days=round(months * 30.44))


def _clauses(status_of: dict[str, ClauseStatus], default: ClauseStatus) -> list[ClauseRecord]:
    return [
        ClauseRecord(item=item, status=status_of.get(item, default), section=f"§{index}")
        for index, item in enumerate(ART28_ITEMS, start=1)
    ]


def demo_document(today: date | None = None) -> RegisterExport:
    """The demo register as an export document (loaded like any import)."""
    today = today or date.today()
    return RegisterExport(
        format=EXPORT_FORMAT,
        format_version=EXPORT_FORMAT_VERSION,
        organisation=OrganisationInput(
            name=DEMO_ORGANISATION_NAME,
            country="FR",
            dpo_name="Camille Martin (DPO, fictitious)",
            dpo_email="dpo@demo.invalid",
            lead_authority="CNIL",
            address="12 rue de l'Exemple\n75002 Paris\nFrance",
            contact_name="Camille Martin",
            contact_position="Data protection officer (fictitious)",
            contact_email="dpo@demo.invalid",
        ),
        processors=[
            _enrichment_tool(today),
            _linkedin_extension(today),
            _marketing_automation(today),
            _crm(today),
            _email_sender(today),
            _cloud_host(today),
        ],
    )


def _enrichment_tool(today: date) -> ProcessorRecord:
    return ProcessorRecord(
        key=1,
        legal_name="Enrichly SAS",
        trade_name="Enrichly",
        website="https://enrichly.example",
        category=ProcessorCategory.DATA_ENRICHMENT,
        service_description="B2B e-mail enrichment of the prospect base. " + ILLUSTRATIVE,
        headquarters_country="FR",
        status=LifecycleStatus.APPROVED,
        internal_owner="Sales operations",
        privacy_contact="privacy@enrichly.example",
        address="8 avenue des Données\n69003 Lyon\nFrance",
        contact_name="Léa Dupont",
        contact_position="Privacy officer",
        contact_email="privacy@enrichly.example",
        data_categories=PROSPECT_DATA,
        data_subject_categories=["B2B prospects"],
        special_category_data=False,
        purposes=["B2B prospection", "contact enrichment"],
        prospection_use=ProspectionUse.B2B,
        indirect_collection=True,
        opt_out_offered=True,
        source_disclosed=False,
        retention_unlimited=True,
        security_measures=TOMS,
        last_review_on=_months_ago(today, 10),
        next_review_on=today + timedelta(days=60),
        locations=[LocationRecord(country="FR", activity=LocationActivity.PROCESSING)],
        sub_processors=[
            SubProcessorRecord(
                key=1, name="Nuagehost SAS", countries=["FR"], purpose="Hosting",
                flowdown=Tristate.YES, registered_processor_id=6,
                address="3 quai du Nuage\n59000 Lille\nFrance", contact_name="Hugo Bernard",
                contact_position="Security officer", contact_email="dpo@nuagehost.example",
            ),
            SubProcessorRecord(
                key=2, name="BigCloud Inc.", countries=["US"], purpose="Back-up storage",
                flowdown=Tristate.UNKNOWN, dpf_certified=False,
                address="100 Example Street\nSeattle, WA 98101\nUnited States",
                contact_email="privacy@bigcloud.example",
            ),
        ],
        agreement=AgreementRecord(
            signed_on=_months_ago(today, 14),
            effective_on=_months_ago(today, 14),
            reference="DPA-ENR-2025",
            sub_processor_authorisation=SubProcessorAuthorisation.GENERAL,
            objection_notice_days=30,
            breach_notice_hours=72,
            governing_law="France",
            docking_clause=False,
            assistance_measures=ASSISTANCE,
            breach_assistance_measures=BREACH_ELEMENTS,
            clauses=_clauses({"art28_3_h": ClauseStatus.ABSENT, "art28_3_e": ClauseStatus.UNASSESSED}, ClauseStatus.PRESENT),
        ),
        safeguards=[
            SafeguardRecord(
                country="US", mechanism=TransferMechanism.SCC_2021, sub_processor_id=2,
                scc_module=3, signed_on=_months_ago(today, 14),
            )
        ],
    )


def _linkedin_extension(today: date) -> ProcessorRecord:
    return ProcessorRecord(
        key=2,
        legal_name="ProspectLens SAS",
        trade_name="ProspectLens",
        website="https://prospectlens.example",
        category=ProcessorCategory.DATA_ENRICHMENT,
        service_description="Browser extension showing LinkedIn prospects' contact details. " + ILLUSTRATIVE,
        headquarters_country="FR",
        status=LifecycleStatus.APPROVED,
        internal_owner="Sales",
        data_categories=PROSPECT_DATA,
        data_subject_categories=["B2B prospects"],
        special_category_data=False,
        purposes=["B2B prospection"],
        prospection_use=ProspectionUse.B2B,
        indirect_collection=True,
        opt_out_offered=False,
        source_disclosed=True,
        retention_months=24,
        next_review_on=today + timedelta(days=30),
        locations=[LocationRecord(country="FR", activity=LocationActivity.HOSTING)],
        sub_processors=[
            SubProcessorRecord(
                key=3, name="DataOps Pvt Ltd", countries=["IN"], purpose="Data quality checks",
                flowdown=Tristate.NO,
            )
        ],
    )


def _marketing_automation(today: date) -> ProcessorRecord:
    return ProcessorRecord(
        key=3,
        legal_name="Automaite SAS",
        trade_name="Automaite",
        website="https://automaite.example",
        category=ProcessorCategory.MARKETING_AUTOMATION,
        service_description="Forms, landing pages, nurturing e-mails and cookies. " + ILLUSTRATIVE,
        headquarters_country="FR",
        address="21 boulevard du Marketing\n44000 Nantes\nFrance",
        contact_email="dpo@automaite.example",
        status=LifecycleStatus.APPROVED,
        data_categories=["identity", "e-mail", "browsing behaviour"],
        data_subject_categories=["prospects", "website visitors", "consumers"],
        special_category_data=False,
        purposes=["marketing automation", "newsletters"],
        prospection_use=ProspectionUse.B2C,
        indirect_collection=False,
        opt_out_offered=True,
        prior_consent_collected=False,
        retention_months=60,
        security_measures=TOMS,
        last_review_on=_months_ago(today, 18),
        next_review_on=_months_ago(today, 6),
        locations=[LocationRecord(country="FR"), LocationRecord(country="IE", activity=LocationActivity.SUPPORT_ACCESS)],
        agreement=AgreementRecord(
            signed_on=_months_ago(today, 40),
            effective_on=_months_ago(today, 40),
            ends_on=_months_ago(today, 4),
            reference="DPA-AUTO-2023",
            docking_clause=True,
            sub_processor_authorisation=SubProcessorAuthorisation.SPECIFIC,
            breach_notice_hours=24,
            governing_law="France",
            clauses=_clauses({}, ClauseStatus.PRESENT),
        ),
    )


def _crm(today: date) -> ProcessorRecord:
    return ProcessorRecord(
        key=4,
        legal_name="RelationHub Inc.",
        trade_name="RelationHub CRM",
        website="https://relationhub.example",
        category=ProcessorCategory.CRM,
        service_description="Customer relationship management. " + ILLUSTRATIVE,
        headquarters_country="US",
        address="500 Market Example Blvd\nSan Francisco, CA 94105\nUnited States",
        contact_name="Jordan Lee",
        contact_position="Data protection officer",
        contact_email="dpo@relationhub.example",
        status=LifecycleStatus.APPROVED,
        data_categories=["identity", "e-mail", "phone number", "deal history"],
        data_subject_categories=["customers", "B2B prospects"],
        special_category_data=False,
        purposes=["customer relationship management"],
        prospection_use=ProspectionUse.B2B,
        indirect_collection=False,
        opt_out_offered=True,
        retention_months=36,
        security_measures=TOMS,
        dpf_certified=True,
        dpf_checked_on=_months_ago(today, 20),
        last_review_on=_months_ago(today, 11),
        next_review_on=today + timedelta(days=20),
        locations=[
            LocationRecord(country="US", activity=LocationActivity.HOSTING),
            LocationRecord(country="DE", activity=LocationActivity.HOSTING),
        ],
        sub_processors=[
            SubProcessorRecord(
                key=4, name="HelpDesk Manila Corp.", countries=["PH"], purpose="Tier-1 support",
                flowdown=Tristate.YES, address="1 Example Avenue\nMakati City 1226\nPhilippines",
                contact_name="Maria Santos", contact_position="Compliance manager",
                contact_email="compliance@helpdesk-manila.example",
            ),
            SubProcessorRecord(
                key=5, name="Analytics Pty Ltd", countries=["AU"], purpose="Usage analytics",
                flowdown=Tristate.YES,
            ),
        ],
        agreement=AgreementRecord(
            signed_on=_months_ago(today, 30),
            effective_on=_months_ago(today, 30),
            reference="RH-DPA v4",
            sub_processor_authorisation=SubProcessorAuthorisation.GENERAL,
            objection_notice_days=30,
            breach_notice_hours=48,
            governing_law="Ireland",
            docking_clause=False,
            assistance_measures=ASSISTANCE,
            clauses=_clauses({}, ClauseStatus.PRESENT),
        ),
        safeguards=[
            SafeguardRecord(country="US", mechanism=TransferMechanism.DPF),
            SafeguardRecord(
                country="PH", mechanism=TransferMechanism.SCC_PRE_2021, sub_processor_id=4,
                signed_on=date(2019, 5, 1), tia_on=date(2019, 5, 1),
            ),
            SafeguardRecord(
                country="AU", mechanism=TransferMechanism.SCC_2021, sub_processor_id=5,
                scc_module=2, signed_on=_months_ago(today, 30), tia_on=_months_ago(today, 30),
            ),
        ],
    )


def _email_sender(today: date) -> ProcessorRecord:
    return ProcessorRecord(
        key=5,
        legal_name="PostalWave SA",
        trade_name="PostalWave",
        website="https://postalwave.example",
        category=ProcessorCategory.EMAILING,
        service_description="Transactional and marketing e-mail sending. " + ILLUSTRATIVE,
        headquarters_country="FR",
        address="5 rue du Courrier\n33000 Bordeaux\nFrance",
        contact_name="Paul Girard",
        contact_email="privacy@postalwave.example",
        status=LifecycleStatus.APPROVED,
        data_categories=["e-mail", "identity", "health-related preferences"],
        data_subject_categories=["customers"],
        special_category_data=True,
        special_categories="Health data inferred from newsletter preferences",
        purposes=["newsletters", "transactional e-mails"],
        prospection_use=ProspectionUse.B2C,
        indirect_collection=False,
        opt_out_offered=True,
        prior_consent_collected=True,
        retention_months=24,
        last_review_on=_months_ago(today, 3),
        next_review_on=today + timedelta(days=270),
        locations=[LocationRecord(country="FR")],
        sub_processors=[
            SubProcessorRecord(
                key=6, name="SendGrid-like Relay Pte Ltd", countries=["SG"], purpose="Overflow relay",
                flowdown=Tristate.YES,
            ),
            # Within the LGPD's scope: covered by Brazil's adequacy decision.
            SubProcessorRecord(
                key=7, name="Envio Brasil Ltda", countries=["BR"], purpose="Delivery monitoring",
                flowdown=Tristate.YES, lgpd_scope=True,
            ),
            # Outside PIPEDA's scope, with SCCs still being negotiated (no signing date).
            SubProcessorRecord(
                key=8, name="Maple Mail Services Inc.", countries=["CA"], purpose="Bounce handling",
                flowdown=Tristate.YES, pipeda_scope=False,
            ),
        ],
        agreement=AgreementRecord(
            signed_on=_months_ago(today, 8),
            effective_on=_months_ago(today, 8),
            reference="PW-DPA-2026",
            sub_processor_authorisation=SubProcessorAuthorisation.NONE_RECORDED,
            governing_law="France",
            clauses=_clauses({}, ClauseStatus.PRESENT),
        ),
        safeguards=[
            SafeguardRecord(
                country="SG", mechanism=TransferMechanism.ART49_DEROGATION, sub_processor_id=6,
            ),
            SafeguardRecord(
                country="CA", mechanism=TransferMechanism.SCC_2021, sub_processor_id=8,
                scc_module=3, tia_on=_months_ago(today, 1),
            ),
        ],
    )


def _cloud_host(today: date) -> ProcessorRecord:
    return ProcessorRecord(
        key=6,
        legal_name="Nuagehost SAS",
        trade_name="Nuagehost",
        website="https://nuagehost.example",
        category=ProcessorCategory.HOSTING_CLOUD,
        service_description="Infrastructure hosting in France. " + ILLUSTRATIVE,
        headquarters_country="FR",
        address="3 quai du Nuage\n59000 Lille\nFrance",
        contact_name="Hugo Bernard",
        contact_position="Security officer",
        contact_email="dpo@nuagehost.example",
        status=LifecycleStatus.APPROVED,
        certifications=["ISO/IEC 27001", "SecNumCloud (claimed)"],
        data_categories=["all data of the hosted applications"],
        data_subject_categories=["customers", "employees", "prospects"],
        special_category_data=False,
        purposes=["hosting"],
        prospection_use=ProspectionUse.NONE,
        indirect_collection=False,
        retention_months=12,
        security_measures=TOMS,
        last_review_on=_months_ago(today, 2),
        next_review_on=today + timedelta(days=300),
        locations=[
            LocationRecord(country="FR", activity=LocationActivity.HOSTING),
            LocationRecord(country="DE", activity=LocationActivity.HOSTING, note="Disaster recovery"),
        ],
        agreement=AgreementRecord(
            signed_on=_months_ago(today, 12),
            effective_on=_months_ago(today, 12),
            reference="NH-DPA-2025",
            sub_processor_authorisation=SubProcessorAuthorisation.SPECIFIC,
            objection_notice_days=15,
            docking_clause=False,
            assistance_measures=ASSISTANCE,
            breach_assistance_measures=BREACH_ELEMENTS,
            breach_notice_hours=24,
            governing_law="France",
            clauses=_clauses({}, ClauseStatus.PRESENT),
        ),
    )


# A vendor's list page, as RelationHub (fictitious) publishes it: one sub-processor added in
# India, the analytics one now also in Singapore; the page states a shorter period than the DPA.
DEMO_NOTICE = """\
# RelationHub sub-processors (illustrative / exemple fictif)

We give 10 business days' notice before a new sub-processor processes customer data.

| Name of Subprocessor | Description of Processing | Location of Processing | Corporate Location |
|---|---|---|---|
| HelpDesk Manila Corp. | Tier-1 support | Philippines | Philippines |
| Analytics Pty Ltd | Usage analytics | Australia, Singapore | Australia |
| Bangalore Data Ops Pvt Ltd | Data enrichment of CRM records | India | India |
"""


async def load_demo_notice(organisation_id: int, actor: str, today: date | None = None) -> None:
    """A pending notice of the demo CRM vendor, received five days ago (for the notices' pages)."""
    from register.intake.subprocessor_lists import read_subprocessor_list
    from register.store.notices import record_notice
    from register.tables import Processor
    from register.vocabulary import NoticeChannel, NoticeKind

    today = today or date.today()
    row = await Processor.select(Processor.id).where(
        (Processor.organisation == organisation_id) & (Processor.legal_name == "RelationHub Inc.")
    ).first()
    if row is None:
        return
    await record_notice(
        organisation_id, row["id"], read_subprocessor_list(DEMO_NOTICE), kind=NoticeKind.FULL_LIST,
        channel=NoticeChannel.LIST_PAGE, received_on=today - timedelta(days=5),
        source="https://relationhub.example/legal/subprocessors", content=DEMO_NOTICE, actor=actor,
    )


DEMO_FIRM_NAME = "Cabinet DPO démo (exemple fictif)"
# The sub-processor the demo library records after the link: the demo client then has a
# change to review (LIBRARY_CHANGE_PENDING), which accepting would add to its register.
DEMO_LIBRARY_ADDITION = VendorSubProcessor("Helpdesk Example Inc.", ("US",), "Support ticketing / support client", False)


async def load_demo_library(organisation_id: int, admin_user_id: int, actor: str) -> bool:
    """A firm serving the demo organisation, its admin the demo admin, whose vendor library
    holds the demo CRM linked to the demo's processor; the library then records a new
    sub-processor, so the demo shows a change to review. False when the firm exists already."""
    from register.store import library
    from register.store.errors import Conflict
    from register.store.reads import load_register

    try:
        firm = await library.create_firm(DEMO_FIRM_NAME, actor, admin_user_id)
    except Conflict:
        return False
    await library.attach_organisation(firm.id, organisation_id, actor)
    crm = next(p for p in await load_register(organisation_id) if p.legal_name == _crm(date.today()).legal_name)
    facts = facts_of_processor(crm)
    vendor = await library.create_vendor(firm.id, facts, actor)
    await library.link_processor(organisation_id, crm.id, vendor.id, actor)
    newer = dataclasses.replace(facts, sub_processors=(*facts.sub_processors, DEMO_LIBRARY_ADDITION))
    await library.update_vendor(firm.id, vendor.id, newer, vendor.version, actor)
    return True
