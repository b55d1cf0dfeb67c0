"""An import's problems speak the reader's language only: the register's own
validation (msgspec, the input structs) and a bad mapping are said in French
or English, never with the library's English inside a French text."""

from __future__ import annotations

import pytest

from register.intake import ColumnMapping, IntakeError, build_preview, read_workbook, suggest_mapping
from register.intake.dpf_list import read_dpf_list
from register.intake.model import cell_problem
from register.intake.preview import ImportRegister, refused_value
from register.intake.wording import problem_text
from tests.intake_support import csv_of, xlsx_of
from tests.test_language_purity import leaks

# msgspec's and the structs' words: none may reach a reader, in either language.
LIBRARY_WORDS = ("Expected", "`", "$.", "got ", "http(s) URL", "last_review_on", "next_review_on", "scc_module",
                 "SCC-based", "Invalid enum", "regex", "Object missing")

HEADERS = ["Fournisseur", "Pays du siège", "Site web", "Dernière revue", "Prochaine revue", "Outil de transfert",
           "Pays de transfert", "Module CCT"]
BAD_ROWS = [
    ["Site", "France", "ftp://site.example", "", "", "", "", ""],
    ["Revues", "France", "", "01/06/2026", "01/01/2026", "", "", ""],
    ["Module", "France", "", "", "", "Décision d'adéquation", "Japon", "2"],
]


def plain(text: str) -> str:
    """Spaces as spaces (French typography's non-breaking spaces are checked elsewhere)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def bad_preview():
    workbook = read_workbook(xlsx_of([HEADERS, *BAD_ROWS]), "prestataires.xlsx")
    return build_preview(workbook, suggest_mapping(workbook), ImportRegister(1, 1, ()))


def test_a_bad_sheet_is_explained_in_french():
    preview = bad_preview()
    assert [row.action for row in preview.rows] == ["error", "error", "error"]
    said = [plain(problem_text(row.problems[0], "fr")) for row in preview.rows]
    assert said == [
        "Feuille « Fournisseurs », ligne 2, Site web : saisissez une adresse web complète, commençant "
        "par https:// ou http://",
        "Feuille « Fournisseurs », ligne 3, Prochaine revue : la prochaine revue ne peut pas précéder "
        "la dernière revue",
        "Feuille « Fournisseurs », ligne 4, Module des CCT : un module ne s'indique qu'avec des clauses "
        "contractuelles types",
    ]
    for text in said:
        assert leaks(text, "fr") == [] and not any(word in text for word in LIBRARY_WORDS), text


def test_a_bad_sheet_is_explained_in_english():
    preview = bad_preview()
    said = [problem_text(row.problems[0], "en") for row in preview.rows]
    assert said[0] == "Sheet “Fournisseurs”, row 2, Website: enter a full web address, starting with https:// or http://"
    assert said[2] == "Sheet “Fournisseurs”, row 4, SCC module: a module is only recorded with standard contractual clauses"
    for text in said:
        assert leaks(text, "en") == [] and not any(word in text for word in LIBRARY_WORDS), text


@pytest.mark.parametrize(
    ("message", "fields", "field", "french"),
    [
        ("Expected `str` of length <= 200 - at `$.legal_name`", {}, "legal_name", "200 caractères au plus"),
        ("Expected `int` >= 0 - at `$.retention_months`", {}, "retention_months", "la valeur doit être au moins 0"),
        ("Invalid enum value 'x' - at `$.mechanism`", {"mechanism": "transfer_mechanism"}, "transfer_mechanism",
         "choisissez une valeur de la liste"),
        ("ends_on: 2023-01-01 is before signed_on 2024-01-01", {"ends_on": "dpa_ends_on"}, "dpa_ends_on",
         "cette date est antérieure à la date de début"),
        ("something msgspec never said - at `$.country`", {"country": "locations"}, "locations",
         "le registre refuse cette valeur"),
    ],
)
def test_each_refusal_names_the_imported_field_and_says_why(message, fields, field, french):
    problem = cell_problem(refused_value(message, fields), "row_invalid", sheet="S", row=2)
    assert problem.params.get("field") == field
    text = plain(problem_text(problem, "fr"))
    assert text.endswith(" : " + french), text
    assert not any(word in text for word in LIBRARY_WORDS), text


def test_a_value_error_of_no_known_kind_is_not_quoted_in_english():
    problem = cell_problem(ValueError("Exceeds the limit (4300 digits) for integer string conversion"), "cell_invalid",
                           sheet="S", row=2, column="C")
    assert plain(problem_text(problem, "fr")) == "Feuille « S », ligne 2, colonne C : le registre refuse cette valeur"


@pytest.mark.parametrize(
    ("toml", "french", "english"),
    [
        ("kind = 3", "le paramètre « kind » de la correspondance n'est pas valide : choisissez une "
         "valeur de la liste", "The mapping's setting “kind” is not valid: choose a value from the list"),
        ('header_row = "x"', "le paramètre « header_row » de la correspondance n'est pas valide : "
         "saisissez un nombre entier", "The mapping's setting “header_row” is not valid: enter a whole number"),
        ("x = = 1", "la correspondance n'est pas un TOML valide (ligne 1, caractère 5)",
         "The mapping is not valid TOML (line 1, character 5)"),
    ],
)
def test_a_bad_mapping_is_explained_in_the_readers_language(toml, french, english):
    with pytest.raises(IntakeError) as raised:
        ColumnMapping.from_toml(toml)
    assert plain(problem_text(raised.value.problem, "fr")) == french[:1].upper() + french[1:]
    assert problem_text(raised.value.problem, "en") == english


def test_a_bad_json_mapping_says_where_not_the_parsers_english():
    with pytest.raises(IntakeError) as raised:
        ColumnMapping.from_json("{bad")
    assert plain(problem_text(raised.value.problem, "fr")) == "La correspondance n'est pas un JSON valide (caractère 2)"


def test_dpf_list_problems_are_said_in_french_too():
    rows = [["Organization Name", "Status", "Certification date"], ["Acme Inc.", "Pending", "31/02/2024"]]
    dpf = read_dpf_list(csv_of(rows, ";").encode(), "dpf.csv")
    said = sorted(plain(problem_text(p, "fr")) for p in dpf.problems)
    assert said == [
        "Feuille « dpf », ligne 2, colonne B : le statut « Pending » n'est ni actif ni inactif : compté comme non certifié",
        "Feuille « dpf », ligne 2, colonne C : « 31/02/2024 » n'est pas une date ; écrivez jj/mm/aaaa ou aaaa-mm-jj",
    ]
