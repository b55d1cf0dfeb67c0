"""Fields a DPO fills: country pickers with CLDR names, websites that are URLs, review dates in order
(in the forms and at the API, a refusal names the field and writes nothing)."""

from __future__ import annotations

import html
import re

import pytest

from register.reference import load_reference
from register.store import changes, reads
from register.web.countries import country_choices, country_name, sort_key
from tests.api_support import create_organisation, create_processor, error_keys
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)


# ------------------------------------------------------------------ country pickers


def test_country_names_come_from_cldr_in_the_ui_language():
    french, english = dict(country_choices("fr")), dict(country_choices("en"))
    assert french["RU"] == "Russie" and english["RU"] == "Russia"  # not ISO's "Russie, Fédération de"
    assert french["US"] == "États-Unis" and french["KR"] == "Corée du Sud" and english["GB"] == "United Kingdom"
    assert "Russie, Fédération de" not in french.values()
    assert country_name("DE", "fr") == "Allemagne" and country_name("DE", "en") == "Germany"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_country_pickers_offer_the_reference_countries_sorted_by_name(language):
    choices = country_choices(language)
    codes = [code for code, _ in choices]
    assert sorted(codes) == sorted(load_reference().countries) and len(codes) == len(set(codes))
    names = [name for _, name in choices]
    assert names == sorted(names, key=sort_key)


def test_french_sorting_ignores_accents_and_case():
    names = [name for _, name in country_choices("fr")]
    assert names.index("Danemark") < names.index("Égypte") < names.index("Équateur") < names.index("Espagne")
    assert names.index("Hongrie") < names.index("Îles Salomon") < names.index("Inde") < names.index("Irlande")
    english = [name for _, name in country_choices("en")]
    assert english.index("France") < english.index("Germany") < english.index("India")


def test_country_fields_are_pickers_and_multi_country_fields_multi_selects(signed_in, run):
    dpo = signed_in("dpo")
    processor = dpo.browser.get(f"{dpo.organisation}/processors/new").text
    assert re.search(r'<select id="field-headquarters_country" name="headquarters_country"', processor)
    assert '<option value="RU">Russie</option>' in processor and "Fédération de" not in processor
    pid = run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": "Host SAS"}, "test")).id
    sub = run(changes.add_sub_processor(
        dpo.ids.organisation_id, pid, {"name": "Cloud", "countries": ["US", "IN"]}, "test"
    )).sub_processors[0]
    edit = dpo.browser.get(f"/processors/{pid}/sub-processors/{sub.id}/edit").text
    picker = edit[edit.index('id="field-countries"') - 20: edit.index("</select>", edit.index('id="field-countries"'))]
    assert 'name="countries" multiple' in picker
    assert set(re.findall(r'<option value="([A-Z]{2})" selected>', picker)) == {"US", "IN"}
    assert '<option value="IN" selected>Inde</option>' in picker
    english = dpo.browser.get(f"/processors/{pid}/sub-processors/{sub.id}/edit?lang=en")
    assert english.status_code == 200
    # The procurement form names one country per provider row, with the same picker.
    request = dpo.browser.get(f"{dpo.organisation}/procurement/new").text
    assert re.search(r'<select[^>]*name="sub_processor_country__1"', request)
    assert '<option value="US">États-Unis</option>' in request


def test_a_multi_select_of_countries_saves_every_chosen_country(signed_in, run):
    dpo = signed_in("dpo")
    pid = run(changes.create_processor(dpo.ids.organisation_id, {"legal_name": "Host SAS"}, "test")).id
    page = f"/processors/{pid}"
    saved = post_form(dpo.browser, f"{page}/sub-processors/new", f"{page}/sub-processors",
                      {"name": "Cloud", "countries": ["DE", "JP"]}, follow_redirects=False)
    assert saved.status_code == 303
    assert run(reads.load_processor(pid)).sub_processors[0].countries == ("DE", "JP")
    refused = post_form(dpo.browser, f"{page}/sub-processors/new", f"{page}/sub-processors",
                        {"name": "Cloud 2", "countries": ["DE", "QQ"]})
    assert refused.status_code == 400 and 'id="error-countries"' in refused.text
    assert "Pays inconnu\u00a0: choisissez un pays de la liste." in refused.text
    assert len(run(reads.load_processor(pid)).sub_processors) == 1


# ------------------------------------------------------------------ websites


@pytest.mark.parametrize("website", ["vendor.example", "ftp://vendor.example", "https://", "javascript:alert(1)",
                                     "https://vendor .example", "http://["])
def test_the_processor_form_refuses_a_website_that_is_not_a_url(signed_in, run, website):
    dpo = signed_in("dpo")
    new = f"{dpo.organisation}/processors/new"
    response = post_form(dpo.browser, new, f"{dpo.organisation}/processors",
                         {"legal_name": "Vendor SAS", "website": website})
    assert response.status_code == 400
    assert re.search(r'<p class="field-error" id="error-website">Saisissez une adresse web complète', response.text)
    assert f'value="{html.escape(website)}"' in response.text  # what was typed stays
    assert "Vendor SAS" not in [s.legal_name for s in run(reads.list_processor_statuses(dpo.ids.organisation_id))]


def test_the_processor_form_accepts_http_and_https_websites(signed_in, run):
    dpo = signed_in("dpo")
    new = f"{dpo.organisation}/processors/new"
    for website in ("https://vendor.example/privacy?x=1", "http://vendor.example"):
        response = post_form(dpo.browser, new, f"{dpo.organisation}/processors",
                             {"legal_name": "Vendor SAS", "website": website}, follow_redirects=False)
        assert response.status_code == 303, website


def test_the_website_hint_says_what_is_expected(signed_in):
    dpo = signed_in("dpo")
    page = dpo.browser.get(f"{dpo.organisation}/processors/new").text
    assert 'id="hint-website">Adresse complète, ex. https://www.exemple.fr' in page


@pytest.mark.parametrize("website", ["vendor.example", "mailto:dpo@vendor.example", "https:///path"])
def test_the_api_refuses_a_website_that_is_not_a_url_naming_the_field(client, website):
    organisation = create_organisation(client)
    created = client.post(f"/api/v1/organisations/{organisation['id']}/processors",
                          json={"legal_name": "V", "website": website})
    assert created.status_code == 400 and "website" in error_keys(created)
    processor = create_processor(client, organisation["id"], website="https://vendor.example")
    patched = client.patch(f"/api/v1/processors/{processor['id']}", json={"website": website, "version": 1})
    assert patched.status_code == 400 and "website" in error_keys(patched)
    assert client.get(f"/api/v1/processors/{processor['id']}").json()["website"] == "https://vendor.example"


def test_the_procurement_form_refuses_a_website_that_is_not_a_url(signed_in):
    buyer = signed_in("procurement")
    new = f"{buyer.organisation}/procurement/new"
    response = post_form(buyer.browser, new, f"{buyer.organisation}/procurement",
                         {"tool_name": "Chatly", "purpose": "Chat", "website": "chatly"})
    assert response.status_code == 400 and 'id="error-website"' in response.text


# ------------------------------------------------------------------ review dates


def test_the_processor_form_refuses_a_next_review_before_the_last(signed_in, run):
    dpo = signed_in("dpo")
    new = f"{dpo.organisation}/processors/new"
    response = post_form(dpo.browser, new, f"{dpo.organisation}/processors", {
        "legal_name": "Vendor SAS", "last_review_on": "2026-06-01", "next_review_on": "2026-05-31",
    })
    assert response.status_code == 400
    assert ('id="error-next_review_on">La prochaine revue ne peut pas précéder la dernière revue.'
            in response.text)
    assert 'value="2026-05-31"' in response.text  # what was typed stays
    same_day = post_form(dpo.browser, new, f"{dpo.organisation}/processors", {
        "legal_name": "Vendor SAS", "last_review_on": "2026-06-01", "next_review_on": "2026-06-01",
    }, follow_redirects=False)
    assert same_day.status_code == 303


def test_the_api_refuses_a_next_review_before_the_last_even_in_a_patch(client):
    organisation = create_organisation(client)
    refused = client.post(f"/api/v1/organisations/{organisation['id']}/processors", json={
        "legal_name": "V", "last_review_on": "2026-06-01", "next_review_on": "2026-01-01",
    })
    assert refused.status_code == 400 and "next_review_on" in error_keys(refused)
    processor = create_processor(client, organisation["id"], last_review_on="2026-06-01",
                                 next_review_on="2027-06-01")
    path = f"/api/v1/processors/{processor['id']}"
    # Only one of the two dates sent: the other is the record's.
    earlier = client.patch(path, json={"next_review_on": "2026-05-01", "version": 1})
    assert earlier.status_code == 400 and error_keys(earlier) == ["next_review_on"]
    later = client.patch(path, json={"last_review_on": "2027-07-01", "version": 1})
    assert later.status_code == 400 and error_keys(later) == ["next_review_on"]
    stored = client.get(path).json()
    assert (stored["version"], stored["last_review_on"], stored["next_review_on"]) == (1, "2026-06-01", "2027-06-01")
    audit = client.get(f"/api/v1/organisations/{organisation['id']}/audit-events").json()["total"]
    assert client.patch(path, json={"next_review_on": "2026-07-01", "version": 1}).status_code == 200
    assert client.get(f"/api/v1/organisations/{organisation['id']}/audit-events").json()["total"] == audit + 1
