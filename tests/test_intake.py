"""register/intake on files alone: formats, encodings, bad input, values, mapping, preview."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
import xlsxwriter

from register.compliance import model
from register.intake import ColumnMapping, IntakeError, Limits, Preview, build_preview, read_workbook, suggest_mapping
from register.intake.mapping import header_field
from register.intake.preview import ImportRegister
from register.intake.values import parse_boolean, parse_countries, parse_country, parse_date, parse_list
from register.vocabulary import LocationActivity, ProcessorCategory, TransferMechanism
from tests.intake_support import cnil_ods, cnil_workbook, csv_of, ods_of, xlsx_of

VENDORS = [
    ["Fournisseur", "Pays d'hébergement", "DPA signé le", "Catégories de données", "Site web"],
    ["Acme SAS", "France; Allemagne", "02/01/2024", "Identité, Contact", "https://acme.example"],
    ["Globex Inc", "États-Unis", "2023-05-06", "Identité", ""],
]


def empty_register(*processors: model.Processor) -> ImportRegister:
    return ImportRegister(organisation_id=1, revision=7, processors=tuple(processors))


def preview_of(content: bytes, filename: str, register: ImportRegister | None = None,
               mapping: ColumnMapping | None = None) -> Preview:
    workbook = read_workbook(content, filename)
    return build_preview(workbook, mapping or suggest_mapping(workbook), register or empty_register())


def refused(content: bytes, filename: str, limits: Limits | None = None) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        read_workbook(content, filename, limits)
    return caught.value


# ------------------------------------------------------------------ formats and encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csv_in_every_encoding_and_separator_reads_the_same_rows(encoding, separator):
    rows = [["Fournisseur", "Pays", "Données"], ["Société Générale Équipement", "États-Unis", "Identité"]]
    workbook = read_workbook(csv_of(rows, separator).encode(encoding), "vendors.csv")
    assert [row.cells for row in workbook.sheets[0].rows] == rows
    note = workbook.notes[0].message
    assert {";": "semicolon", ",": "comma", "\t": "tab"}[separator] in note


def test_csv_from_french_excel_is_read_as_windows_1252():
    content = "Fournisseur;Pays\r\nCafé Crème SARL;Royaume-Uni\r\n".encode("cp1252")
    workbook = read_workbook(content, "export.csv")
    assert workbook.sheets[0].rows[1].cells == ["Café Crème SARL", "Royaume-Uni"]
    assert "Windows-1252" in workbook.notes[0].message


def test_quoted_csv_cells_keep_their_separators_and_new_lines():
    content = 'Fournisseur,Sous-traitants\r\nAcme,"AWS; Google\nMicrosoft"\r\n'.encode()
    preview = preview_of(content, "v.csv")
    assert [c.new for c in preview.rows[0].changes if c.field == "sub_processor"] == ["AWS", "Google", "Microsoft"]


def test_xlsx_keeps_types_and_drops_empty_rows():
    content = xlsx_of([["Fournisseur", "Revue"], [], ["Acme", datetime(2026, 1, 2)], ["Globex", 3]])
    sheet = read_workbook(content, "v.xlsx").sheets[0]
    assert [row.number for row in sheet.rows] == [1, 3, 4]
    assert sheet.rows[2].cells == ["Globex", 3]  # 3.0 read back as a whole number


def test_ods_reads_like_the_same_xlsx():
    rows = [["Fournisseur", "Pays", "Module"], ["Acme", "France", 2], ["Globex", None, 3]]
    ods = read_workbook(ods_of(rows), "vendors.ods")
    xlsx = read_workbook(xlsx_of(rows), "vendors.xlsx")
    assert ods.format == "ods"
    assert [r.cells for r in ods.sheets[0].rows] == [r.cells for r in xlsx.sheets[0].rows]


def test_a_hidden_ods_sheet_is_not_read_and_is_named():
    read = read_workbook(ods_of([["Fournisseur"], ["Acme"]], hidden="Archive"), "vendors.ods")
    assert [sheet.name for sheet in read.sheets] == ["Fournisseurs"]
    assert [(n.code, n.sheet) for n in read.notes] == [("hidden_sheet", "Archive")]


# ------------------------------------------------------------------ formulas, merged cells, hidden sheets


def test_a_formula_is_read_by_its_saved_result_never_computed():
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = workbook.add_worksheet("V")
    sheet.write_string(0, 0, "Fournisseur")
    sheet.write_string(0, 1, "Module")
    sheet.write_string(1, 0, "Acme")
    sheet.write_formula(1, 1, "=1+1", None, 3)  # the saved result disagrees with the formula
    workbook.close()
    rows = read_workbook(output.getvalue(), "v.xlsx").sheets[0].rows
    assert rows[1].cells == ["Acme", 3]


def test_a_formula_without_a_saved_result_is_refused_naming_its_cell():
    workbook = openpyxl.Workbook()  # openpyxl saves formulas without their results
    sheet = workbook.active
    sheet.title = "Vendors"
    sheet.append(["Vendor", "Country"])
    sheet.append(["Acme", "FR"])
    sheet["B3"] = '=CONCATENATE("F","R")'
    output = io.BytesIO()
    workbook.save(output)
    error = refused(output.getvalue(), "v.xlsx")
    assert (error.code, error.sheet, error.row, error.column) == ("formula_without_value", "Vendors", 3, "B")


def test_merged_cells_apply_their_value_to_each_cell_and_are_named():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "V"
    sheet.append(["Fournisseur", "Pays"])
    sheet.append(["Acme", "France"])
    sheet.append(["Globex", None])
    sheet.merge_cells("B2:B3")
    output = io.BytesIO()
    workbook.save(output)
    read = read_workbook(output.getvalue(), "v.xlsx")
    assert read.sheets[0].rows[2].cells == ["Globex", "France"]
    assert read.sheets[0].merged == ["B2:B3"]
    assert any(note.code == "merged_cells" and "B2:B3" in note.message for note in read.notes)


def test_a_hidden_sheet_is_not_read_and_is_named():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Fournisseur"])
    workbook.active.append(["Acme"])
    hidden = workbook.create_sheet("Archive")
    hidden.append(["Fournisseur"])
    hidden.sheet_state = "hidden"
    output = io.BytesIO()
    workbook.save(output)
    read = read_workbook(output.getvalue(), "v.xlsx")
    assert [sheet.name for sheet in read.sheets] == ["Sheet"]
    assert [(n.code, n.sheet) for n in read.notes] == [("hidden_sheet", "Archive")]


# ------------------------------------------------------------------ refused files


def test_a_password_protected_xlsx_is_refused():
    # An encrypted Office file is a compound file holding an "EncryptedPackage" stream.
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    assert refused(content, "secret.xlsx").code == "password_protected"


def test_a_password_protected_ods_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", '<manifest:encryption-data manifest:checksum="x"/>')
        archive.writestr("content.xml", b"\x8a\x11encrypted")
    assert refused(output.getvalue(), "secret.ods").code == "password_protected"


def test_an_old_xls_file_is_refused_with_what_to_do():
    error = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls")
    assert error.code == "unsupported_format" and "xlsx" in error.message


def test_a_truncated_workbook_is_refused_as_corrupt():
    content = xlsx_of(VENDORS)
    assert refused(content[: len(content) // 2], "v.xlsx").code == "corrupt"


def test_a_workbook_named_csv_is_refused_as_a_wrong_extension():
    error = refused(xlsx_of(VENDORS), "vendors.csv")
    assert error.code == "wrong_extension" and ".xlsx" in error.message


def test_an_unknown_extension_is_refused():
    assert refused(b"Fournisseur\nAcme\n", "vendors.exe").code == "wrong_extension"


def test_a_binary_file_is_not_taken_for_a_csv():
    assert refused(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "vendors.csv").code == "unsupported_format"


def test_a_zip_bomb_is_refused_before_any_reader_opens_it():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (3 * 1024 * 1024))
    content = output.getvalue()
    assert len(content) < 20_000
    error = refused(content, "bomb.xlsx", Limits(max_unzipped_bytes=1024 * 1024))
    assert error.code == "zip_bomb"


def test_too_many_rows_are_refused():
    rows = [["Fournisseur"]] + [[f"Vendor {n}"] for n in range(10)]
    error = refused(csv_of(rows).encode(), "v.csv", Limits(max_rows=5))
    assert error.code == "too_many_rows" and "11" in error.message


def test_too_many_bytes_are_refused():
    assert refused(b"Fournisseur\nAcme\n" * 10, "v.csv", Limits(max_bytes=50)).code == "too_large"


def test_an_empty_file_is_refused():
    assert refused(b"  \r\n", "v.csv").code == "empty"


def test_the_limits_come_from_the_environment(monkeypatch):
    from register.settings import ConfigurationError, intake_limits

    monkeypatch.setenv("IMPORT_MAX_ROWS", "123")
    monkeypatch.setenv("IMPORT_MAX_BYTES", "4567")
    limits = intake_limits()
    assert (limits.max_rows, limits.max_bytes) == (123, 4567)
    monkeypatch.setenv("IMPORT_MAX_ROWS", "many")
    with pytest.raises(ConfigurationError, match="IMPORT_MAX_ROWS"):
        intake_limits()


# ------------------------------------------------------------------ values


@pytest.mark.parametrize("text, code", [
    ("États-Unis", "US"), ("Etats Unis", "US"), ("USA", "US"), ("US", "US"), ("United States", "US"),
    ("Royaume-Uni", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("Allemagne", "DE"), ("germany", "DE"),
    ("DEU", "DE"), ("Corée du Sud", "KR"), ("South Korea", "KR"), ("Iles FEROE", "FO"), ("Ile de Man", "IM"),
    ("Andorre", "AD"), ("Japon", "JP"), ("Suisse", "CH"), ("fr", "FR"),
])
def test_countries_are_read_from_codes_and_french_or_english_names(text, code):
    assert parse_country(text) == code


def test_an_unknown_country_is_an_error_and_unknown_is_nothing():
    with pytest.raises(ValueError, match="Narnia"):
        parse_country("Narnia")
    assert parse_country("Inconnu") is None and parse_country("") is None


def test_several_countries_in_one_cell():
    assert parse_countries("France; Allemagne,\nÉtats-Unis") == ["FR", "DE", "US"]
    assert parse_countries("Korea, Republic of") == ["KR"]


@pytest.mark.parametrize("value, expected", [
    ("02/01/2024", date(2024, 1, 2)), ("2024-01-02", date(2024, 1, 2)), ("2.1.2024", date(2024, 1, 2)),
    (45293, date(2024, 1, 2)), ("45293", date(2024, 1, 2)), (datetime(2024, 1, 2, 0, 0), date(2024, 1, 2)),
    ("2 janvier 2024", date(2024, 1, 2)), ("2 Jan 2024", date(2024, 1, 2)), ("1er décembre 2026", date(2026, 12, 1)),
    ("", None), (None, None),
])
def test_dates_in_french_iso_and_excel_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2024", "tomorrow", "13/13/2024", True])
def test_bad_dates_are_errors(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize("value, expected", [
    ("oui", True), ("Non", False), ("yes", True), ("no", False), ("x", True), ("X", True), (True, True),
    (1, True), (0, False), ("", None), ("?", None),
])
def test_yes_and_no_in_both_languages(value, expected):
    assert parse_boolean(value) is expected


def test_lists_split_on_semicolons_commas_and_new_lines():
    assert parse_list("Identité; Contact,Facturation\nIdentité") == ["Identité", "Contact", "Facturation"]


# ------------------------------------------------------------------ mapping


@pytest.mark.parametrize("header, field", [
    ("Fournisseur", "legal_name"), ("Prestataire", "legal_name"), ("Vendor", "legal_name"),
    ("Supplier name", "legal_name"), ("Pays d'hébergement", "locations"), ("Hosting country", "locations"),
    ("DPA signé le", "dpa_signed_on"), ("DPA signed on", "dpa_signed_on"), ("Site web", "website"),
    ("Finalités", "purposes"), ("Purpose", "purposes"), ("Sous-traitants ultérieurs", "sub_processors"),
    ("Type de garanties", "transfer_mechanism"), ("Catégorie", "category"),
    ("Pays d hebergement des donnees", "locations"), ("Vendor name (legal)", "legal_name"),
])
def test_headers_in_french_and_english_suggest_their_field(header, field):
    assert header_field(header)[0] == field


def test_an_unrelated_header_is_left_unmapped():
    assert header_field("Couleur préférée")[0] is None


def test_the_suggested_mapping_finds_the_header_row_and_the_sheet():
    content = xlsx_of([["Liste des prestataires — 2026"], [], *VENDORS], sheet="Prestataires")
    mapping = suggest_mapping(read_workbook(content, "v.xlsx"))
    assert (mapping.kind, mapping.sheet, mapping.header_row) == ("columns", "Prestataires", 3)
    assert mapping.columns == {
        "legal_name": "Fournisseur", "locations": "Pays d'hébergement", "dpa_signed_on": "DPA signé le",
        "data_categories": "Catégories de données", "website": "Site web",
    }


def test_english_headers_suggest_an_english_mapping():
    rows = [["Vendor", "Hosting country", "Category", "DPA signed on", "Sub-processors"], ["Acme", "USA", "CRM", "2024-01-02", "AWS"]]
    mapping = suggest_mapping(read_workbook(xlsx_of(rows), "v.xlsx"))
    assert mapping.language == "en"
    assert set(mapping.columns) == {"legal_name", "locations", "category", "dpa_signed_on", "sub_processors"}


def test_a_mapping_round_trips_through_toml_and_json():
    mapping = ColumnMapping(sheet="Vendors « 2026 »", header_row=2, columns={"legal_name": 'Vendor "legal"'},
                            key="legal_name", language="en")
    assert ColumnMapping.from_toml(mapping.to_toml()) == mapping
    assert ColumnMapping.from_json(mapping.to_json()) == mapping


@pytest.mark.parametrize("text, reason", [
    ('kind = "columns"\n[columns]\nlegal_name = "A"\nfavourite_colour = "B"\n', "favourite_colour"),
    ('key = "headquarters_country"\n[columns]\nlegal_name = "A"\n', "cannot identify"),
    ('key = "website"\n[columns]\nlegal_name = "A"\n', "does not map"),
    ('[columns]\nlocations = "A"\n', "legal_name"),
    ('[columns\n', "TOML"),
    ('header_row = "one"\n[columns]\nlegal_name = "A"\n', "header_row"),
])
def test_a_bad_mapping_is_refused_with_the_reason(text, reason):
    with pytest.raises(IntakeError, match=reason):
        ColumnMapping.from_toml(text)


# ------------------------------------------------------------------ preview


def existing_acme(**changes) -> model.Processor:
    values = dict(
        id=10, organisation_id=1, legal_name="ACME", headquarters_country=None, website="https://old.example",
        category=ProcessorCategory.CRM, service_description="Kept as it is", version=4,
        data_categories=("Identité",),
        locations=(model.Location(id=1, country="FR", activity=LocationActivity.HOSTING),),
    )
    values.update(changes)
    return model.Processor(**values)


def test_a_new_file_previews_creations_with_their_values():
    preview = preview_of(xlsx_of(VENDORS), "v.xlsx")
    assert (preview.counts.create, preview.counts.update, preview.counts.error) == (2, 0, 0)
    acme = preview.rows[0]
    assert (acme.sheet, acme.row, acme.action, acme.label) == ("Fournisseurs", 2, "create", "Acme SAS")
    changed = {(c.field, str(c.new)) for c in acme.changes}
    assert ("location", "DE (hosting)") in changed and ("website", "https://acme.example") in changed
    assert ("agreement", "{'signed_on': '2024-01-02'}") in changed


def test_an_update_touches_only_mapped_columns_and_adds_what_is_missing():
    preview = preview_of(xlsx_of(VENDORS), "v.xlsx", empty_register(existing_acme()))
    acme = preview.rows[0]
    assert (acme.action, acme.processor_id, acme.processor_version) == ("update", 10, 4)
    changes = {c.field: (c.old, c.new) for c in acme.changes}
    assert changes["website"] == ("https://old.example", "https://acme.example")
    assert changes["data_categories"] == (["Identité"], ["Identité", "Contact"])
    assert changes["location"] == (None, "DE (hosting)")  # FR was there already
    assert "service_description" not in changes and "category" not in changes
    assert "legal_name" not in changes  # "ACME" is "Acme SAS": case and legal form are ignored


def test_rows_already_in_the_register_are_unchanged():
    register = empty_register(existing_acme(
        legal_name="Acme SAS", website="https://acme.example", data_categories=("Identité", "Contact"),
        locations=(model.Location(1, "FR", LocationActivity.HOSTING), model.Location(2, "DE", LocationActivity.HOSTING)),
        agreement=model.Agreement(id=3, signed_on=date(2024, 1, 2)),
    ))
    row = preview_of(xlsx_of(VENDORS[:2]), "v.xlsx", register).rows[0]
    assert (row.action, row.changes) == ("unchanged", [])


def test_an_empty_cell_never_clears_the_register():
    rows = [["Fournisseur", "Site web"], ["ACME", ""]]
    row = preview_of(xlsx_of(rows), "v.xlsx", empty_register(existing_acme())).rows[0]
    assert row.action == "unchanged"


def test_errors_name_the_cell_and_the_row_is_not_imported():
    rows = [["Fournisseur", "Pays d'hébergement", "DPA signé le"], ["Acme", "Narnia", "31/02/2024"], ["", "France", ""]]
    preview = preview_of(xlsx_of(rows), "v.xlsx")
    assert preview.counts.error == 2
    located = [p.located() for p in preview.rows[0].problems]
    assert located == [
        "Sheet “Fournisseurs”, row 2, column B (Processing locations): “Narnia” is not a country this register "
        "knows (write its name or ISO code)",
        "Sheet “Fournisseurs”, row 2, column C (DPA signed on): “31/02/2024” is not a date; write dd/mm/yyyy "
        "or yyyy-mm-dd",
    ]
    assert preview.rows[1].problems[0].code == "name_missing"


def test_problems_are_said_in_french_too():
    from register.intake.wording import problem_text

    rows = [["Fournisseur", "Pays du siège"], ["Acme", "Narnia"]]
    preview = preview_of(xlsx_of(rows), "v.xlsx")
    reloaded = Preview.from_json(preview.to_json())  # as the web part stores it
    assert problem_text(reloaded.rows[0].problems[0], "fr") == (
        "Feuille «\u00a0Fournisseurs\u00a0», ligne 2, colonne B (Pays du siège)\u00a0: «\u00a0Narnia\u00a0» n'est "
        "pas un pays connu du registre (indiquez son nom ou son code ISO)"
    )
    error = refused(b"x" * 2_000_000, "v.csv", Limits(max_bytes=1_000_000))
    assert problem_text(error.problem, "fr") == (
        "Le fichier fait 2\u202f000\u202f000 octets\u00a0; la limite est de 1\u202f000\u202f000 octets"
    )


def test_the_register_validation_applies_to_imported_values():
    rows = [["Fournisseur", "Site web", "Dernière revue", "Prochaine revue"], ["Acme", "acme dot com", "", ""],
            ["Globex", "", "01/06/2026", "01/01/2026"]]
    preview = preview_of(xlsx_of(rows), "v.xlsx")
    assert [row.action for row in preview.rows] == ["error", "error"]
    assert preview.rows[0].problems[0].params["field"] == "website"
    assert preview.rows[1].problems[0].params["field"] == "next_review_on"


def test_two_rows_of_one_processor_make_one_creation_then_an_update():
    rows = [["Fournisseur", "Pays d'hébergement"], ["Acme", "France"], ["ACME SAS", "Irlande"], ["Acme", "France"]]
    preview = preview_of(xlsx_of(rows), "v.xlsx")
    assert [row.action for row in preview.rows] == ["create", "update", "unchanged"]
    assert preview.counts.importable == 2


def test_a_name_shared_by_two_processors_needs_a_country_or_a_key():
    register = empty_register(existing_acme(id=1, headquarters_country="FR"), existing_acme(id=2, headquarters_country="US"))
    row = preview_of(xlsx_of([["Fournisseur"], ["Acme"]]), "v.xlsx", register).rows[0]
    assert row.action == "error" and "2 processors" in row.problems[0].message
    rows = [["Fournisseur", "Pays du siège"], ["Acme", "USA"]]
    row = preview_of(xlsx_of(rows), "v.xlsx", register).rows[0]
    assert (row.action, row.processor_id) == ("unchanged", 2)


def test_rows_with_and_without_the_country_reach_one_processor_once():
    rows = [["Fournisseur", "Pays du siège", "Pays d'hébergement"], ["Acme", "", "Irlande"], ["Acme", "France", "Italie"]]
    register = empty_register(existing_acme(headquarters_country="FR"))
    preview = preview_of(xlsx_of(rows), "v.xlsx", register)
    assert [(r.action, r.processor_id) for r in preview.rows] == [("update", 10), ("update", 10)]
    from register.intake.preview import replan

    plan = replan(preview, register)
    assert list(plan.planned) == ["#10"]
    assert [l["country"] for l in plan.planned["#10"].locations] == ["FR", "IE", "IT"]


def test_a_key_column_the_user_picks_matches_the_register():
    rows = [["Identifiant", "Fournisseur", "Site web"], ["10", "Renamed Ltd", "https://old.example"]]
    mapping = ColumnMapping(sheet="Fournisseurs", columns={"id": "Identifiant", "legal_name": "Fournisseur",
                                                           "website": "Site web"}, key="id")
    row = preview_of(xlsx_of(rows), "v.xlsx", empty_register(existing_acme()), mapping).rows[0]
    assert (row.action, row.processor_id) == ("update", 10)
    assert [c.field for c in row.changes] == ["legal_name"]


def test_a_preview_survives_json_unchanged():
    preview = preview_of(xlsx_of(VENDORS), "v.xlsx", empty_register(existing_acme()))
    assert Preview.from_json(preview.to_json()).to_json() == preview.to_json()


def test_a_mapped_header_missing_from_the_sheet_is_refused():
    mapping = ColumnMapping(sheet="Fournisseurs", columns={"legal_name": "Vendor"})
    with pytest.raises(IntakeError, match="Vendor"):
        preview_of(xlsx_of(VENDORS), "v.xlsx", mapping=mapping)


# ------------------------------------------------------------------ the CNIL workbook


CNIL_RECORDS = [
    {
        "processing": "Gestion des clients",
        "recipients": [("Service interne qui traite les données", "Service commercial"),
                       ("Sous-traitants", "Mailjet SAS"), ("Sous-traitants", "RelationCloud Inc.")],
        "transfers": [
            ("RelationCloud Inc.", "Etats-Unis", "Privacy shield", "https://relationcloud.example/privacy"),
            ("Support Tokyo KK", "Japon", "Pays adéquat", ""),
            ("Banque d'Andorre", "Andorre", "Clauses contractuelles types (CCT)", "Contrat en date du 23/01/2018"),
            ("Certified Ltd", "Inde", "Certification", "ISO 27701"),
        ],
    },
    {
        "processing": "Gestion de la paie",
        "recipients": [("Sous-traitants", "Mailjet SAS"), ("Partenaires institutionnels ou commerciaux", "URSSAF")],
        "transfers": [("PayLater Pte Ltd", "Singapour", "Dérogations (art 49)", "")],
    },
]


def test_the_cnil_workbook_is_recognised_and_read_by_its_labels():
    content = cnil_workbook(CNIL_RECORDS)
    workbook = read_workbook(content, "registre-traitement-simplifie.xlsx")
    mapping = suggest_mapping(workbook)
    assert mapping.kind == "cnil"
    preview = build_preview(workbook, mapping, empty_register())
    by_label = {}
    for row in preview.rows:
        by_label.setdefault(row.label, []).append(row)
    assert set(by_label) == {"Mailjet SAS", "RelationCloud Inc.", "Support Tokyo KK", "Banque d'Andorre",
                             "Certified Ltd", "PayLater Pte Ltd"}  # not URSSAF, not the example sheet
    assert [row.action for row in by_label["Mailjet SAS"]] == ["create", "update"]  # a second processing
    mailjet = by_label["Mailjet SAS"][1]
    assert [(c.field, c.new) for c in mailjet.changes] == [("purposes", ["Gestion des clients", "Gestion de la paie"])]
    assert any(note.code == "example_sheet" for note in preview.notes)


def test_the_cnil_workbook_as_the_cnil_publishes_it_an_ods_reads_the_same():
    from_ods = build_preview(read_workbook(cnil_ods(CNIL_RECORDS), "registre-traitement-simplifie.ods"),
                             ColumnMapping(kind="cnil"), empty_register())
    from_xlsx = build_preview(read_workbook(cnil_workbook(CNIL_RECORDS), "r.xlsx"), ColumnMapping(kind="cnil"),
                              empty_register())
    assert [(r.label, r.action, r.changes) for r in from_ods.rows] == [(r.label, r.action, r.changes) for r in from_xlsx.rows]


def test_cnil_guarantees_become_transfer_tools_never_adequacy_claims():
    preview = build_preview(read_workbook(cnil_workbook(CNIL_RECORDS), "r.xlsx"), ColumnMapping(kind="cnil"), empty_register())
    tools = {row.label: row.proposal.safeguards for row in preview.rows if row.proposal.safeguards}
    shield, = tools["RelationCloud Inc."]
    assert (shield.country, shield.mechanism) == ("US", TransferMechanism.PRIVACY_SHIELD)
    rows = {row.label: row for row in preview.rows}
    assert "privacy_shield" in [p.code for p in rows["RelationCloud Inc."].problems]
    japan, = tools["Support Tokyo KK"]
    assert (japan.country, japan.mechanism) == ("JP", TransferMechanism.ADEQUACY)
    assert "adequacy_not_imported" in [p.code for p in rows["Support Tokyo KK"].problems]
    andorra, = tools["Banque d'Andorre"]  # signed before the cutoff: the old SCCs
    assert (andorra.mechanism, andorra.signed_on) == (TransferMechanism.SCC_PRE_2021, date(2018, 1, 23))
    assert tools["PayLater Pte Ltd"][0].mechanism == TransferMechanism.ART49_DEROGATION
    certified = rows["Certified Ltd"]
    assert certified.proposal.safeguards == [] and certified.proposal.locations[0].note == "Certification — ISO 27701"
    assert certified.action == "create" and "tool_not_recorded" in [p.code for p in certified.problems]
    location = rows["RelationCloud Inc."].proposal.locations[0]
    assert (location.country, location.activity) == ("US", "processing")


def test_a_cnil_row_with_an_unknown_country_is_an_error_naming_the_cell():
    records = [{"processing": "CRM", "transfers": [("Vendor X", "Atlantide", "Privacy shield", "")]}]
    preview = build_preview(read_workbook(cnil_workbook(records), "r.xlsx"), ColumnMapping(kind="cnil"), empty_register())
    row, = preview.rows
    assert row.action == "error"
    assert (row.problems[0].sheet, row.problems[0].column) == ("3_-_Fiche_1", "C")


def test_a_preview_reloaded_from_json_replays_to_the_same_plan():
    from register.intake.preview import replan

    rows = [["Fournisseur", "Dernière revue", "Pays d'hébergement", "DPA signé le"],
            ["Acme", "01/06/2026", "Irlande", "02/01/2024"], ["Globex", "2026-02-03", "", ""]]
    register = empty_register(existing_acme())
    preview = preview_of(xlsx_of(rows), "v.xlsx", register)
    reloaded = Preview.from_json(preview.to_json())
    plan = replan(reloaded, register)
    assert [(r.action, r.changes) for r in plan.rows] == [(r.action, r.changes) for r in reloaded.rows]
    assert plan.planned["#10"].fields["last_review_on"] == date(2026, 6, 1)


# ------------------------------------------------------------------ fuzzing: refused or read, never a crash

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["v.csv", "v.xlsx", "v.ods", "v"]))
def test_any_bytes_are_read_or_refused_with_a_reason(content, filename):
    try:
        workbook = read_workbook(content, filename)
    except IntakeError as error:
        assert error.code and error.message
        return
    mapping = ColumnMapping(sheet=workbook.sheets[0].name, columns={"legal_name": "Fournisseur"})
    try:
        build_preview(workbook, mapping, empty_register())
    except IntakeError as error:
        assert error.code in {"header_missing", "empty", "sheet_missing"}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(st.characters(blacklist_characters="\x00;\"", blacklist_categories=("Cs",)),
                                  max_size=12), min_size=2, max_size=2), min_size=1, max_size=6))
def test_any_csv_rows_preview_without_crashing(rows):
    content = csv_of([["Fournisseur", "Pays d'hébergement"], *rows])
    workbook = read_workbook(content.encode(), "v.csv")
    try:
        preview = build_preview(workbook, suggest_mapping(workbook), empty_register())
    except IntakeError as error:  # only blank cells under the headers
        assert error.code == "empty"
        return
    assert sum((preview.counts.create, preview.counts.update, preview.counts.unchanged, preview.counts.error)) == len(preview.rows)
    assert Preview.from_json(preview.to_json()) == preview
