"""Completeness and validation tests of the legal reference data.

The expected facts are read at test time from the shared reference
(``../shared/reference/gdpr-processors.md`` and ``findings.md``), so the data
files cannot drift from it silently. Tests needing it skip when it is absent.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pycountry
import pytest

from register.reference import DATA_DIR, Reference, _load_from, load_reference
from register.vocabulary import Severity

SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"
REFERENCE_MD = SHARED_DIR / "reference" / "gdpr-processors.md"
FINDINGS_MD = SHARED_DIR / "reference" / "findings.md"

MONTHS = (
    "January February March April May June July August September October November December"
).split()

# --------------------------------------------------------------------------
# Helpers: reading the shared reference


def _read_shared(path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"shared reference not found at {path} (expected beside the repository)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference_md() -> str:
    return _read_shared(REFERENCE_MD)


@pytest.fixture(scope="module")
def findings_md() -> str:
    return _read_shared(FINDINGS_MD)


@pytest.fixture(scope="module")
def ref() -> Reference:
    return load_reference()


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _markdown_tables(text: str) -> list[tuple[tuple[str, ...], list[dict[str, str]]]]:
    """Every pipe table of a markdown text: (header, rows as dicts)."""
    lines = text.splitlines()
    tables = []
    index = 0
    while index < len(lines):
        is_header = lines[index].startswith("|") and index + 1 < len(lines)
        if is_header and re.fullmatch(r"\|[\s:|-]+\|", lines[index + 1].strip()):
            header = tuple(_cells(lines[index]))
            index += 2
            rows = []
            while index < len(lines) and lines[index].startswith("|"):
                rows.append(dict(zip(header, _cells(lines[index]), strict=True)))
                index += 1
            tables.append((header, rows))
        else:
            index += 1
    return tables


def _rows_of_tables_with(text: str, header: tuple[str, ...]) -> list[dict[str, str]]:
    rows = [row for found, table in _markdown_tables(text) if found == header for row in table]
    assert rows, f"no table with header {header} in the shared reference"
    return rows


def _normalise(text: str) -> str:
    """Compare texts regardless of whitespace, case and dash style."""
    return " ".join(text.replace("–", "-").replace("—", "-").split()).casefold()


def _decision_id(text: str) -> str | None:
    """The official number in a decision text, e.g. "(EU) 2019/419", "2010/625/EU"."""
    match = re.search(r"(?:\(EU\)\s*)?\d{4}/\d+(?:/E[CU])?", text)
    return " ".join(match.group(0).split()) if match else None


def _first_full_date(text: str) -> date | None:
    match = re.search(rf"\b(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b", text)
    if not match:
        return None
    return date(int(match.group(3)), MONTHS.index(match.group(2)) + 1, int(match.group(1)))


def _reference_eea_codes(reference_md: str) -> list[str]:
    line = next(line for line in reference_md.splitlines() if line.startswith("EEA ("))
    listed = re.sub(r"\([^)]*\)", "", line.split(":", 1)[1])  # drop "(EU 27)"
    return re.findall(r"\b[A-Z]{2}\b", listed)


def _adequacy_rows(reference_md: str) -> list[dict[str, str]]:
    return _rows_of_tables_with(reference_md, ("code", "country", "decision", "scope note"))


def _adequacy_code_of(row: dict[str, str], ref: Reference) -> str:
    """The data's code for a reference row; "—" rows are international
    organisations, matched by name."""
    if re.fullmatch(r"[A-Z]{2}", row["code"]):
        return row["code"]
    matches = [
        code
        for code, decision in ref.adequacy.items()
        if decision.international_organisation and row["country"].startswith(decision.name_en)
    ]
    assert len(matches) == 1, f"no single international organisation matches {row['country']!r}"
    return matches[0]


def _date_forms(day: date) -> set[str]:
    """How the shared reference may write a date: "27 June 2021", "27 Dec 2022", "27 Sept 2021"."""
    month = MONTHS[day.month - 1]
    forms = {f"{day.day} {month} {day.year}", f"{day.day} {month[:3]} {day.year}"}
    if month == "September":
        forms.add(f"{day.day} Sept {day.year}")
    return forms


# --------------------------------------------------------------------------
# Countries and the EEA


def test_every_iso_country_is_known(ref: Reference) -> None:
    iso_codes = {record.alpha_2 for record in pycountry.countries}
    assert set(ref.countries) == iso_codes
    assert all(code == country.code for code, country in ref.countries.items())


def test_eea_is_exactly_the_reference_list(ref: Reference, reference_md: str) -> None:
    expected = _reference_eea_codes(reference_md)
    assert len(expected) == 30 and len(set(expected)) == 30
    assert {code for code, country in ref.countries.items() if country.eea} == set(expected)


def test_eea_countries_have_their_own_source(ref: Reference) -> None:
    for country in ref.countries.values():
        if country.eea:
            assert "European Economic Area" in country.source.citation, country.code
        else:
            assert country.source == ref.country_names_source, country.code


def test_french_names_exist_for_every_eea_country(ref: Reference) -> None:
    for code, country in ref.countries.items():
        if country.eea:
            assert country.name_fr and country.name_fr != code, code
    assert ref.country_name("DE", "fr") == "Allemagne"
    assert ref.country_name("ES", "fr") == "Espagne"
    assert ref.country_name("NL", "fr") == "Pays-Bas"
    assert ref.country_name("DE", "en") == "Germany"


def test_country_names_prefer_common_names(ref: Reference) -> None:
    assert ref.country_name("KR", "en") == "South Korea"
    assert ref.country_name("KR", "fr") == "Corée du Sud"
    assert ref.country_name("GB", "fr") == "Royaume-Uni"
    assert ref.country_name("US", "fr") == "États-Unis"


def test_country_lookups(ref: Reference) -> None:
    assert ref.country("FR").code == "FR"
    assert ref.is_known_country("JP") and not ref.is_known_country("ZZ")
    assert not ref.is_known_country("fr")  # codes are upper case; callers normalise
    assert not ref.is_known_country("XX-EPO")  # an organisation, not a country
    assert ref.is_eea("FR") and ref.is_eea("NO") and not ref.is_eea("CH")
    assert not ref.is_eea("ZZ")
    with pytest.raises(KeyError):
        ref.country("ZZ")
    assert ref.country_name("ZZ", "fr") == "ZZ"
    assert ref.country_name("XX-EPO", "fr") == "Organisation européenne des brevets"


# --------------------------------------------------------------------------
# Adequacy decisions


def test_every_adequacy_row_is_present_with_the_same_decision(
    ref: Reference, reference_md: str
) -> None:
    rows = _adequacy_rows(reference_md)
    codes = [_adequacy_code_of(row, ref) for row in rows]
    assert sorted(codes) == sorted(ref.adequacy), "adequacy rows differ from the reference"
    for code, row in zip(codes, rows, strict=True):
        decision = ref.adequacy[code]
        assert _decision_id(decision.decision) == _decision_id(row["decision"]), code
        stated = _first_full_date(row["decision"])
        if stated is not None:
            assert decision.adopted_on == stated, code


def test_adequacy_codes_are_countries_or_organisations(ref: Reference, reference_md: str) -> None:
    for code, decision in ref.adequacy.items():
        if decision.international_organisation:
            assert code.startswith("XX-") and decision.name_en and decision.name_fr
        else:
            assert ref.is_known_country(code) and not ref.is_eea(code), code
            assert decision.name_en == ref.country(code).name_en
    organisations = [
        row
        for row in _adequacy_rows(reference_md)
        if "international organisation" in row["country"]
    ]
    assert sum(d.international_organisation for d in ref.adequacy.values()) == len(organisations)


def test_adequacy_scopes(ref: Reference, reference_md: str) -> None:
    special = {"US": "dpf_certified", "CA": "pipeda", "BR": "lgpd"}
    for code, decision in ref.adequacy.items():
        assert decision.scope == special.get(code, "general"), code
    for row in _adequacy_rows(reference_md):
        decision = ref.adequacy[_adequacy_code_of(row, ref)]
        if row["scope note"]:
            assert decision.scope_note_en and decision.scope_note_fr, decision.code


def test_uk_decision_runs_to_december_2031_and_is_flagged(ref: Reference) -> None:
    uk = ref.adequacy["GB"]
    assert uk.valid_until is not None
    assert (uk.valid_until.year, uk.valid_until.month) == (2031, 12)
    assert uk.source.verify and "VERIFY" in uk.source.note


def test_us_decision_carries_the_dpf_litigation_risk(ref: Reference, reference_md: str) -> None:
    paragraph = next(p for p in reference_md.split("\n\n") if "Latombe" in p)
    cases = re.findall(r"\b[TC]-\d+/\d+(?: P)?", paragraph)
    assert {"T-553/23", "C-703/25 P"} <= set(cases)
    us = ref.adequacy["US"]
    for case in cases:
        assert case in us.risk_note_en and case in us.risk_note_fr, case
    assert "SCC" in us.risk_note_en and "clauses contractuelles types" in us.risk_note_fr
    others = [code for code, d in ref.adequacy.items() if d.risk_note_en and code != "US"]
    assert others == []


def test_older_decisions_note_the_january_2024_review(ref: Reference, reference_md: str) -> None:
    assert "January 2024 review confirmed the eleven older decisions" in reference_md
    reviewed = {code for code, d in ref.adequacy.items() if "January 2024 review" in d.source.note}
    assert len(reviewed) == 11
    for code in reviewed:  # the pre-GDPR decisions, numbered YYYY/N/EC or /EU
        assert re.fullmatch(r"(19|20)\d{2}/\d+/E[CU]", ref.adequacy[code].decision), code
        assert int(ref.adequacy[code].decision[:4]) < 2016, code


def test_adequacy_for(ref: Reference) -> None:
    assert ref.adequacy_for("JP") is ref.adequacy["JP"]
    assert ref.adequacy_for("XX-EPO") is ref.adequacy["XX-EPO"]
    assert ref.adequacy_for("FR") is None  # EEA: no adequacy decision needed
    assert ref.adequacy_for("CN") is None


# --------------------------------------------------------------------------
# Art. 28(3) items and SCC modules


def test_art28_items_match_the_reference_in_order(ref: Reference, reference_md: str) -> None:
    rows = _rows_of_tables_with(reference_md, ("id", "content"))
    assert ref.art28_item_ids() == tuple(row["id"] for row in rows)
    for item, row in zip(ref.art28_items, rows, strict=True):
        assert _normalise(item.content_en) == _normalise(row["content"]), item.id
        assert item.content_fr and item.content_fr != item.content_en, item.id
        assert item.provision.startswith("Art. 28(3)"), item.id


def test_art28_point_items_name_their_point(ref: Reference) -> None:
    for item in ref.art28_items:
        point = item.id.removeprefix("art28_3_")
        if len(point) == 1:
            assert item.provision == f"Art. 28(3)({point})", item.id


def test_scc_modules_match_the_reference_roles(ref: Reference, reference_md: str) -> None:
    modules_line = next(line for line in reference_md.splitlines() if "Modules:" in line)
    roles = re.findall(r"(\d) (controller|processor)→(controller|processor)", modules_line)
    assert len(roles) == 4
    assert sorted(ref.scc_modules) == [1, 2, 3, 4]
    for number, exporter, importer in roles:
        module = ref.scc_modules[int(number)]
        assert (module.exporter_role, module.importer_role) == (exporter, importer)
        assert module.name_en and module.name_fr


# --------------------------------------------------------------------------
# Findings catalogue


def test_every_finding_code_with_same_severity_and_basis(ref: Reference, findings_md: str) -> None:
    rows = _rows_of_tables_with(findings_md, ("code", "severity", "raised when", "basis"))
    assert list(ref.findings) == [row["code"] for row in rows]
    for row in rows:
        finding = ref.finding(row["code"])
        assert finding.severity == Severity(row["severity"]), finding.code
        assert _normalise(finding.basis) == _normalise(row["basis"]), finding.code


def test_findings_are_written_in_both_languages(ref: Reference) -> None:
    for finding in ref.findings.values():
        for part in ("title", "explanation", "remediation"):
            english = getattr(finding, f"{part}_en")
            french = getattr(finding, f"{part}_fr")
            assert english and french and english != french, (finding.code, part)
    assert (
        ref.finding("DPA_MISSING").title_fr
        == "Aucun accord de sous-traitance (DPA) signé en vigueur"
    )


def test_french_texts_contain_no_english(ref: Reference) -> None:
    english_words = re.compile(r"\b(the|and|with|of|must|is|not)\b")
    texts = [
        (f.code, getattr(f, f"{part}_fr"))
        for f in ref.findings.values()
        for part in ("title", "explanation", "remediation")
    ]
    texts += [(item.id, item.content_fr) for item in ref.art28_items]
    texts += [(key, d.description_fr) for key, d in ref.key_dates.items()]
    texts += [(key, t.description_fr) for key, t in ref.thresholds.items()]
    texts += [(code, d.scope_note_fr + " " + d.risk_note_fr) for code, d in ref.adequacy.items()]
    for label, text in texts:
        assert not english_words.search(text), (label, text)


def test_opt_out_cites_the_right_to_object_not_access(ref: Reference) -> None:
    opt_out = ref.finding("OPT_OUT_MISSING")
    assert opt_out.basis.startswith("Art. 21")
    assert "Art. 21" in opt_out.explanation_en and "article 21" in opt_out.explanation_fr
    for finding in ref.findings.values():
        texts = " ".join(
            getattr(finding, f"{part}_{lang}")
            for part in ("title", "explanation", "remediation")
            for lang in ("en", "fr")
        )
        assert not re.search(r"\b(Art\.|article) 15\b", texts), finding.code


def test_retention_applies_to_b2b_too(ref: Reference) -> None:
    retention = ref.finding("RETENTION_UNLIMITED")
    assert "B2B" in retention.explanation_en and "B2B" in retention.explanation_fr
    assert "5(1)(e)" in retention.source.citation


# --------------------------------------------------------------------------
# Key dates and thresholds

EXPECTED_KEY_DATES = {
    "scc_2021_in_force": date(2021, 6, 27),
    "scc_old_new_contracts_cutoff": date(2021, 9, 27),
    "scc_old_replacement_deadline": date(2022, 12, 27),
    "uk_idta_in_force": date(2022, 3, 21),
    "uk_old_scc_replacement_deadline": date(2024, 3, 21),
    "ch_fdpic_scc_recognition": date(2021, 8, 27),
    "privacy_shield_invalidated": date(2020, 7, 16),
    "dpf_adequacy_adopted": date(2023, 7, 10),
    "latombe_general_court_dismissed": date(2025, 9, 3),
    "latombe_appeal_lodged": date(2025, 10, 31),
}


def test_key_dates_match_the_reference(ref: Reference, reference_md: str) -> None:
    assert {key: d.on for key, d in ref.key_dates.items()} == EXPECTED_KEY_DATES
    for key, key_date in ref.key_dates.items():
        assert any(form in reference_md for form in _date_forms(key_date.on)), key
        assert key_date.description_en and key_date.description_fr, key


EXPECTED_THRESHOLDS = {
    "prospect_retention_months": (36, "months"),
    "breach_notice_max_hours": (48, "hours"),
    "controller_breach_notice_hours": (72, "hours"),
    "dpf_check_max_months": (12, "months"),
    "tia_review_months": (12, "months"),
    "dsr_response_days": (30, "days"),
}


def test_thresholds(ref: Reference, reference_md: str) -> None:
    for key, (value, unit) in EXPECTED_THRESHOLDS.items():
        assert (ref.thresholds[key].value, ref.thresholds[key].unit) == (value, unit), key
    assert "3 years" in reference_md and "one month (Art. 12(3))" in reference_md


def test_project_defaults_say_so(ref: Reference, reference_md: str) -> None:
    for key in ("breach_notice_max_hours", "dpf_check_max_months", "tia_review_months"):
        assert "Project default" in ref.thresholds[key].source.note, key
    assert "appropriate intervals" in reference_md
    assert "appropriate intervals" in ref.thresholds["tia_review_months"].source.note


# --------------------------------------------------------------------------
# Sources


def test_every_datum_has_a_source_and_an_as_of_date(ref: Reference) -> None:
    labelled = ref.sources()
    labels = [label for label, _ in labelled]
    assert len(labels) == len(set(labels))
    expected_count = (
        1
        + sum(c.eea for c in ref.countries.values())
        + len(ref.adequacy)
        + len(ref.art28_items)
        + len(ref.scc_modules)
        + len(ref.findings)
        + len(ref.key_dates)
        + len(ref.thresholds)
        + len(ref.legal_forms)
    )
    assert len(labelled) == expected_count
    for label, source in labelled:
        assert source.citation.strip(), label
        assert isinstance(source.as_of, date) and source.as_of <= date.today(), label
        assert source.url == "" or source.url.startswith("https://"), label


def test_verify_flags_match_the_reference(ref: Reference, reference_md: str) -> None:
    rows = _adequacy_rows(reference_md)
    expected = {
        f"adequacy:{_adequacy_code_of(row, ref)}" for row in rows if "VERIFY" in row["decision"]
    }
    table_lines = {line for line in reference_md.splitlines() if line.startswith("|")}
    elsewhere = [
        line
        for line in reference_md.splitlines()
        if "VERIFY" in line and line not in table_lines and "marked VERIFY" not in line
    ]
    assert elsewhere == [], "a VERIFY item outside the adequacy table is not mapped by this test"
    assert expected, "the reference marks the UK renewal decision VERIFY"
    assert {label for label, source in ref.sources() if source.verify} == expected


# --------------------------------------------------------------------------
# The loader


def test_load_reference_is_cached_and_read_only(ref: Reference) -> None:
    assert load_reference() is ref
    with pytest.raises(TypeError):
        ref.findings["NEW"] = ref.finding("DPA_MISSING")  # type: ignore[index]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_copy_loads(data_copy: Path, ref: Reference) -> None:
    copy = _load_from(data_copy)
    assert copy.findings == ref.findings and copy.art28_items == ref.art28_items


BROKEN_FILES = [
    pytest.param(
        "findings.toml",
        'paragraphes 3 et 9", url = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016R0679", as_of = 2026-11-29 }',
        'paragraphes 3 et 9", url = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32016R0679" }',
        ("findings.toml", "finding.DPA_MISSING", "as_of"),
        id="finding-without-as_of",
    ),
    pytest.param(
        "findings.toml",
        'severity = "critical"\nbasis = "Art. 28(3), 28(9)"',
        'severity = "urgent"\nbasis = "Art. 28(3), 28(9)"',
        ("findings.toml", "finding.DPA_MISSING", "severity"),
        id="unknown-severity",
    ),
    pytest.param(
        "art28.toml",
        'content_fr = "les catégories de personnes concernées"\nsource = ',
        'content_fr = "les catégories de personnes concernées"\nnot_a_source = ',
        ("art28.toml", "art28_3_subjects"),
        id="art28-item-without-source",
    ),
    pytest.param(
        "countries.toml",
        "[eea.AT]",
        "[eea.ZZ]",
        ("countries.toml", "eea.ZZ", "ISO 3166-1"),
        id="unknown-eea-code",
    ),
    pytest.param(
        "adequacy.toml",
        "[decision.AD]",
        "[decision.FR]",
        ("adequacy.toml", "decision.FR", "EEA"),
        id="adequacy-for-an-eea-country",
    ),
    pytest.param(
        "key_dates.toml",
        "on = 2021-06-27",
        'on = "2021-06-27"',
        ("key_dates.toml", "date.scc_2021_in_force", "TOML date"),
        id="quoted-date",
    ),
    pytest.param(
        "thresholds.toml",
        "value = 36",
        "value = 36.5",
        ("thresholds.toml", "threshold.prospect_retention_months", "integer"),
        id="non-integer-threshold",
    ),
    pytest.param(
        "scc_modules.toml",
        'exporter_role = "controller"',
        'exporter_role = "vendor"',
        ("scc_modules.toml", "module.1", "exporter_role"),
        id="unknown-role",
    ),
    pytest.param(
        "adequacy.toml",
        'verify = true, note = "VERIFY: the number',
        'verify = true, citaton = "VERIFY: the number',
        ("adequacy.toml", "decision.GB.source", "citaton"),
        id="misspelt-field",
    ),
    pytest.param(
        "legal_forms.toml",
        'countries = ["DE", "AT", "CH"]',
        'countries = ["DE", "XY"]',
        ("legal_forms.toml", "form.gmbh", "XY"),
        id="legal-form-in-an-unknown-country",
    ),
    pytest.param(
        "legal_forms.toml",
        'spellings = ["GmbH"]',
        "spellings = []",
        ("legal_forms.toml", "form.gmbh", "spellings"),
        id="legal-form-without-spellings",
    ),
    pytest.param(
        "thresholds.toml",
        "[threshold.breach_notice_max_hours]",
        "[threshold.breach_notice_max_hours",
        ("thresholds.toml", "invalid TOML"),
        id="toml-syntax-error",
    ),
]


@pytest.mark.parametrize(("file_name", "old", "new", "fragments"), BROKEN_FILES)
def test_loader_rejects_a_broken_file(
    data_copy: Path, file_name: str, old: str, new: str, fragments: tuple[str, ...]
) -> None:
    _edit(data_copy / file_name, old, new)
    with pytest.raises(ValueError) as raised:
        _load_from(data_copy)
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_loader_names_a_missing_file(data_copy: Path) -> None:
    (data_copy / "scc_modules.toml").unlink()
    with pytest.raises(ValueError, match="scc_modules.toml"):
        _load_from(data_copy)


def test_loader_requires_a_note_on_verify_items(data_copy: Path) -> None:
    _edit(
        data_copy / "art28.toml",
        'source = { citation = "GDPR (Regulation (EU) 2016/679) Art. 28(3)(a)"',
        'source = { verify = true, citation = "GDPR (Regulation (EU) 2016/679) Art. 28(3)(a)"',
    )
    with pytest.raises(ValueError, match=r"art28\.toml.*art28_3_a.*note"):
        _load_from(data_copy)


def test_french_documents_cite_sources_in_french_and_link_eur_lex_in_french():
    from register.reference import load_reference
    from register.reference.types import eur_lex_in

    reference = load_reference()
    source = reference.finding("DPA_MISSING").source
    every_source = [source for _label, source in reference.sources()] if hasattr(reference, "sources") else []
    url = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32021D0915"
    assert eur_lex_in(url, "fr") == "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32021D0915"
    assert eur_lex_in(url, "en") == url
    assert eur_lex_in("https://www.cnil.fr/fr/x", "fr") == "https://www.cnil.fr/fr/x"
    assert source.citation_in("fr").startswith("RGPD") and source.citation_in("en").startswith("GDPR")
    assert [s.citation for s in every_source if not s.citation_fr] == []  # every citation has its French form


# --------------------------------------------------------------------------
# Legal forms (register.intake.names compares vendors' names without them)

# The forms the register must know, as companies write them (the list is one
# set: import keys, sub-processor notices and the DPF list all use it).
EXPECTED_LEGAL_FORMS = (
    "Inc.", "Inc", "Incorporated", "LLC", "L.L.C.", "Ltd", "Ltd.", "Limited", "GmbH", "SAS", "SA",
    "S.A.", "SARL", "S.à r.l.", "B.V.", "BV", "AB", "ApS", "AG", "S.p.A.", "SpA", "S.L.", "Corp.",
    "Corporation", "Co.", "PLC", "Pty Ltd", "KK", "K.K.", "SE", "N.V.", "Oy", "A/S", "LLP", "S.r.l.",
)  # fmt: skip


def test_every_expected_legal_form_is_listed(ref: Reference) -> None:
    listed = {spelling for form in ref.legal_forms.values() for spelling in form.spellings}
    assert [form for form in EXPECTED_LEGAL_FORMS if form not in listed] == []


def test_every_legal_form_has_countries_and_a_source(ref: Reference) -> None:
    assert len(ref.legal_forms) >= 30
    for form in ref.legal_forms.values():
        assert form.name and form.spellings and form.countries, form.id
        assert all(code == "EU" or ref.is_known_country(code) for code in form.countries), form.id
        assert form.source.citation and form.source.citation_fr and form.source.as_of, form.id


def test_no_two_legal_forms_share_a_spelling(ref: Reference) -> None:
    from register.intake.names import legal_form_spellings

    owners = legal_form_spellings(ref)
    assert owners["llc"] == "llc" and owners["sarl"] == "sarl" and owners["spa"] == "spa"


def test_a_spelling_of_two_legal_forms_is_refused(data_copy: Path) -> None:
    from register.intake.names import legal_form_spellings

    _edit(data_copy / "legal_forms.toml", 'spellings = ["AB"]', 'spellings = ["AB", "S.A.S."]')
    with pytest.raises(ValueError, match=r"legal_forms\.toml.*form\.(ab|sas).*already a spelling"):
        legal_form_spellings(_load_from(data_copy))


def test_every_art28_item_has_its_french_citation(ref: Reference) -> None:
    for item in ref.art28_items:
        assert item.provision_fr.startswith("Art. 28, §\u00a03, "), item.id
        assert "subparagraph" not in item.provision_fr and "(" not in item.provision_fr, item.id
        assert item.provision_in("fr") == item.provision_fr and item.provision_in("en") == item.provision
    by_id = {item.id: item for item in ref.art28_items}
    assert by_id["art28_3_h"].provision_fr == "Art. 28, §\u00a03, h)"
    assert by_id["art28_3_subject"].provision_fr == "Art. 28, §\u00a03, premier alinéa"
