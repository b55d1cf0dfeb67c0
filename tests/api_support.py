"""Request bodies and helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

FULL_PROCESSOR: dict[str, Any] = {
    "legal_name": "Enrichly SAS",
    "trade_name": "Enrichly",
    "website": "https://enrichly.example",
    "category": "data_enrichment",
    "service_description": "B2B e-mail enrichment",
    "headquarters_country": "FR",
    "role": "processor",
    "status": "approved",
    "internal_owner": "Sales ops",
    "privacy_contact": "privacy@enrichly.example",
    "certifications": ["ISO/IEC 27001"],
    "data_categories": ["identity", "professional e-mail"],
    "data_subject_categories": ["B2B prospects"],
    "special_category_data": True,
    "special_categories": "none expected; free-text notes may hold health data",
    "special_category_safeguards": "pseudonymisation",
    "purposes": ["prospection"],
    "prospection_use": "b2b",
    "indirect_collection": True,
    "opt_out_offered": True,
    "prior_consent_collected": False,
    "source_disclosed": False,
    "retention_months": 36,
    "retention_unlimited": False,
    "security_measures": "TLS, AES-256 at rest, MFA",
    "dpf_certified": False,
    "dpf_checked_on": "2026-01-15",
    "pipeda_scope": None,
    "lgpd_scope": True,
    "last_review_on": "2026-02-01",
    "next_review_on": "2027-02-01",
}

FULL_AGREEMENT: dict[str, Any] = {
    "signed_on": "2025-03-01",
    "effective_on": "2025-03-15",
    "ends_on": "2028-03-14",
    "reference": "DPA v2",
    "sub_processor_authorisation": "general",
    "objection_notice_days": 30,
    "breach_notice_hours": 48,
    "governing_law": "France",
}


def create_organisation(client, name: str = "Acme SAS", country: str = "FR") -> dict[str, Any]:
    response = client.post("/api/v1/organisations", json={"name": name, "country": country})
    assert response.status_code == 201, response.text
    return response.json()


def create_processor(client, organisation_id: int, **fields: Any) -> dict[str, Any]:
    body = {"legal_name": "Vendor SAS", **fields}
    response = client.post(f"/api/v1/organisations/{organisation_id}/processors", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def error_keys(response) -> list[str]:
    return [entry.get("key") for entry in response.json().get("extra", [])]
