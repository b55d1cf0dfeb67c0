"""A suggested :class:`ColumnMapping` from a workbook's headers.

Three kinds of sheet are recognised:

- the register's own extract (``register/documents/register_extract.py``):
  its headers, in French or English, are known exactly;
- the CNIL's model register (one record sheet per processing, with the
  blocks "Destinataires" and "Transferts hors UE"): read by its labels, with
  no column mapping (:mod:`register.intake.cnil`);
- any other sheet: each header is compared with the French and English
  synonyms of every field, exactly after folding (accents, case,
  punctuation), then fuzzily (rapidfuzz's token-set ratio), and each field
  takes its best header.
"""

from __future__ import annotations

import functools

from rapidfuzz import fuzz, process

from register.documents.register_extract import PROCESSOR_COLUMNS
from register.i18n.terms import term
from register.intake.cnil import is_cnil_workbook
from register.intake.model import NAME_AND_COUNTRY, ColumnMapping, IntakeError, Sheet, Workbook
from register.intake.values import fold, text_of

# The extract's processor columns that the import reads back (the others are
# computed by the register: transfers, score, findings, oldest TIA).
EXTRACT_FIELDS = {
    "id": "id",
    "legal_name": "legal_name",
    "trade_name": "trade_name",
    "category": "category",
    "role": "role",
    "status": "status",
    "headquarters": "headquarters_country",
    "locations": "locations",
    "sub_processors": "sub_processors",
    "dpa_status": "dpa_status",
    "last_review": "last_review_on",
    "next_review": "next_review_on",
    "dpf_checked_on": "dpf_checked_on",
}

# How people title each field's column, in French and English.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("identifiant", "id", "identifier"),
    "legal_name": (
        "fournisseur", "prestataire", "sous-traitant", "nom du sous-traitant", "nom du prestataire",
        "nom du fournisseur", "raison sociale", "dénomination sociale", "société", "entreprise",
        "destinataire", "vendor", "supplier", "provider", "processor", "legal name", "company",
        "company name", "vendor name", "supplier name", "name", "nom",
    ),
    "trade_name": ("nom commercial", "marque", "outil", "logiciel", "application", "service", "trade name",
                   "brand", "product", "tool", "software"),
    "website": ("site web", "site internet", "site", "url", "website", "web site", "homepage"),
    "category": ("catégorie", "type de prestataire", "type de service", "category", "vendor type", "service type"),
    "role": ("rôle", "qualification", "role"),
    "status": ("statut", "état", "status", "state", "lifecycle"),
    "service_description": ("description", "description du service", "prestation", "objet de la prestation",
                            "service description", "description of the service", "scope"),
    "headquarters_country": ("pays du siège", "siège", "pays", "pays d'établissement", "nationalité",
                             "headquarters", "headquarters country", "country", "hq country", "country of incorporation"),
    "internal_owner": ("responsable interne", "référent interne", "propriétaire", "service utilisateur",
                       "internal owner", "business owner", "owner"),
    "privacy_contact": ("contact rgpd", "dpo du prestataire", "contact dpo", "privacy contact", "dpo contact", "vendor dpo"),
    "address": ("adresse", "adresse postale", "address", "postal address"),
    "contact_name": ("contact", "nom du contact", "interlocuteur", "contact name", "contact person"),
    "contact_email": ("email", "e-mail", "adresse mél", "adresse mail", "courriel", "contact email", "email address"),
    "data_categories": ("catégories de données", "données traitées", "types de données", "données",
                        "data categories", "categories of data", "personal data", "data types"),
    "data_subject_categories": ("catégories de personnes", "personnes concernées", "catégories de personnes concernées",
                                "data subjects", "data subject categories", "categories of data subjects"),
    "purposes": ("finalités", "finalité", "finalité du traitement", "purposes", "purpose", "purpose of processing"),
    "special_category_data": ("données sensibles", "données sensibles ?", "special categories", "sensitive data",
                              "special category data"),
    "security_measures": ("mesures de sécurité", "sécurité", "security measures", "toms", "security"),
    "retention_months": ("durée de conservation (mois)", "conservation en mois", "retention (months)", "retention months"),
    "dpf_certified": ("certifié dpf", "dpf", "data privacy framework", "dpf certified", "certified under the dpf"),
    "dpf_checked_on": ("dpf vérifié le", "data privacy framework vérifié le", "dpf checked on",
                       "data privacy framework checked on"),
    "last_review_on": ("dernière revue", "date de revue", "dernier audit", "last review", "reviewed on", "last reviewed"),
    "next_review_on": ("prochaine revue", "next review", "review due", "next review date"),
    "locations": ("pays d'hébergement", "hébergement", "lieu d'hébergement", "localisation des données",
                  "lieux de traitement", "localisation", "pays de traitement", "hosting country", "hosting countries",
                  "hosting location", "data location", "processing locations", "where is data hosted", "data centre",
                  "datacenter"),
    "sub_processors": ("sous-traitants ultérieurs", "sous-traitants", "sub-processors", "subprocessors",
                       "sub processors", "sub-contractors"),
    "transfer_country": ("pays de transfert", "pays destinataire", "transfert hors ue", "transferts hors ue",
                         "transfer country", "third country", "transfer to", "country of transfer"),
    "transfer_mechanism": ("type de garanties", "garanties", "garantie", "outil de transfert", "encadrement du transfert",
                           "mécanisme de transfert", "transfer tool", "transfer mechanism", "safeguard", "safeguards",
                           "transfer safeguard"),
    "transfer_signed_on": ("cct signées le", "date des cct", "clauses signées le", "scc signed on", "sccs signed",
                           "transfer tool signed on"),
    "scc_module": ("module des cct", "module cct", "scc module", "module"),
    "dpa_signed_on": ("dpa signé le", "date de signature du dpa", "contrat signé le", "date du contrat",
                      "accord de traitement signé le", "date de signature", "dpa signed on", "dpa signed", "dpa date",
                      "date signed", "signed on", "signé le"),
    "dpa_ends_on": ("fin du contrat", "date de fin", "échéance du contrat", "contract end", "dpa ends on", "end date",
                    "expiry date"),
    "dpa_reference": ("référence du contrat", "référence dpa", "n° de contrat", "contract reference", "dpa reference",
                      "contract number", "reference"),
}
EXACT_SCORE = 100.0
FUZZY_THRESHOLD = 86.0  # token-set ratio out of 100; below it a header is left unmapped
HEADER_ROWS_SCANNED = 10


@functools.cache
def _synonym_index() -> tuple[dict[str, str], list[str], list[str]]:
    """Folded synonym → field; and the synonyms and their fields as parallel lists for rapidfuzz."""
    exact: dict[str, str] = {}
    choices: list[str] = []
    owners: list[str] = []
    for field, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            folded = fold(synonym)
            exact.setdefault(folded, field)
            choices.append(folded)
            owners.append(field)
    return exact, choices, owners


def header_field(header: str) -> tuple[str | None, float]:
    """The field a header most likely names, and how sure (0-100)."""
    folded = fold(header)
    if not folded:
        return None, 0.0
    exact, choices, owners = _synonym_index()
    if folded in exact:
        return exact[folded], EXACT_SCORE
    # Token-set ratio forgives extra words ("Pays d'hébergement des données"),
    # so a header containing a short synonym ("données") scores 100 too: among
    # the best, the longest synonym (the most specific) wins.
    found = process.extract(folded, choices, scorer=fuzz.token_set_ratio, score_cutoff=FUZZY_THRESHOLD, limit=20)
    if not found:
        found = process.extract(folded, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=5)
    if not found:
        return None, 0.0
    _, score, index = max(found, key=lambda match: (match[1], len(match[0])))
    return owners[index], float(score)


def match_headers(headers: list[str]) -> dict[str, str]:
    """field → header: each field takes the header that names it most surely, each header one field."""
    candidates = []
    for position, header in enumerate(headers):
        field, score = header_field(header)
        if field is not None:
            candidates.append((score, -position, field, header))
    columns: dict[str, str] = {}
    used: set[str] = set()
    for _, _, field, header in sorted(candidates, reverse=True):
        if field not in columns and header not in used:
            columns[field] = header
            used.add(header)
    return columns


# ------------------------------------------------------------------ the register's extract


@functools.cache
def extract_headers(language: str) -> dict[str, str]:
    """Folded header of the extract's processors sheet in ``language`` → its column key."""
    return {fold(term("document." + column.header, language)): column.key for column in PROCESSOR_COLUMNS}


def extract_mapping(sheet: Sheet, header_row: int, headers: list[str]) -> ColumnMapping | None:
    """The extract's mapping when most headers are the extract's, in French or English."""
    folded = [fold(header) for header in headers]
    for language in ("fr", "en"):
        known = extract_headers(language)
        keys = {header: known[fold(header)] for header in headers if fold(header) in known}
        if len(keys) >= min(len(PROCESSOR_COLUMNS) - 2, max(len(folded), 1)) and "legal_name" in keys.values():
            columns = {EXTRACT_FIELDS[key]: header for header, key in keys.items() if key in EXTRACT_FIELDS}
            return ColumnMapping(
                kind="extract", sheet=sheet.name, header_row=header_row, columns=columns,
                key=NAME_AND_COUNTRY, language=language,
            )
    return None


# ------------------------------------------------------------------ suggestion


def header_cells(sheet: Sheet, header_row: int) -> list[str]:
    for row in sheet.rows:
        if row.number == header_row:
            return [text_of(cell) for cell in row.cells]
    return []


def sheet_headers(workbook: Workbook, mapping: ColumnMapping) -> list[str]:
    """The non-empty headers of the mapping's sheet (for a mapping form)."""
    if mapping.kind == "cnil":
        return []
    return [header for header in header_cells(workbook.sheet(mapping.sheet), mapping.header_row) if header]


def guess_language(headers: list[str]) -> str:
    """French when more headers are French synonyms than English ones (labels are then read in French)."""
    text = " ".join(fold(header) for header in headers)
    french = sum(text.count(word) for word in ("pays", "nom", "date", "donnees", "prestataire", "fournisseur", "le", "de"))
    english = sum(text.count(word) for word in ("country", "name", "vendor", "supplier", "data", "on", "of"))
    return "fr" if french >= english else "en"


def suggest_mapping(workbook: Workbook) -> ColumnMapping:
    """The most plausible mapping: the extract's, the CNIL's, or the best-matching header row."""
    if is_cnil_workbook(workbook):
        return ColumnMapping(kind="cnil", sheet="", header_row=1, columns={}, language="fr")
    best: tuple[int, ColumnMapping] | None = None
    for sheet in workbook.sheets:
        for row in sheet.rows[:HEADER_ROWS_SCANNED]:
            headers = [text_of(cell) for cell in row.cells]
            if sum(1 for header in headers if header) < 1:
                continue
            extract = extract_mapping(sheet, row.number, [h for h in headers if h])
            if extract is not None:
                return extract
            columns = match_headers([h for h in headers if h])
            score = len(columns) + (5 if "legal_name" in columns else 0)
            if best is None or score > best[0]:
                mapping = ColumnMapping(
                    kind="columns", sheet=sheet.name, header_row=row.number, columns=columns,
                    key=NAME_AND_COUNTRY, language=guess_language(headers),  # type: ignore[arg-type]
                )
                best = (score, mapping)
    if best is None:
        raise IntakeError("header_missing", "the file has no header row to map")
    # Without a names column the mapping is still returned, to be completed by
    # hand; the preview refuses it until it maps legal_name.
    return best[1]
