"""Form normalisation and validation errors, without HTTP."""

from __future__ import annotations

from register.candidates import candidate_of_answers
from register.schemas import ProcessorInput, SubProcessorInput
from register.web import forms


class Posted(dict):
    """A browser's form data: several values per name."""

    def get(self, key, default=None):
        values = super().get(key)
        return values[-1] if values else default

    def getall(self, key, *default):
        if key not in self and not default:
            raise KeyError(key)  # as Litestar's FormMultiDict does
        return list(super().get(key, *default))


def posted(**fields) -> Posted:
    return Posted({k: v if isinstance(v, list) else [v] for k, v in fields.items()})


def test_browser_quirks_become_values():
    data = posted(
        legal_name="  Acme SAS ", retention_unlimited="on", special_category_data="no",
        dpf_certified="", data_categories="identity\r\n\r\n e-mail \n", headquarters_country="fr",
        retention_months="24", prospection_use="", next_review_on="",
    )
    values = forms.normalise(forms.PROCESSOR.fields, data)
    assert values["legal_name"] == "Acme SAS"
    assert values["retention_unlimited"] is True  # the checkbox posts "on"
    assert values["trade_name"] == ""
    assert values["special_category_data"] is False and values["dpf_certified"] is None
    assert values["data_categories"] == ["identity", "e-mail"]
    assert values["headquarters_country"] == "FR"
    assert values["retention_months"] == 24
    assert values["prospection_use"] is None and values["next_review_on"] is None
    unticked = forms.normalise(forms.PROCESSOR.fields, posted(legal_name="X"))
    assert unticked["retention_unlimited"] is False


def test_countries_from_one_text_or_a_multi_select():
    fields = forms.SUB_PROCESSOR.fields
    assert forms.normalise(fields, posted(name="S", countries="us, in;IN  de"))["countries"] == ["US", "IN", "DE"]
    assert forms.normalise(fields, posted(name="S", countries=["us"]))["countries"] == ["US"]  # one item
    assert forms.normalise(fields, posted(name="S", countries=["US", "IN"]))["countries"] == ["US", "IN"]


def test_every_field_in_error_is_reported_at_once_in_the_ui_language():
    data = posted(legal_name="", retention_months="-3", headquarters_country="ZZ", next_review_on="2026-13-45",
                  category="nope")
    values, state = forms.PROCESSOR.read(data, "fr")
    assert values is None
    errors = state.errors
    assert set(errors) == {"legal_name", "retention_months", "headquarters_country", "next_review_on", "category"}
    assert errors["legal_name"] == "Ce champ est obligatoire."
    assert errors["retention_months"] == "La valeur doit être au moins 0."
    assert errors["headquarters_country"] == "Pays inconnu\u00a0: choisissez un pays de la liste."
    english = forms.PROCESSOR.read(data, "en")[1].errors
    assert english["legal_name"] == "This field is required."
    assert english["next_review_on"] == "Enter a date (YYYY-MM-DD)."


def test_a_number_that_is_not_one_is_refused_not_dropped():
    values = forms.normalise(forms.PROCESSOR.fields, posted(legal_name="X", retention_months="twelve"))
    _, errors = forms.validate(ProcessorInput, values, "en")
    assert errors == {"retention_months": "Enter a whole number."}


def test_unknown_country_in_a_list_names_the_field():
    values = forms.normalise(forms.SUB_PROCESSOR.fields, posted(name="S", countries="US, QQ"))
    _, errors = forms.validate(SubProcessorInput, values, "en")
    assert list(errors) == ["countries"] and errors["countries"] == "Unknown country: choose a country from the list."


def test_cross_field_rules_land_on_their_field():
    state = forms.SAFEGUARD.read(posted(country="US", mechanism="dpf", scc_module="3"), "en")[1]
    assert state.errors == {"scc_module": "A module is only recorded with standard contractual clauses."}
    state = forms.AGREEMENT.read(posted(effective_on="2026-02-01", ends_on="2025-01-01"), "en")[1]
    assert list(state.errors) == ["ends_on"]


def test_what_was_typed_is_kept_for_the_form_shown_again():
    values, state = forms.PROCESSOR.read(
        posted(legal_name="Acme <b>", retention_months="-3", data_categories="a\nb", retention_unlimited="on"), "en"
    )
    assert values is None
    assert state.values["legal_name"] == "Acme <b>" and state.values["retention_months"] == "-3"
    assert state.values["data_categories"] == "a\nb" and state.values["retention_unlimited"] == "on"


def test_messages_locate_their_field():
    assert forms.field_of("Expected `int` >= 0 - at `$.retention_months`") == ("retention_months", "Expected `int` >= 0")
    assert forms.field_of("Object missing required field `legal_name`") == ("legal_name", "missing")
    assert forms.field_of("countries[1]: 'ZZ' is not an ISO 3166-1 alpha-2 country code")[0] == "countries"
    assert forms.field_of("something odd")[0] == forms.FORM_ERROR


def test_a_procurement_answer_sheet_becomes_a_candidate():
    answers, state = forms.read_request(
        posted(
            tool_name="Chatly", purpose="Support chat on the website", category="customer_support",
            data_kinds=["identity", "contact", "bogus"], people=["customers"], sensitive="no",
            bought_data="", marketing="b2c", recipients_can_opt_out="yes", prior_consent="",
            vendor_country="US", data_countries=["IN", "", "DE", "IN"],
            sub_processor_name__1="CloudCo", sub_processor_country__1="sg",
            sub_processor_name__2="Mailer", sub_processor_country__2="",
            dpa="offered", scc_offered="yes", dpf_certified="",
        ),
        "en",
    )
    assert state.valid, state.errors
    candidate = candidate_of_answers(answers, "en")
    assert candidate.trade_name == candidate.legal_name == "Chatly"
    assert candidate.headquarters_country == "US"
    assert [loc.country for loc in candidate.locations] == ["IN", "DE"]  # empty pickers and repeats dropped
    assert candidate.data_categories[:2] == ["Identity (name)", "Contact details (e-mail, phone, address)"]
    assert [(s.key, s.name, s.countries) for s in candidate.sub_processors] == [
        (1, "CloudCo", ["SG"]), (2, "Mailer", []),
    ]
    assert candidate.prospection_use == "b2c" and candidate.opt_out_offered is True
    assert candidate.prior_consent_collected is None  # unanswered: asked by the verdict, not a "no"
    assert candidate.indirect_collection is None and candidate.special_category_data is False
    assert candidate.agreement is not None and candidate.agreement.signed_on is None
    modules = {(s.country, s.scc_module, s.sub_processor_id) for s in candidate.safeguards}
    assert modules == {("IN", 2, None), ("SG", 3, 1)}


def test_opt_out_and_consent_answers_count_only_for_marketing():
    answers, _ = forms.read_request(
        posted(tool_name="T", purpose="p", marketing="none", recipients_can_opt_out="no", prior_consent="no"), "en"
    )
    candidate = candidate_of_answers(answers, "en")
    assert candidate.opt_out_offered is None and candidate.prior_consent_collected is None
    answers, _ = forms.read_request(
        posted(tool_name="T", purpose="p", marketing="b2b", recipients_can_opt_out="no", prior_consent="no"), "en"
    )
    candidate = candidate_of_answers(answers, "en")
    assert candidate.opt_out_offered is False and candidate.prior_consent_collected is None  # consent: B2C only


def test_a_procurement_request_names_every_field_in_error():
    _, state = forms.read_request(posted(tool_name="", purpose="  "), "fr")
    assert set(state.errors) == {"tool_name", "purpose"}
    _, state = forms.read_request(
        posted(tool_name="T", purpose="p", sub_processor_name__3="", sub_processor_country__3="US"), "en"
    )
    assert state.errors == {"sub_processors__3": "Name this provider."}
    assert state.values["sub_processors"][2] == {"name": "", "country": "US"}  # kept as typed
    _, state = forms.read_request(posted(tool_name="T", purpose="p", data_countries=["US", "ZZ"]), "fr")
    assert list(state.errors) == ["data_countries"] and state.values["data_countries"] == ["US", "ZZ"]
    _, state = forms.read_request(posted(tool_name="T", purpose="p", vendor_country="ZZ", marketing="b2z"), "en")
    assert set(state.errors) == {"vendor_country", "marketing"}
