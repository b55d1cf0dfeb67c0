"""Facts read in a DPA: numbers and choices, each with the passage it comes from.

- breach notification deadline in hours ("48 heures", "72 hours", "two (2) business days"
  = 48 h with business days marked; "without undue delay" alone = None). Several deadlines:
  the longest is kept (what the vendor may rely on) and a warning names the others; a
  deadline the controller owes the supervisory authority (Art. 33's 72 hours) is skipped.
- sub-processor change notice in days (business days marked); several: the shortest, warned.
- authorisation general / specific; right to object.
- transfer tools named (ids aligned with register.vocabulary.TransferMechanism).
- governing law (ISO country code) and supervisory authority.
- sub-processors listed in an annex table (name, countries as ISO codes, purpose).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from register.reading.items import SUB, _p
from register.reading.model import Block, Evidence, Fact, Section, SubProcessorProposal, TransferToolMention
from register.reading.segment import Sentence

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "twenty-four": 24, "thirty": 30, "forty-five": 45,
    "forty-eight": 48, "sixty": 60, "seventy-two": 72, "ninety": 90,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "douze": 12, "quatorze": 14, "quinze": 15, "vingt": 20, "vingt-quatre": 24, "trente": 30, "quarante-cinq": 45,
    "quarante-huit": 48, "soixante": 60, "soixante-douze": 72, "quatre-vingt-dix": 90,
}
_WORDS = "|".join(sorted((re.escape(word) for word in NUMBER_WORDS), key=len, reverse=True))
DURATION = re.compile(
    rf"(?:(?P<word>\b(?:{_WORDS}))\s*(?:\((?P<paren>\d{{1,3}})\))?|\(?(?P<digits>\b\d{{1,3}})\)?)\s*[- ]?\s*"
    r"(?P<unit>hours?\b|hrs?\b|h\b|heures?\b|(?:business|working)[- ]days?\b|jours? (?:ouvrés|ouvrables)\b|calendar[- ]days?\b|"
    r"jours? (?:calendaires|francs)\b|days?\b|jours?\b|weeks?\b|semaines?\b|months?\b|mois\b)",
    re.I,
)
UNDUE_DELAY = _p(r"without undue delay", r"promptly", r"sans (?:retard|délai) (?:injustifié|indu)", r"dans les meilleurs délais", r"dans les plus brefs délais", r"sans délai", r"as soon as (?:reasonably )?(?:possible|practicable)")
BREACH = _p(r"data breach", r"security (?:incident|breach)", r"breach of (?:security|personal data)", r"violations? de (?:la sécurité|données)", r"incidents? de sécurité", r"\bbreach(?:es)?\b", r"\bviolations?\b", r"\bincident\b")
NOTIFY = _p(r"\bnotif", r"\binform", r"\bavis\b", r"\balert", r"prévenir", r"signaler", r"\bnotice", r"\breport")
# A deadline owed to the supervisory authority (the controller's 72 hours of Art. 33) names
# the authority just before it, or Article 33 just after it.
AUTHORITY_BEFORE = _p(r"(?:supervisory authorit|autorité de contrôle|\bCNIL\b|\bICO\b)[^.;]{0,40}$", r"article\s*33\b[^.;]{0,40}$")
ARTICLE_33_AFTER = _p(r"^\S+\s+\S+[^.;]{0,40}(?:article|art\.)\s*33\b")
NOTICE_CONTEXT = _p(r"\bnotif", r"\binform", r"\bnotice", r"\bavis", r"préavis", r"informer", r"informera", r"prévenir", r"\bpublish", r"\bupdate")
OBJECT_BEFORE = _p(r"\bobject", r"s'opposer", r"opposition", r"objection")
SPECIFIC = _p(r"\bspecific\b[^.;]{0,40}(?:authori[sz]ation|consent|approval)", r"autorisation[^.;]{0,40}spécifique", r"autorisation (?:écrite )?(?:préalable )?spécifique", r"spécifique[^.;]{0,30}autorisation", r"each (?:new |additional )?sub-?processor\b[^.;]{0,40}(?:prior )?(?:written )?(?:authori[sz]ation|approval|consent)", r"au cas par cas")
GENERAL = _p(r"\bgeneral\b[^.;]{0,40}(?:authori[sz]ation|consent|approval)", r"autorisation (?:écrite )?(?:préalable )?générale", r"générale[^.;]{0,30}autorisation", r"hereby (?:generally )?(?:authori[sz]es|consents|approves|agrees)", r"autorise (?:d'ores et déjà|par les présentes|de manière générale|expressément|le sous-traitant à)", r"(?:authori[sz]es|consents to)\b[^.;]{0,40}(?:engage|use|appoint)\b[^.;]{0,40}sub-?processors")
BOTH = _p(r"specific or general", r"general or specific", r"spécifique ou générale", r"générale ou spécifique", r"option\s*1\b.*option\s*2\b")
# The SCCs' annex-filling sentences name the sub-processor clause by number ("In Clause 9, Option 2 applies").
SUB_CONTEXT = _p(SUB, r"clause\s*9\b")
SCC_REFERENCE = _p(r"\bSCCs?\b", r"clause\s*17\b", r"standard contractual clauses", r"clauses contractuelles types", r"\bCCT\b")
OBJECTION = _p(r"\bobject(?:s|ion|ions|ing)?\b", r"s'opposer", r"opposition", r"objections?")
NO_OBJECTION = _p(r"(?:no|not have any|not have a|not be entitled to a) right to object", r"ne (?:pourra|peut|saurait) (?:pas )?s'opposer", r"aucun droit d'(?:objection|opposition)", r"(?:shall|will|may) not object")
AUDIT = _p(r"\baudit", r"inspection")
AFTER_NOTICE = _p(r"^\W*(?:of|after|following|from)\s+(?:the\s+)?(?:receipt|receiving|notice|notification|such notice|date of (?:the )?notice)", r"^\W*(?:suivant|à compter de|après)\s+(?:la\s+|l')?(?:réception|notification|information)", r"^\W*de (?:la )?(?:réception|notification)")
REPLACED = _p(r"replac", r"supersed", r"remplac", r"no longer", r"ne sont plus", r"abrog", r"repeal", r"instead of")


def hours_of(match: re.Match[str]) -> tuple[int, bool] | None:
    """(hours, in business days) of one duration match."""
    value = _value(match)
    if value is None:
        return None
    unit = match.group("unit").lower()
    business = bool(re.search(r"business|working|ouvr", unit))
    if unit.startswith(("h", "hr")) or unit.startswith("heure"):
        return value, False
    if unit.startswith(("week", "semaine")):
        return value * 7 * 24, False
    if unit.startswith(("month", "mois")):
        return value * 30 * 24, False
    return value * 24, business


def days_of(match: re.Match[str]) -> tuple[int, bool] | None:
    value = _value(match)
    if value is None:
        return None
    unit = match.group("unit").lower()
    if unit.startswith(("h", "heure")):
        return None
    if unit.startswith(("week", "semaine")):
        return value * 7, False
    if unit.startswith(("month", "mois")):
        return value * 30, False
    return value, bool(re.search(r"business|working|ouvr", unit))


def _value(match: re.Match[str]) -> int | None:
    if match.group("paren"):
        return int(match.group("paren"))
    if match.group("digits"):
        return int(match.group("digits"))
    if match.group("word"):
        return NUMBER_WORDS.get(match.group("word").lower())
    return None


def evidence_of(sentence: Sentence, limit: int = 500) -> Evidence:
    text = sentence.text if len(sentence.text) <= limit else sentence.text[: limit - 1].rstrip() + "…"
    return Evidence(section=sentence.section, page=sentence.page, text=text)


# --- breach ---------------------------------------------------------------------------------


def breach_deadline(sentences: list[Sentence]) -> tuple[Fact, bool, list[str]]:
    """(hours or None, business days, warnings)."""
    found: list[tuple[int, bool, Sentence]] = []
    undue: Sentence | None = None
    for sentence in sentences:
        text = sentence.text
        if not (BREACH.search(text) and NOTIFY.search(text)) or AUDIT.search(text):
            continue
        if SUB.search(text) and not re.search(r"breach|violation|incident", text, re.I):
            continue
        candidates = []
        for match in DURATION.finditer(text):
            before = text[max(0, match.start() - 120) : match.start()]
            if AUTHORITY_BEFORE.search(before) or ARTICLE_33_AFTER.search(text[match.start() : match.end() + 60]) or not NOTIFY.search(text[max(0, match.start() - 200) : match.start()]):
                continue
            result = hours_of(match)
            if result:
                candidates.append(result)
        if candidates:
            hours, business = min(candidates)
            found.append((hours, business, sentence))
        elif undue is None and UNDUE_DELAY.search(text):
            undue = sentence
    if not found:
        return Fact(None, evidence_of(undue) if undue else None), False, []
    hours, business, sentence = max(found, key=lambda entry: entry[0])
    warnings = []
    others = sorted({entry[0] for entry in found} - {hours})
    if others:
        warnings.append("breach_deadlines:" + ",".join(str(value) for value in [*others, hours]))
    return Fact(hours, evidence_of(sentence)), business, warnings


# --- sub-processors: notice, authorisation, objection ---------------------------------------


def subprocessor_notice(sentences: list[Sentence]) -> tuple[Fact, bool, list[str]]:
    found: list[tuple[int, bool, Sentence]] = []
    for sentence in sentences:
        text = sentence.text
        if not (SUB_CONTEXT.search(text) and (NOTICE_CONTEXT.search(text) or re.search(r"option\s*2|time period|délai", text, re.I))):
            continue
        for match in DURATION.finditer(text):
            before = text[max(0, match.start() - 120) : match.start()]
            if OBJECT_BEFORE.search(before) or AFTER_NOTICE.search(text[match.end() : match.end() + 40]):
                continue
            result = days_of(match)
            if result:
                found.append((result[0], result[1], sentence))
                break
    if not found:
        return Fact(None), False, []
    days, business, sentence = min(found, key=lambda entry: entry[0])
    warnings = []
    others = sorted({entry[0] for entry in found} - {days})
    if others:
        warnings.append("subprocessor_notices:" + ",".join(str(value) for value in [days, *others]))
    return Fact(days, evidence_of(sentence)), business, warnings


def authorisation(sentences: list[Sentence], notice: Fact, change_notice: Sentence | None = None) -> Fact:
    """Named general or specific; else general when the DPA announces changes of sub-processors
    (a notice period, or a duty to inform of intended changes: Art. 28(2)'s general authorisation)."""
    general: Sentence | None = None
    specific: Sentence | None = None
    for sentence in sentences:
        text = sentence.text
        if not SUB_CONTEXT.search(text) or BOTH.search(text):
            continue
        if general is None and GENERAL.search(text):
            general = sentence
        if specific is None and SPECIFIC.search(text):
            specific = sentence
    if general is not None:
        return Fact("general", evidence_of(general))
    if specific is not None:
        return Fact("specific", evidence_of(specific))
    if notice.value is not None:
        return Fact("general", notice.evidence)
    if change_notice is not None:
        return Fact("general", evidence_of(change_notice))
    return Fact(None)


def about_sub_processors(sentence: Sentence) -> bool:
    return bool(SUB.search(sentence.text) or (sentence.block_text and SUB.search(sentence.block_text)))


def right_to_object(sentences: list[Sentence], authorisation: Fact, incorporation: Sentence | None) -> Fact:
    """Stated in the DPA (in a paragraph on sub-processors), or brought by incorporated SCCs
    2021/914 under a general authorisation (Clause 9(a), Option 2 lets the exporter object)."""
    for sentence in sentences:
        if SUB.search(sentence.text) and NO_OBJECTION.search(sentence.text):
            return Fact(False, evidence_of(sentence))
    for sentence in sentences:
        if OBJECTION.search(sentence.text) and about_sub_processors(sentence):
            return Fact(True, evidence_of(sentence))
    if incorporation is not None and authorisation.value == "general":
        return Fact(True, evidence_of(incorporation))
    return Fact(False)


# --- transfer tools -------------------------------------------------------------------------

SCC_NAME = _p(r"standard contractual clauses", r"model clauses", r"\bSCCs?\b", r"clauses contractuelles types", r"\bCCTs?\b", r"clauses types", r"standard data protection clauses")
SCC_2021 = _p(r"2021\s*/\s*0?914", r"914\s*/\s*2021", r"2021-914", r"4 june 2021", r"june 4,? 2021", r"4 juin 2021", r"C\(2021\)\s*3972")
SCC_OLD = _p(r"2010\s*/\s*87", r"2004\s*/\s*915", r"2001\s*/\s*497", r"C\(2010\)\s*593", r"5 february 2010", r"5 février 2010")
MODULE = re.compile(r"\bmodules?\s+(?P<list>(?:(?:one|two|three|four|un|deux|trois|quatre|[1-4]|I{1,3}|IV)(?:\s*(?:,|and|et|&|/|or|ou)\s*)?)+)", re.I)
MODULE_WORDS = {"one": 1, "un": 1, "1": 1, "i": 1, "two": 2, "deux": 2, "2": 2, "ii": 2, "three": 3, "trois": 3, "3": 3, "iii": 3, "four": 4, "quatre": 4, "4": 4, "iv": 4}
INCORPORATION = _p(r"incorporat", r"\bapply\b", r"\bapplies\b", r"shall apply", r"form(?:s)? (?:an integral )?part", r"deemed", r"entered into", r"execut", r"s'appliqu", r"intégr", r"font partie", r"fait partie", r"réputées", r"conclu", r"annex", r"attached", r"by reference", r"par référence")

TOOL_PATTERNS: tuple[tuple[str, str | None, re.Pattern[str], bool], ...] = (
    ("dpf", "dpf", _p(r"data privacy framework", r"\bDPF\b", r"cadre de protection des données"), False),
    ("uk_idta", "uk_idta", _p(r"international data transfer agreement", r"\bIDTA\b"), False),
    ("uk_addendum", "uk_addendum", _p(r"international data transfer addendum", r"\bUK addendum\b", r"UK SCC addendum", r"addendum (?:to|of) the (?:EU )?(?:commission )?(?:standard contractual clauses|SCCs)", r"avenant britannique"), False),
    ("bcr", "bcr", _p(r"binding corporate rules", r"\bBCRs?\b", r"règles d'entreprise contraignantes", r"\bBCR-P\b"), False),
    ("swiss_adaptations", None, _p(r"swiss (?:federal )?(?:act|data protection act|FADP|DPA|adaptations?|addendum|amendments?)", r"\bFADP\b", r"\bnFADP\b", r"\bFDPIC\b", r"\bPFPDT\b", r"LPD suisse", r"loi fédérale sur la protection des données", r"switzerland", r"suisse"), False),
    ("privacy_shield", None, _p(r"privacy shield", r"bouclier de protection"), True),
)


def transfer_tools(sentences: list[Sentence]) -> tuple[tuple[TransferToolMention, ...], bool, Sentence | None]:
    """(mentions, SCCs 2021/914 incorporated, incorporation sentence)."""
    mentions: list[TransferToolMention] = []
    modules: dict[int, Sentence] = {}
    scc_2021: Sentence | None = None
    incorporation: Sentence | None = None
    seen: set[str] = set()
    for index, sentence in enumerate(sentences):
        text = sentence.text
        context = text if len(text) > 60 else f"{sentences[index - 1].text if index else ''} {text}"
        # Modules exist only in the 2021 SCCs: "the SCCs (Module Two)" names them without the decision.
        if (SCC_2021.search(text) and (SCC_NAME.search(context) or re.search(r"2021\s*/\s*0?914", text))) or (
            SCC_NAME.search(text) and MODULE.search(text) and not SCC_OLD.search(text)
        ):
            scc_2021 = scc_2021 or sentence
            if incorporation is None and INCORPORATION.search(text) and not re.search(r"\b(?:not|n'|ne|no)\b[^.;]{0,25}(?:apply|incorporat|s'appliqu)", text, re.I):
                incorporation = sentence
        if SCC_OLD.search(text) and not REPLACED.search(text) and "scc_pre_2021" not in seen:
            seen.add("scc_pre_2021")
            mentions.append(TransferToolMention("scc_pre_2021", "scc_pre_2021", flagged=True, evidence=evidence_of(sentence)))
        if (scc_2021 is not None or SCC_NAME.search(context)) and re.search(r"\bmodule", text, re.I):
            for match in MODULE.finditer(text):
                for word in re.split(r"\s*(?:,|and|et|&|/|or|ou)\s*|\s+", match.group("list").strip()):
                    number = MODULE_WORDS.get(word.lower())
                    if number and number not in modules:
                        modules[number] = sentence
        for tool, mechanism, pattern, flagged in TOOL_PATTERNS:
            if tool not in seen and pattern.search(text):
                if tool == "swiss_adaptations" and not re.search(r"transfer|transfert|SCC|clauses|FDPIC|PFPDT|FADP|adaptation|addendum", context, re.I):
                    continue
                if tool == "swiss_adaptations" and re.fullmatch(r".*\b(?:switzerland|suisse)\b.*", text, re.I | re.S) and not re.search(r"SCC|clauses|adaptation|addendum|FADP|FDPIC|PFPDT|LPD", context, re.I):
                    continue
                seen.add(tool)
                mentions.append(TransferToolMention(tool, mechanism, flagged=flagged, evidence=evidence_of(sentence)))
    scc_mentions: list[TransferToolMention] = []
    if scc_2021 is not None:
        if modules:
            for number in sorted(modules):
                scc_mentions.append(TransferToolMention(f"scc_2021_module_{number}", "scc_2021", module=number, evidence=evidence_of(modules[number])))
        else:
            scc_mentions.append(TransferToolMention("scc_2021", "scc_2021", evidence=evidence_of(scc_2021)))
    incorporated = incorporation is not None and (not modules or bool({2, 3} & set(modules)))
    return tuple(scc_mentions + mentions), incorporated, incorporation if incorporated else None


# --- governing law and supervisory authority ------------------------------------------------

LAW_ADJECTIVES = {
    "french": "FR", "français": "FR", "française": "FR", "irish": "IE", "irlandais": "IE", "german": "DE", "allemand": "DE",
    "dutch": "NL", "néerlandais": "NL", "belgian": "BE", "belge": "BE", "luxembourg": "LU", "luxembourgeois": "LU",
    "spanish": "ES", "espagnol": "ES", "italian": "IT", "italien": "IT", "english": "GB", "anglais": "GB", "swedish": "SE",
    "suédois": "SE", "danish": "DK", "danois": "DK", "finnish": "FI", "finlandais": "FI", "polish": "PL", "polonais": "PL",
    "portuguese": "PT", "portugais": "PT", "austrian": "AT", "autrichien": "AT", "swiss": "CH", "suisse": "CH",
}
LAW_PLACES = {
    "england and wales": "GB", "england": "GB", "angleterre": "GB", "scotland": "GB", "new york": "US", "california": "US",
    "delaware": "US", "washington": "US", "the united states": "US", "united states": "US", "ireland": "IE", "irlande": "IE",
    "france": "FR", "germany": "DE", "allemagne": "DE", "the netherlands": "NL", "netherlands": "NL", "pays-bas": "NL",
    "belgium": "BE", "belgique": "BE", "luxembourg": "LU", "spain": "ES", "espagne": "ES", "italy": "IT", "italie": "IT",
    "sweden": "SE", "suède": "SE", "denmark": "DK", "danemark": "DK", "finland": "FI", "finlande": "FI", "poland": "PL",
    "pologne": "PL", "portugal": "PT", "austria": "AT", "autriche": "AT", "switzerland": "CH", "suisse": "CH",
}
_ADJ = "|".join(sorted(map(re.escape, LAW_ADJECTIVES), key=len, reverse=True))
_PLACE = "|".join(sorted(map(re.escape, LAW_PLACES), key=len, reverse=True))
GOVERNING_LAW = re.compile(
    rf"(?:governed by|subject to|construed in accordance with|régie? par|soumise? (?:au|à la)|relève du|applicable law (?:is|shall be))\b[^.;]{{0,40}}?"
    rf"(?:(?:the )?(?P<adj>{_ADJ})\s+law\b|(?:the )?laws? of (?:the state of )?(?P<place>{_PLACE})\b|(?:le |la )?(?:droit|loi) (?P<adjfr>{_ADJ})\b|(?:le |la )?(?:droit|loi) (?:de |d'|du |des )(?:l'|la )?(?P<placefr>{_PLACE})\b)",
    re.I,
)
AUTHORITIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("CNIL", _p(r"\bCNIL\b", r"Commission nationale de l'informatique et des libertés")),
    ("Data Protection Commission (IE)", _p(r"Data Protection Commission", r"\bDPC\b", r"Irish (?:Data Protection )?(?:supervisory )?authority")),
    ("ICO", _p(r"Information Commissioner", r"\bICO\b")),
    ("AEPD", _p(r"\bAEPD\b", r"Agencia Española de Protección de Datos")),
    ("Garante", _p(r"Garante per la protezione", r"\bGarante\b")),
    ("Autoriteit Persoonsgegevens", _p(r"Autoriteit Persoonsgegevens")),
    ("CNPD (LU)", _p(r"Commission nationale pour la protection des données", r"\bCNPD\b")),
    ("APD/GBA", _p(r"Autorité de protection des données", r"Gegevensbeschermingsautoriteit", r"\bAPD\b", r"\bGBA\b")),
    ("BfDI", _p(r"\bBfDI\b", r"Bundesbeauftragte", r"Datenschutzbeauftragte")),
    ("FDPIC", _p(r"\bFDPIC\b", r"\bPFPDT\b", r"Federal Data Protection and Information Commissioner", r"Préposé fédéral")),
    ("IMY", _p(r"\bIMY\b", r"Integritetsskyddsmyndigheten")),
    ("Datatilsynet", _p(r"Datatilsynet")),
)
AUTHORITY_CONTEXT = _p(r"supervisory authorit", r"autorité de contrôle", r"competent authorit", r"autorité compétente", r"data protection authorit", r"Clause 13", r"Annex I\.?C")


def governing_law(sentences: list[Sentence]) -> Fact:
    """The DPA's own law; the law chosen for the SCCs (Clause 17) only when no other is named."""
    found: list[tuple[bool, str, Sentence]] = []
    for sentence in sentences:
        match = GOVERNING_LAW.search(sentence.text)
        if match:
            key = (match.group("adj") or match.group("adjfr") or "").lower()
            code = LAW_ADJECTIVES.get(key) if key else LAW_PLACES.get((match.group("place") or match.group("placefr") or "").lower())
            if code:
                for_sccs = bool(SCC_REFERENCE.search(sentence.text[max(0, match.start() - 80) : match.start()]))
                found.append((for_sccs, code, sentence))
    if not found:
        return Fact(None)
    _, code, sentence = min(found, key=lambda entry: entry[0])  # stable: the first of the DPA's own
    return Fact(code, evidence_of(sentence))


def supervisory_authority(sentences: list[Sentence]) -> Fact:
    for require_context in (True, False):
        for sentence in sentences:
            if require_context and not AUTHORITY_CONTEXT.search(sentence.text) and not AUTHORITY_CONTEXT.search(sentence.section_title):
                continue
            for name, pattern in AUTHORITIES:
                if pattern.search(sentence.text):
                    return Fact(name, evidence_of(sentence))
    return Fact(None)


# --- sub-processors listed in a table -------------------------------------------------------

NAME_HEADER = _p(r"\bname\b", r"\bnom\b", r"entity", r"entité", r"raison sociale", r"sub-?processor", r"sous-traitant", r"company", r"société", r"provider", r"prestataire", r"fournisseur", r"vendor")
COUNTRY_HEADER = _p(r"countr", r"\bpays\b", r"location", r"localisation", r"lieu", r"where", r"région", r"region", r"hosting", r"hébergement", r"siège", r"data cent")
PURPOSE_HEADER = _p(r"purpose", r"finalité", r"service", r"activit", r"prestation", r"nature", r"function", r"fonction", r"description", r"role", r"rôle", r"processing", r"traitement", r"objet")


@functools.lru_cache(maxsize=1)
def country_names() -> tuple[tuple[re.Pattern[str], str], ...]:
    from register.reference import load_reference

    names: dict[str, str] = {}
    for code, country in load_reference().countries.items():
        for name in (country.name_en, country.name_fr):
            names.setdefault(name.lower(), code)
            short = re.sub(r"\s*\(.*\)$|,.*$", "", name).lower()
            names.setdefault(short, code)
    names.update({
        "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US", "états-unis": "US", "etats-unis": "US",
        "uk": "GB", "united kingdom": "GB", "royaume-uni": "GB", "great britain": "GB", "england": "GB",
        "the netherlands": "NL", "pays-bas": "NL", "south korea": "KR", "corée du sud": "KR", "russia": "RU", "vietnam": "VN",
        "czech republic": "CZ", "république tchèque": "CZ", "tchéquie": "CZ", "india": "IN", "inde": "IN", "irlande": "IE",
    })
    patterns = []
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 4 and name not in ("usa", "uk"):
            continue
        patterns.append((re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.I), names[name]))
    return tuple(patterns)


def countries_in(text: str) -> tuple[str, ...]:
    """ISO codes of the countries a table cell names ("Ireland, Germany", "États-Unis", "IE / US"), in order."""
    found: list[tuple[int, str]] = []
    remaining = text
    for pattern, code in country_names():
        for match in pattern.finditer(remaining):
            found.append((match.start(), code))
            remaining = remaining[: match.start()] + " " * (match.end() - match.start()) + remaining[match.end():]
    tokens = [token for token in re.split(r"[\s,;/()|&]+|\band\b|\bet\b", remaining) if token]
    if tokens and all(re.fullmatch(r"[A-Z]{2}", token) for token in tokens):
        from register.reference import load_reference

        known = load_reference().countries
        for token in tokens:
            code = "GB" if token == "UK" else token
            if code in known:
                found.append((remaining.index(token), code))
    codes = [code for _, code in sorted(found)]
    return tuple(dict.fromkeys(codes))


def sub_processor_tables(sections: tuple[Section, ...]) -> tuple[SubProcessorProposal, ...]:
    """Rows of tables whose header names a name and a country column, in a section about sub-processors
    (usually an annex)."""
    proposals: list[SubProcessorProposal] = []
    seen: set[str] = set()
    for section in sections:
        rows = [block for block in section.blocks if block.kind == "table_row" and len(block.cells) >= 2]
        if not rows:
            continue
        context = f"{section.number or ''} {section.title} " + " ".join(block.text for block in section.blocks[:3] if block.kind != "table_row")
        header_index = _header_row(rows)
        if header_index is None:
            continue
        header = rows[header_index].cells
        if not (SUB.search(context) or SUB.search(" ".join(header)) or re.search(r"sub-?processors?|sous-traitants", section.text[:400], re.I)):
            continue
        name_col = _column(header, NAME_HEADER)
        country_col = _column(header, COUNTRY_HEADER, exclude={name_col})
        purpose_col = _column(header, PURPOSE_HEADER, exclude={name_col, country_col})
        if name_col is None or country_col is None:
            continue
        for row in rows[header_index + 1 :]:
            cells = row.cells
            if len(cells) <= max(name_col, country_col) or _header_row([row]) is not None:
                continue
            name = cells[name_col].strip()
            if not name or name.lower() in seen:
                continue
            seen.add(name.lower())
            purpose = cells[purpose_col].strip() if purpose_col is not None and purpose_col < len(cells) else ""
            proposals.append(SubProcessorProposal(name=name, countries=countries_in(cells[country_col]), purpose=purpose, section=section.number, page=row.page))
    return tuple(proposals)


def _header_row(rows: list[Block]) -> int | None:
    for index, row in enumerate(rows[:3]):
        cells = row.cells
        if _column(cells, NAME_HEADER) is not None and _column(cells, COUNTRY_HEADER) is not None and all(len(cell) < 60 for cell in cells):
            return index
    return None


def _column(cells: Iterable[str], pattern: re.Pattern[str], exclude: set[int | None] | None = None) -> int | None:
    for index, cell in enumerate(cells):
        if exclude and index in exclude:
            continue
        if pattern.search(cell):
            return index
    return None
