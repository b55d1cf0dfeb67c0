"""One legal-name key for import keys, sub-processor notices and the DPF list,
case by case on real vendors' names (register.intake.names)."""

from __future__ import annotations

import pytest

from register.compliance import notices
from register.intake import dpf_list, preview
from register.intake.names import legal_name_key

KEYS = [
    ("Amazon Web Services, Inc.", "amazon web services"),
    ("Amazon Web Services EMEA SARL", "amazon web services emea"),
    ("Google LLC", "google"),
    ("GOOGLE L.L.C.", "google"),
    ("Google Ireland Limited", "google ireland"),
    ("Salesforce.com, inc.", "salesforce com"),  # the ".com" is part of the name
    ("Salesforce, Inc.", "salesforce"),
    ("Brevo SAS", "brevo"),
    ("Sendinblue SAS", "sendinblue"),  # Brevo's former name: a rename is not a match
    ("HubSpot, Inc.", "hubspot"),
    ("HubSpot Ireland Limited", "hubspot ireland"),
    ("Twilio Inc.", "twilio"),
    ("TWILIO INC", "twilio"),
    ("Stripe Payments Europe, Limited", "stripe payments europe"),
    ("Microsoft Corporation", "microsoft"),
    ("Meta Platforms Ireland Ltd.", "meta platforms ireland"),
    ("Atlassian Pty Ltd", "atlassian"),
    ("Atlassian Pty. Ltd.", "atlassian"),
    ("Zendesk Singapore Pte. Ltd.", "zendesk singapore"),
    ("Intercom R&D Unlimited Company", "intercom r and d"),
    ("Barilla G. e R. Fratelli S.p.A.", "barilla g e r fratelli"),
    ("Glovoapp23 S.L.", "glovoapp23"),
    ("Spotify AB", "spotify"),
    ("Trustpilot A/S", "trustpilot"),
    ("Pleo Technologies ApS", "pleo technologies"),
    ("Deutsche Telekom AG", "deutsche telekom"),
    ("SAP SE", "sap"),
    ("Personio SE & Co. KG", "personio"),
    ("Lidl Stiftung & Co. KG", "lidl stiftung"),
    ("Robert Bosch GmbH & Co. KG", "robert bosch"),
    ("Adyen N.V.", "adyen"),
    ("Mollie B.V.", "mollie"),
    ("Rakuten Group, K.K.", "rakuten group"),
    ("Wolt Enterprises Oy", "wolt enterprises"),
    ("OVH SAS", "ovh"),
    ("Scaleway S.A.S.", "scaleway"),
    ("Société Générale S.A.", "societe generale"),
    ("Doctolib SASU", "doctolib"),
    ("Ubble SARL", "ubble"),
    ("Ubble S.à r.l.", "ubble"),
    ("The Rocket Science Group LLC", "rocket science group"),  # Mailchimp: a leading "The" is dropped
    ("Johnson & Johnson", "johnson and johnson"),
    ("Johnson and Johnson", "johnson and johnson"),
    ("Marks & Spencer plc", "marks and spencer"),
    ("Brevo & Co SAS", "brevo"),
    ("  Crème   Brûlée\u00a0SAS ", "creme brulee"),
    ("SAS", "sas"),  # a name is never emptied
    ("Inc", "inc"),
    ("", ""),
]


@pytest.mark.parametrize(("name", "key"), KEYS, ids=[name or "empty" for name, _ in KEYS])
def test_legal_name_key(name: str, key: str) -> None:
    assert legal_name_key(name) == key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Google LLC", "GOOGLE L.L.C."),
        ("HubSpot, Inc.", "Hubspot Incorporated"),
        ("Twilio Inc.", "twilio, inc"),
        ("Atlassian Pty Ltd", "ATLASSIAN PTY. LTD."),
        ("Barilla S.p.A.", "Barilla SpA"),
        ("Glovoapp23 S.L.", "Glovoapp23 SL"),
        ("Mollie B.V.", "Mollie BV"),
        ("Rakuten K.K.", "Rakuten KK"),
        ("Ubble SARL", "Ubble S.A.R.L."),
        ("Johnson & Johnson", "JOHNSON AND JOHNSON"),
    ],
)
def test_names_of_one_company_match(first: str, second: str) -> None:
    assert legal_name_key(first) == legal_name_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Amazon Web Services, Inc.", "Amazon Web Services EMEA SARL"),
        ("Brevo SAS", "Sendinblue SAS"),
        ("Stripe, Inc.", "Stripe Payments Europe, Limited"),
        ("Google LLC", "Google Ireland Limited"),
        ("Salesforce.com, inc.", "Salesforce, Inc."),
        ("Zendesk, Inc.", "Zendesk Holdings, Inc."),
    ],
)
def test_names_of_two_companies_stay_distinct(first: str, second: str) -> None:
    assert legal_name_key(first) != legal_name_key(second)


def test_the_three_callers_use_the_one_key() -> None:
    for name, key in KEYS:
        assert preview.name_key(name) == notices.name_key(name) == dpf_list.normalised_name(name) == key


def test_a_legal_form_is_dropped_only_at_the_end() -> None:
    assert legal_name_key("SAS Institute Inc.") == "sas institute"
    assert legal_name_key("AB InBev SA/NV") == "ab inbev"
    assert legal_name_key("Co-Op Systems Ltd") == "co op systems"
