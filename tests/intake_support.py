"""Spreadsheets built in the tests: plain vendor sheets and a workbook in the CNIL's shape."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl
import xlsxwriter


def xlsx_of(rows: Sequence[Sequence[Any]], sheet: str = "Fournisseurs") -> bytes:
    """One sheet, text written as text (XlsxWriter), other values typed."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"in_memory": True})
    worksheet = workbook.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                worksheet.write_string(r, c, value)
            else:
                worksheet.write(r, c, value)
    workbook.close()
    return output.getvalue()


def csv_of(rows: Sequence[Sequence[str]], separator: str = ";") -> str:
    return "\r\n".join(separator.join(row) for row in rows) + "\r\n"


# The CNIL's record sheet (« Modèle de fiche de registre »), as the reference
# (shared/reference/cnil-register.md, sheet 3) lists its blocks and labels.
def cnil_record_sheet(sheet, processing: str, recipients: Sequence[tuple[str, str]],
                      transfers: Sequence[tuple[str, str, str, str]]) -> None:
    rows: list[list[Any]] = [
        ["Description du traitement"],
        ["Nom du traitement", processing],
        ["N° / RÉF", "ref-001"],
        ["Date de création du traitement", "26/05/2018"],
        ["Mise à jour du traitement", "13/05/2019"],
        [],
        ["Acteurs", "Nom", "Adresse", "Code Postal", "Ville", "Pays", "Téléphone", "Adresse mél"],
        ["Responsable du traitement", "Louise DUPONT", "", "", "Paris", "France"],
        [],
        ["Finalité(s) du traitement effectué"],
        ["Finalité principale", processing],
        [],
        ["Catégories de données personnelles concernées", "Description", "Durée de conservation"],
        ["Données de connexion (adress IP, logs, etc.)", "logs", "1 an"],
        [],
        ["Destinataires", "Type de destinataire", "Précisions"],
    ]
    for index in range(4):
        kind, details = recipients[index] if index < len(recipients) else ("", "")
        rows.append([f"Destinataire {index + 1}", kind, details])
    rows += [
        [],
        ["Mesures de sécurité", "Type de mesure de sécurité", "Précisions"],
        ["Mesure de sécurité 1", "Chiffrement des données", ""],
        [],
        ["Transferts hors UE", "Destinataire", "Pays", "Type de Garanties", "Liens vers la documentation"],
    ]
    for index in range(4):
        values = transfers[index] if index < len(transfers) else ("", "", "", "")
        rows.append([f"Organisme destinataire {index + 1}", *values])
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("B1:D1")  # the title band, merged as in the CNIL's file


def cnil_workbook(records: Sequence[dict[str, Any]], *, with_example: bool = True) -> bytes:
    """Tutoriel, Liste des traitements, one record sheet per processing, Exemple, Listes."""
    workbook = openpyxl.Workbook()
    tutorial = workbook.active
    tutorial.title = "Tutoriel"
    tutorial.append(["Le registre = une liste des traitements + au moins une fiche par activité"])
    listing = workbook.create_sheet("2_-_Liste_des_traitements")
    listing.append(["Nom du traitement", "N° / RÉF", "Date de création de la fiche",
                    "Dernière mise à jour de la fiche", "Finalité du traitement", "Données sensibles ?"])
    for index, record in enumerate(records, start=1):
        listing.append([record["processing"], f"ref-{index:03}", "26/05/2018", "13/05/2019", record["processing"], "Non"])
        cnil_record_sheet(workbook.create_sheet(f"3_-_Fiche_{index}"), record["processing"],
                          record.get("recipients", ()), record.get("transfers", ()))
    if with_example:
        cnil_record_sheet(
            workbook.create_sheet("4_-_Exemple_de_fiche"), "(EXEMPLE) Gestion de la paie",
            [("Service interne qui traite les données", "Dir. Administrative et Financière")],
            [("Banque d'Andorre", "Andorre", "Clauses contractuelles types (CCT)", "Contrat en date du 23/01/2018")],
        )
    lists = workbook.create_sheet("5_-_Listes")
    for label in ("Clauses contractuelles types (CCT)", "Règles d'entreprise contraignantes (BCR)", "Pays adéquat",
                  "Privacy shield", "Code de conduite", "Certification", "Dérogations (art 49)"):
        lists.append([label])
    lists.append(["Etats-Unis", "adéquat"])
    lists.append(["Japon", "Non adéquat"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def ods_of(rows: Sequence[Sequence[Any]], sheet: str = "Fournisseurs", *, hidden: str | None = None) -> bytes:
    """A minimal OpenDocument spreadsheet (the test machine has no LibreOffice Calc to convert one):
    text and float cells, and optionally a second, hidden sheet."""
    from xml.sax.saxutils import escape, quoteattr

    def cell(value: Any) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    def table(name: str, body: Sequence[Sequence[Any]], style: str = "") -> str:
        lines = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in body)
        return f"<table:table table:name={quoteattr(name)}{style}>{lines}</table:table>"

    styles = ""
    tables = table(sheet, rows)
    if hidden:
        styles = ('<office:automatic-styles><style:style style:name="ta2" style:family="table">'
                  '<style:table-properties table:display="false"/></style:style></office:automatic-styles>')
        tables += table(hidden, [["Fournisseur"], ["Hidden Ltd"]], ' table:style-name="ta2"')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.2">'
        f"{styles}<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return output.getvalue()
