"""The Art. 28(3) items: elements, patterns and the status rule.

Each item is a set of **elements** (the concepts of shared/reference/dpa-vocabulary.md).
An element is found when one sentence of the DPA matches all of its pattern groups
(English and French alternatives in each group); a sentence that negates or limits it
("shall not be entitled to audit", "may engage sub-processors without notice", "retain
… for its own purposes") is a **contradiction**. The status is:

- present: every required element found and nothing contradicts them;
- partial: some required element, or only a weaker "partial" signal ("forward requests",
  "industry-standard security", "reports only", "inform if unable to comply"), or a
  contradiction;
- absent: nothing.

Incorporated SCCs 2021/914 (Module 2 or 3, or no module named) bring the elements their
clauses contain (SCC_COVERAGE below); the reason then says so. Deterministic and
explainable: the reason lists the elements found and missing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from register.i18n import N_

_WORD = re.compile(r"\w+")
PREFIX_MIN, PREFIX_MAX = 3, 8


@functools.lru_cache(maxsize=4096)
def text_view(text: str) -> tuple[str, frozenset[str]]:
    """The lower-cased text and the 3-to-8-character starts of its words (for the gates)."""
    lowered = text.lower()
    prefixes = {word[:size] for word in _WORD.findall(lowered) for size in range(PREFIX_MIN, min(len(word), PREFIX_MAX) + 1)}
    return lowered, frozenset(prefixes)


class Concept:
    """A case-insensitive alternation of patterns, fast on long documents.

    The text is lower-cased once and matched by a pattern compiled without IGNORECASE
    (Python's ``re`` is several times slower with it). Before the pattern runs, a gate checks
    that a word of the text starts like one of the alternatives' leading literals ("notif",
    "sub" of "sub-processor", "2021" of "2021/914"), a set look-up on the words' starts. An
    alternative without a literal start of three word characters disables the gate, so that
    the gate only skips sentences the pattern cannot match (alternatives match at word starts).
    """

    __slots__ = ("alternatives", "regex", "lowered_regex", "tokens", "pattern", "in_paragraph")

    def __init__(self, alternatives: tuple[str, ...]) -> None:
        self.alternatives = alternatives
        self.pattern = "|".join(f"(?:{alternative})" for alternative in alternatives)
        self.regex = re.compile(self.pattern, re.I)  # for callers that need the original text's offsets
        self.lowered_regex = re.compile(lower_pattern(self.pattern))
        self.in_paragraph = False  # matched on the sentence's whole paragraph (see around())
        tokens: set[str] = set()
        for alternative in alternatives:
            found = gate_tokens(alternative)
            if found is None:
                self.tokens = None
                break
            tokens.update(found)
        else:
            self.tokens = frozenset(tokens)

    def hit(self, text: str) -> bool:
        lowered, prefixes = text_view(text)
        if self.tokens is not None and self.tokens.isdisjoint(prefixes):
            return False
        return self.lowered_regex.search(lowered) is not None

    def search(self, text: str) -> re.Match[str] | None:
        lowered, prefixes = text_view(text)
        if self.tokens is not None and self.tokens.isdisjoint(prefixes):
            return None
        if len(lowered) != len(text):  # lower-casing changed the length ("İ"): keep the offsets right
            return self.regex.search(text)
        return self.lowered_regex.search(lowered)  # same offsets as in ``text``

    def finditer(self, text: str):
        return self.regex.finditer(text) if self.search(text) is not None else iter(())


def gate_tokens(alternative: str) -> list[str] | None:
    """Word starts one of which every match of ``alternative`` has: per leading literal, the longest word of three characters or
    more in its leading literal (words after the first start at a word boundary in any match;
    the first one is taken to, as alternatives match at word starts)."""
    literals = leading_literals(alternative)
    if not literals:
        return None
    best: list[str] = []
    for literal in literals:
        words = [word for word in _WORD.findall(literal) if len(word) >= PREFIX_MIN]
        if not words:
            return None
        best.append(max(words, key=len)[:PREFIX_MAX])
    return best


def lower_pattern(pattern: str) -> str:
    """Lower-case a pattern's literal letters, leaving escapes (\\S, \\W, \\B…) as they are."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern[index] == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        out.append(pattern[index].lower())
        index += 1
    return "".join(out)


Pattern = Concept
_META = set(".^$*+?{}[]|()\\")


def leading_literals(alternative: str) -> list[str] | None:
    """The literal texts one of which every match of ``alternative`` starts with (lower case,
    3+ characters), or None when there is no such short list."""
    text = alternative
    while text.startswith(("\\b", "^")):
        text = text[2:] if text.startswith("\\b") else text[1:]
    if text.startswith("(?:"):
        depth, end = 0, None
        for index, char in enumerate(text):
            if char == "\\":
                continue
            if char == "(" and (index == 0 or text[index - 1] != "\\"):
                depth += 1
            elif char == ")" and text[index - 1] != "\\":
                depth -= 1
                if depth == 0:
                    end = index
                    break
        if end is None or text[end + 1 : end + 2] in ("?", "*", "{"):
            return None
        inner = _split_top_level(text[3:end])
        stems = [leading_literals(part) for part in inner]
        if any(stem is None for stem in stems):
            return None
        return [stem for group in stems for stem in group]
    literal = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and not text[index + 1].isalnum():
            literal.append(text[index + 1])
            index += 2
            continue
        if char in _META:
            if char in "?*{" and literal:
                literal.pop()
            break
        literal.append(char)
        index += 1
    stem = "".join(literal).lower()
    return [stem] if len(stem) >= 3 else None


def _split_top_level(text: str) -> list[str]:
    parts, depth, current, escaped = [], 0, [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            current.append(char)
            escaped = True
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def around(concept: Concept) -> Concept:
    """The same concept, matched on the sentence's paragraph rather than the sentence alone:
    "The Client may object within eight days" belongs to the paragraph on sub-processors."""
    widened = Concept(concept.alternatives)
    widened.in_paragraph = True
    widened.tokens = None  # gated on the paragraph, not the sentence: always evaluated
    return widened


def _p(*alternatives: str | Concept) -> Concept:
    flat: list[str] = []
    for alternative in alternatives:
        flat.extend(alternative.alternatives if isinstance(alternative, Concept) else (alternative,))
    return Concept(tuple(flat))


# --- shared vocabulary ------------------------------------------------------------------------

DATA = _p(r"personal data", r"customer data", r"client data", r"données", r"\bdata\b", r"information personnelle", r"personal information")
LAW = _p(r"\blaw\b", r"\blaws\b", r"legal", r"GDPR", r"RGPD", r"regulation", r"règlement", r"\bdroit\b", r"législation", r"légal", r"juridique", r"\bloi\b", r"dispositions", r"data protection", r"protection des données")
SUB = _p(
    r"sub-?\s?processors?", r"subprocessors?", r"sub-?contractors?", r"sous-?traitants? ultérieurs?", r"autres? sous-?traitants?",
    r"another processor", r"other processors?", r"sous-traitance ultérieure", r"recruter un (?:autre )?sous-traitant", r"sub-?processing",
)
SUB_AROUND = around(SUB)
ASSIST = _p(r"\bassist", r"\bhelp", r"support", r"cooperat", r"\baider?\b", r"aidera", r"assistance", r"coopér", r"concours", r"accompagn", r"collabor")
NEGATION = _p(r"\bnot\b", r"\bnever\b", r"\bno\b", r"\bne\b", r"\bn'", r"\baucun", r"\bjamais\b", r"\bnor\b", r"n't\b")
DELETE = _p(r"\bdelet", r"\beras", r"\bdestroy", r"destruction", r"supprim", r"suppression", r"effac", r"détrui", r"\bpurge")
RETURN = _p(r"\breturn", r"\bretriev", r"restitu", r"renvo[iy]", r"\bremettre", r"\bremise\b", r"hand (?:back|over)", r"\bexport", r"récupér", r"retourner")


@dataclass(frozen=True, slots=True)
class Element:
    id: str
    label: str  # English gettext id (N_), translated in reasons
    groups: tuple[Pattern, ...]  # all must match one sentence
    weak: bool = False  # a "partial" signal, never enough for present
    negatable: bool = False  # "shall not return the data" does not count: the first group must not follow a negation


@dataclass(frozen=True, slots=True)
class ItemRule:
    item_id: str
    elements: tuple[Element, ...]
    required: tuple[str, ...]
    contradictions: tuple[tuple[Pattern, ...], ...] = ()
    contradiction_removes: tuple[str, ...] = ()  # elements a contradiction cancels
    contradiction_unless: Pattern | None = None  # a sentence matching it is no contradiction


def element(id: str, label: str, *groups: Pattern, weak: bool = False, negatable: bool = False) -> Element:
    return Element(id, label, groups, weak, negatable)


ITEM_RULES: tuple[ItemRule, ...] = (
    ItemRule(
        "art28_3_a",
        (
            element(
                "documented_instructions", N_("processing only on documented instructions"),
                _p(
                    r"(?:only|solely|exclusively|strictly)\b[^.;]{0,80}\binstructions?",
                    r"documented instructions?", r"instructions? (?:documentées?|écrites?)",
                    r"(?:uniquement|exclusivement|seulement)\b[^.;]{0,80}\binstructions?", r"que sur (?:la |les )?(?:base des? )?instructions?",
                    r"in accordance with (?:the )?(?:controller|customer|client)'?s?'? (?:documented |written )?instructions",
                ),
            ),
            element(
                "transfer_instructions", N_("instructions also covering transfers to third countries"),
                _p(r"transfer", r"transfert"),
                _p(r"third countr", r"international organi[sz]ation", r"international transfers?", r"transferts? internationa", r"cross-border", r"pays tiers", r"organisation internationale", r"outside (?:of )?(?:the )?(?:EEA|European Economic Area|EU\b|European Union)", r"hors (?:de )?(?:l'|la )?(?:UE|EEE|Union)"),
                _p(r"instruction"),
            ),
            element(
                "legal_requirement", N_("information of a legal requirement to process otherwise"),
                _p(r"\bunless\b", r"\bsauf\b", r"à moins", r"except where", r"except (?:as|to the extent)", r"where required", r"lorsqu'il y est tenu", r"if required"),
                _p(r"\blaw", r"\bdroit\b", r"légal", r"juridique", r"\bloi\b", r"législation", r"legal"),
                _p(r"\binform", r"\bnotif", r"\badvise", r"avis", r"prévien", r"\btell\b", r"let (?:the )?(?:customer|controller|client) know"),
            ),
        ),
        required=("documented_instructions", "transfer_instructions", "legal_requirement"),
        contradictions=(
            (
                _p(r"(?:may|can|shall be entitled|is entitled|reserves? the right|peut|pourra|se réserve|est autorisé)"),
                _p(
                    r"own (?:business |legitimate |commercial )?purposes", r"(?:improve|develop|train|enhance)\b[^.;]{0,50}(?:services|products|models|offerings)",
                    r"propres (?:fins|besoins|finalités)", r"améliorer (?:ses|nos|leurs) (?:services|produits|modèles)", r"propre compte",
                ),
                DATA,
            ),
        ),
        contradiction_removes=("documented_instructions",),
    ),
    ItemRule(
        "art28_3_b",
        (
            element(
                "persons_bound", N_("persons authorised to process bound by confidentiality"),
                _p(r"confidential", r"confidentialit", r"secret professionnel", r"discrétion"),
                _p(r"personnel", r"employees", r"\bstaff", r"\bpersons?\b", r"individuals", r"agents", r"contractors", r"collaborateurs", r"salariés", r"employés", r"personnes", r"préposés"),
                _p(r"\bcommit", r"\bbound\b", r"obligat", r"undertak", r"agreements?", r"\bengag", r"\btenu", r"soumis", r"\bsign", r"statutory", r"\bduty\b", r"devoir", r"\baccord"),
                _p(r"authori[sz]", r"\baccess", r"autoris", r"\baccès", r"habilit", r"\bprocess", r"traite", r"traitement"),
            ),
            element(
                "confidentiality_promise", N_("a general promise of confidentiality"),
                _p(r"confidential", r"confidentialit", r"confidentiel"),
                DATA,
                weak=True,
            ),
        ),
        required=("persons_bound",),
    ),
    ItemRule(
        "art28_3_c",
        (
            element(
                "security_measures", N_("technical and organisational security measures (Art. 32)"),
                _p(r"article\s*32", r"art\.\s*32", r"technical and organi[sz]ational (?:security )?measures", r"mesures (?:de sécurité )?techniques et organisationnelles", r"\bTOMs?\b", r"organi[sz]ational and technical (?:security )?measures",
                   r"mesures de sécurité (?:suivantes|décrites|figurant|énumérées|listées)", r"(?:following|these|the) security measures", r"security measures (?:set out|described|listed)"),
                _p(r"secur", r"sécurit", r"protect", r"integrity", r"intégrité", r"article\s*32", r"art\.\s*32"),
            ),
            element(
                "measures_described", N_("a description of the measures (annex or list)"),
                _p(
                    r"(?:annex|annexe|appendix|appendice|schedule|exhibit)\s*[0-9IVXLC]*\b[^.;]{0,100}(?:security|sécurité|measures|mesures)",
                    r"(?:security|sécurité|measures|mesures)\b[^.;]{0,100}(?:annex|annexe|appendix|appendice|schedule|exhibit)\s*[0-9IVXLC]+",
                    r"security (?:annex|exhibit|schedule|appendix|documentation|whitepaper)", r"annexe sécurité", r"plan d'assurance sécurité", r"\bPAS\b",
                    r"(?:encrypt|chiffr)[^.;]{0,200}(?:access control|contrôle d'accès|contrôles d'accès|backup|sauvegarde|pseudonymi|multi-?factor|authentification)",
                    r"(?:access control|contrôle d'accès|backup|sauvegarde|pseudonymi)[^.;]{0,200}(?:encrypt|chiffr)",
                ),
            ),
            element(
                "security_promise", N_("a general promise of security (\"industry standard\")"),
                _p(r"industry[- ]standard", r"commercially reasonable", r"reasonable (?:security|measures|safeguards)", r"standards? du marché", r"usages de la profession", r"appropriate (?:security|safeguards)", r"mesures (?:de sécurité )?(?:raisonnables|appropriées)", r"règles de l'art"),
                _p(r"secur", r"sécurit", r"safeguard", r"protect", r"measures", r"mesures"),
                weak=True,
            ),
        ),
        required=("security_measures", "measures_described"),
    ),
    ItemRule(
        "art28_3_d",
        (
            element(
                "authorisation", N_("prior written authorisation (specific or general)"),
                SUB_AROUND,
                _p(r"authori[sz]", r"\bconsent", r"\bapprov", r"autoris", r"accord (?:préalable|écrit)", r"agrément", r"\bagrees? (?:to|that)",
                   r"(?:peut|pourra) (?:faire appel|recourir)", r"may (?:engage|use|appoint|subcontract)", r"(?:permitted|allowed) to (?:engage|use|appoint)"),
            ),
            element(
                "change_notice", N_("notice of intended changes"),
                SUB_AROUND,
                _p(r"\bnotif", r"\binform", r"\bnotice", r"\bavis", r"prévenir", r"préavis", r"informer", r"informera", r"\bpublish", r"\bpost", r"update"),
                _p(r"\bchange", r"\bnew\b", r"addition", r"\badd", r"replac", r"intended", r"nouveau", r"nouvel", r"\bajout", r"remplacement", r"envisag", r"modification"),
            ),
            element(
                "objection", N_("the controller's right to object"),
                SUB_AROUND,
                _p(r"\bobject(?:s|ion|ions|ing)?\b", r"s'opposer", r"opposition", r"objections?"),
            ),
            element(
                "flow_down", N_("the same obligations imposed on each sub-processor"),
                SUB_AROUND,
                _p(
                    r"same (?:data protection )?obligations", r"(?:the same|equivalent|similar|substantially similar|no less (?:protective|onerous|stringent)|at least (?:as|equivalent))\b[^.;]{0,80}(?:obligations|terms|protection|restrictions)",
                    r"(?:obligations|terms)\b[^.;]{0,60}(?:no less (?:protective|onerous|stringent)|at least as (?:protective|stringent)|equivalent to|substantially similar)",
                    r"mêmes obligations", r"obligations (?:équivalentes|similaires|identiques)", r"au moins (?:aussi|équivalent)", r"(?:impose|bind|require)[^.;]{0,80}(?:obligations|written (?:agreement|contract))", r"impos\w*[^.;]{0,80}(?:obligations|contrat)", r"flow[- ]down",
                    r"(?:tenus?|soumis|bound|required)\b[^.;]{0,30}(?:respecter|comply with|respect|by)\b[^.;]{0,20}(?:the |les |aux )?(?:obligations|terms)\b[^.;]{0,30}(?:of this|du présent|de la présente|of the (?:DPA|agreement|addendum))",
                ),
            ),
            element(
                "liability", N_("the processor remains fully liable"),
                SUB_AROUND,
                _p(r"(?:remain|remains|stay|stays|shall be|will be)\s+(?:fully\s+)?(?:liable|responsible)", r"fully (?:liable|responsible)", r"pleinement responsable", r"(?:demeure|reste|restera|demeurera)\s+(?:pleinement\s+|entièrement\s+)?responsable", r"responsible for (?:the )?(?:acts|omissions|performance)", r"liable for (?:the )?(?:acts|omissions|performance)"),
            ),
        ),
        required=("authorisation", "change_notice", "objection", "flow_down", "liability"),
        contradictions=(
            (
                SUB,
                _p(r"without (?:any )?(?:prior )?(?:notice|notification|consent|authori[sz]ation|informing)", r"sans (?:préavis|information|en informer|autorisation|accord|notification|l'accord)", r"no right to object", r"not have any right to object", r"not have a right to object", r"not be entitled to object", r"(?:ne pourra|ne peut|ne saurait) (?:pas )?s'opposer", r"aucun droit d'(?:objection|opposition)", r"(?:shall|will|may) not object", r"libre de recourir"),
            ),
        ),
        contradiction_removes=("change_notice", "objection", "authorisation"),
    ),
    ItemRule(
        "art28_3_e",
        (
            element(
                "assist_requests", N_("assistance with data subjects' requests"),
                ASSIST,
                _p(r"data subjects?", r"personnes? concernées?", r"\bindividuals?", r"chapter III", r"chapitre III", r"consumers?"),
                _p(r"request", r"demande", r"\brights?\b", r"\bdroits?\b", r"chapter III", r"chapitre III"),
            ),
            element(
                "forward_requests", N_("forwarding of requests only"),
                _p(r"\bforward", r"redirect", r"\btransmit", r"\brefer", r"transmettre", r"transmettra", r"renvoyer", r"rediriger", r"communiquer", r"\bpass on"),
                _p(r"data subjects?", r"personnes? concernées?", r"\bindividuals?"),
                _p(r"request", r"demande", r"\brights?\b", r"\bdroits?\b"),
                weak=True,
            ),
        ),
        required=("assist_requests",),
    ),
    ItemRule(
        "art28_3_f",
        (
            element(
                "breach_notification", N_("notification of personal data breaches"),
                _p(r"\bnotif", r"\binform", r"\bavis\b", r"\balert", r"prévenir", r"signaler", r"\bnotice"),
                _p(r"data breach", r"security (?:incident|breach)", r"breach of (?:security|personal data)", r"violations? de (?:la sécurité|données)", r"incidents? de sécurité", r"\bbreach(?:es)?\b", r"\bviolations?\b"),
            ),
            element(
                "impact_assessment", N_("assistance with data protection impact assessments"),
                _p(r"impact assessment", r"\bDPIAs?\b", r"\bPIAs?\b", r"analyses? d'impact", r"\bAIPD\b", r"études? d'impact", r"article\s*35\b", r"art\.\s*35\b", r"articles?\s*32\s*(?:to|à|through|-|–|and|au)\s*36"),
            ),
            element(
                "prior_consultation", N_("assistance with prior consultation of the supervisory authority"),
                _p(r"prior consultation", r"consultation préalable", r"article\s*36\b", r"art\.\s*36\b", r"consult\w*[^.;]{0,60}(?:supervisory authorit|autorité de contrôle|\bCNIL\b)", r"articles?\s*32\s*(?:to|à|through|-|–|and|au)\s*36"),
            ),
        ),
        required=("breach_notification", "impact_assessment", "prior_consultation"),
    ),
    ItemRule(
        "art28_3_g",
        (
            element(
                "end_of_services", N_("deletion or return at the end of the services"),
                _p(
                    r"(?:end|termination|expiry|expiration|cessation|conclusion)\s+of\s+(?:the\s+)?(?:provision\s+of\s+)?(?:the\s+)?(?:services?|agreement|contract|processing|DPA|main agreement|subscription)",
                    r"upon (?:the )?(?:termination|expiry|expiration)", r"after the end", r"au terme", r"à la fin", r"à l'issue", r"(?:fin|terme|expiration|résiliation|cessation)\s+(?:du|de la|des|de l')\s*(?:contrat|prestation|services?|traitement|abonnement|convention)",
                    r"(?:termination|expiry) (?:or expiry )?of (?:this|the)", r"(?:following|after) (?:the )?(?:termination|expiry|expiration)", r"clos(?:e|es|ing|ure of) (?:your |the |its )?account", r"account (?:closure|deletion)", r"clôture (?:du|de votre) compte", r"on expiry", r"on termination",
                ),
                _p(DELETE, RETURN),
            ),
            element("deletion", N_("deletion of the data"), DELETE, DATA, negatable=True),
            element("return", N_("return of the data"), RETURN, DATA, negatable=True),
            element(
                "controller_choice", N_("at the controller's choice"),
                _p(
                    r"(?:choice|option|election|discretion|request|instructions?|direction) of (?:the )?(?:controller|customer|client|data exporter)",
                    r"(?:controller|customer|client|data exporter)(?:'s|’s) (?:choice|option|election|discretion|request|written request|instructions?|direction)",
                    r"as the (?:controller|customer|client) (?:may )?(?:elect|choose|instruct|decide)",
                    r"(?:controller|customer|client)\b[^.;]{0,25}(?:may|can|shall)\b[^.;]{0,15}(?:request|ask|elect|choose|decide|instruct|retrieve|export|download)",
                    r"au choix (?:du|de l')", r"selon (?:le choix|les instructions)", r"sur (?:instruction|demande) (?:du|de l'|écrite du)", r"à la demande (?:du|de l')", r"(?:le client|le responsable)\b[^.;]{0,25}(?:peut|pourra)\b[^.;]{0,15}(?:demander|choisir|décider)",
                    r"(?:choisit|choisira|décide|indique) (?:s'il|si les)",
                ),
                _p(DELETE, RETURN),
            ),
            element("copies", N_("deletion of existing copies"), _p(r"\bcopies\b", r"\bcopies?\b", r"duplicat"), DELETE),
        ),
        required=("end_of_services", "deletion", "return", "controller_choice"),
        contradictions=(
            (
                _p(r"\bretain", r"\bkeep", r"\bstore", r"\bconserv", r"\bgarder"),
                _p(r"as long as (?:it (?:is |deems )?)?(?:necessary|needed|useful)", r"indefinitely", r"own (?:business |legitimate )?purposes", r"durée indéterminée", r"à ses propres fins", r"pour ses (?:propres )?besoins", r"aussi longtemps qu'(?:il|elle) le (?:juge|estime)", r"sans limitation de durée", r"(?:product|service) improvement", r"amélioration de ses services"),
                DATA,
            ),
        ),
        # Retention the law requires, or for running the service during the contract, is no contradiction.
        contradiction_unless=_p(
            r"required by (?:applicable )?(?:union |member state )?law", r"legal (?:obligation|requirement)", r"obligations? légales?", r"exig\w* par (?:la loi|le droit)",
            r"impos\w* par (?:la loi|le droit)", r"to provide the services?", r"(?:pour|afin de) fournir (?:les|le) services?", r"during the (?:term|subscription)", r"pendant la durée",
        ),
    ),
    ItemRule(
        "art28_3_h",
        (
            element(
                "compliance_information", N_("all information necessary to demonstrate compliance"),
                _p(r"make available", r"\bprovide", r"\bsupply", r"mettre? à (?:la )?disposition", r"met à (?:la )?disposition", r"mettra à (?:la )?disposition", r"\bfournir", r"fournit", r"fournira", r"communiquer"),
                _p(r"information", r"informations?", r"documentation", r"documents?"),
                _p(r"demonstrat", r"démontrer", r"\bprove", r"compliance", r"respect", r"conformité"),
            ),
            element(
                "audits", N_("audits and inspections by the controller or a mandated auditor"),
                _p(r"\baudits?\b", r"inspections?", r"contrôles? sur place", r"vérifications?"),
                _p(r"\ballow", r"\bpermit", r"submit", r"contribute", r"\bconduct", r"carry out", r"\bperform", r"permettre", r"permet", r"réaliser", r"contribuer", r"effectuer", r"procéder", r"\bmener", r"entitled", r"\bdroit\b", r"\bright\b", r"\bmay\b", r"\bpeut\b", r"pourra", r"mandated", r"mandaté"),
            ),
            element(
                "reports_only", N_("certifications or audit reports"),
                _p(r"SOC\s*[12]", r"ISO\s*/?\s*(?:IEC\s*)?2700[12]", r"third[- ]party (?:audit )?(?:reports?|certifications?)", r"rapports? d'audit", r"certifications?", r"audit reports?", r"attestations?"),
                weak=True,
            ),
        ),
        required=("compliance_information", "audits"),
        contradictions=(
            (
                _p(r"\baudit", r"inspection", r"contrôle"),
                _p(
                    r"in lieu of", r"instead of", r"en lieu et place", r"au lieu d", r"satisf(?:y|ies|ied|action of)\b[^.;]{0,40}audit",
                    r"(?:shall|will|may) not (?:be entitled to|have the right to|conduct|permit|allow|carry out|perform|request)\b[^.;]{0,40}(?:audit|inspection)",
                    r"no audits?", r"no inspections?", r"no on-site", r"no onsite", r"aucun (?:audit|contrôle)", r"(?:ne pourra|ne peut) (?:pas )?(?:procéder|réaliser|effectuer|demander)\b[^.;]{0,40}(?:audit|contrôle)",
                    r"(?:limited|restricted) to\b[^.;]{0,60}(?:reports?|certifications?|questionnaires?|summar)", r"se limite(?:nt|ra)? à\b[^.;]{0,60}(?:rapports?|certifications?|questionnaires?|synthèse)", r"limité(?:s|e|es)? à\b[^.;]{0,60}(?:rapports?|certifications?|questionnaires?)",
                ),
            ),
        ),
        contradiction_removes=("audits",),
    ),
    ItemRule(
        "art28_3_infringing",
        (
            element(
                "infringing_instruction", N_("immediate information if an instruction infringes data protection law"),
                _p(r"\binform", r"\bnotif", r"\balert", r"\badvise", r"avertir", r"informer", r"informe", r"informera", r"signaler", r"\btell\b"),
                _p(r"instruction"),
                _p(r"infring", r"violat", r"contraven", r"contrar(?:y|ies)", r"in breach of", r"not in (?:compliance|accordance) with", r"(?:would|might|may) breach", r"constitu\w* une violation", r"\bviol", r"contraire", r"enfrei", r"illicite", r"unlawful", r"illegal", r"non conforme", r"méconn"),
                LAW,
            ),
            element(
                "unable_to_comply", N_("information when unable to comply (a different duty)"),
                _p(r"unable to", r"cannot", r"can not", r"not able to", r"impossib", r"n'est pas en mesure", r"ne peut pas", r"ne pourra pas", r"dans l'impossibilité", r"plus en mesure"),
                _p(r"comply", r"follow", r"perform", r"respecter", r"suivre", r"se conformer", r"exécuter", r"honou?r"),
                _p(r"\binform", r"\bnotif", r"informer", r"informe", r"informera", r"avertir", r"\bpromptly", r"immédiatement"),
                weak=True,
            ),
        ),
        required=("infringing_instruction",),
    ),
)

RULES_BY_ITEM = {rule.item_id: rule for rule in ITEM_RULES}
ELEMENT_LABELS = {element.id: element.label for rule in ITEM_RULES for element in rule.elements}

# What the SCCs 2021/914 (Modules 2 and 3) bring to each item, with the clause, when a DPA
# incorporates them (decided clause by clause; README "Reading a vendor's DPA"):
# (a) Clause 8.1 documented instructions, 8.7/8.8 onward transfers on instructions, 14(e)/15
#     notice of laws preventing compliance; (b) 8.6(b) personnel's confidentiality; (c) 8.6(a); (d) Clause 9 (authorisation options, notice, objection, flow-down, liability);
#     (e) Clause 10(b) assistance with requests; (f) 8.6(c)-(d) breach notification and
#     assistance — NOT impact assessments nor prior consultation, so (f) stays partial; (g) 8.5
#     deletion or return at the exporter's choice, copies included; (h) 8.9(c)-(d) information and
#     audits. Not covered: the duty to inform of an infringing instruction (8.1(b) only covers
#     "unable to follow"), so art28_3_infringing gets nothing from the SCCs. For (c) the SCCs bring
#     the commitment (8.6(a)) but not the description: Annex II must be filled, so a DPA whose
#     measures are described nowhere stays partial.
SCC_COVERAGE: dict[str, tuple[str, tuple[str, ...]]] = {
    "art28_3_a": ("8.1, 8.7, 14(e)", ("documented_instructions", "transfer_instructions", "legal_requirement")),
    "art28_3_b": ("8.6(b)", ("persons_bound",)),
    "art28_3_c": ("8.6(a)", ("security_measures",)),
    "art28_3_d": ("9", ("authorisation", "change_notice", "objection", "flow_down", "liability")),
    "art28_3_e": ("10(b)", ("assist_requests",)),
    "art28_3_f": ("8.6(c)-(d)", ("breach_notification",)),
    "art28_3_g": ("8.5", ("end_of_services", "deletion", "return", "controller_choice", "copies")),
    "art28_3_h": ("8.9(c)-(d)", ("compliance_information", "audits")),
}


def matches(groups: tuple[Pattern, ...], text: str, memo: dict[int, bool] | None = None, paragraph: str | None = None) -> bool:
    """All groups match one sentence (``memo``: the sentence's concept results, shared by the items);
    a group made by around() matches the sentence's ``paragraph``."""
    memo = {} if memo is None else memo
    for group in groups:
        key = id(group)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = group.hit(paragraph if group.in_paragraph and paragraph else text)
        if not hit:
            return False
    return True


def element_matches(element: Element, text: str, memo: dict[int, bool] | None = None, paragraph: str | None = None) -> bool:
    if not matches(element.groups, text, memo, paragraph):
        return False
    if element.negatable:
        return any(
            not NEGATION.search(text[max(0, match.start() - 25) : match.start()])
            for match in element.groups[0].regex.finditer(text)
        )
    return True


def contradicts(groups: tuple[Pattern, ...], text: str, memo: dict[int, bool] | None = None, paragraph: str | None = None) -> bool:
    """All groups match and the phrase (the second group) is not itself negated
    ("shall not retain ... indefinitely", "shall not engage a sub-processor without authorisation")."""
    if not matches(groups, text, memo, paragraph):
        return False
    phrase = groups[1].regex.search(text)
    window = text[max(0, phrase.start() - 45) : phrase.start()]
    return not NEGATION.search(window)
