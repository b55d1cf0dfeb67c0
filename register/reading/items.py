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

import re
from dataclasses import dataclass

from register.i18n import N_

Pattern = re.Pattern[str]


def _p(*alternatives: str) -> Pattern:
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives), re.I)


# --- shared vocabulary ------------------------------------------------------------------------

DATA = _p(r"personal data", r"customer data", r"client data", r"données", r"\bdata\b", r"information personnelle", r"personal information")
LAW = _p(r"\blaw\b", r"\blaws\b", r"legal", r"GDPR", r"RGPD", r"regulation", r"règlement", r"\bdroit\b", r"législation", r"légal", r"juridique", r"\bloi\b", r"dispositions", r"data protection", r"protection des données")
SUB = _p(
    r"sub-?\s?processors?", r"subprocessors?", r"sub-?contractors?", r"sous-?traitants? ultérieurs?", r"autres? sous-?traitants?",
    r"another processor", r"other processors?", r"sous-traitance ultérieure", r"recruter un (?:autre )?sous-traitant", r"sub-?processing",
)
ASSIST = _p(r"\bassist", r"\bhelp", r"support", r"cooperat", r"\baider?\b", r"aidera", r"assistance", r"coopér", r"concours", r"accompagn", r"collabor")
NEGATION = _p(r"\bnot\b", r"\bnever\b", r"\bno\b", r"\bne\b", r"\bn'", r"\baucun", r"\bjamais\b", r"\bnor\b", r"n't\b")
DELETE = _p(r"\bdelet", r"\beras", r"\bdestroy", r"destruction", r"supprim", r"suppression", r"effac", r"détrui", r"\bpurge")
RETURN = _p(r"\breturn", r"restitu", r"renvo[iy]", r"\bremettre", r"\bremise\b", r"hand (?:back|over)", r"\bexport", r"récupér", r"retourner")


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
                _p(r"third countr", r"international organi[sz]ation", r"pays tiers", r"organisation internationale", r"outside (?:of )?(?:the )?(?:EEA|European Economic Area|EU\b|European Union)", r"hors (?:de )?(?:l'|la )?(?:UE|EEE|Union)"),
                _p(r"instruction"),
            ),
            element(
                "legal_requirement", N_("information of a legal requirement to process otherwise"),
                _p(r"\bunless\b", r"\bsauf\b", r"à moins", r"except where", r"except (?:as|to the extent)", r"where required", r"lorsqu'il y est tenu", r"if required"),
                _p(r"\blaw", r"\bdroit\b", r"légal", r"juridique", r"\bloi\b", r"législation", r"legal"),
                _p(r"\binform", r"\bnotif", r"\badvise", r"avis", r"prévien"),
            ),
        ),
        required=("documented_instructions", "transfer_instructions", "legal_requirement"),
        contradictions=(
            (
                _p(r"(?:may|can|shall be entitled|is entitled|reserves? the right|peut|pourra|se réserve|est autorisé)"),
                _p(
                    r"for (?:its|their|our) own (?:business |legitimate |commercial )?purposes", r"to (?:improve|develop|train|enhance)\b[^.;]{0,50}(?:services|products|models|offerings)",
                    r"(?:à|pour) (?:ses|leurs|nos) propres (?:fins|besoins|finalités)", r"améliorer (?:ses|nos|leurs) (?:services|produits|modèles)", r"pour son propre compte",
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
                _p(r"personnel", r"employees", r"\bstaff", r"\bpersons?\b", r"individuals", r"agents", r"contractors", r"collaborateurs", r"salariés", r"employés", r"personnes", r"préposés"),
                _p(r"confidential", r"confidentialit", r"secret professionnel", r"discrétion"),
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
                _p(r"article\s*32", r"art\.\s*32", r"technical and organi[sz]ational (?:security )?measures", r"mesures (?:de sécurité )?techniques et organisationnelles", r"\bTOMs?\b", r"organi[sz]ational and technical (?:security )?measures"),
                _p(r"secur", r"sécurit", r"protect", r"\bappropri", r"implement", r"(?:mettre|met|mettra|mis|mise) en (?:œuvre|oeuvre|place)", r"article\s*32", r"art\.\s*32", r"maintain", r"confidential", r"integrity", r"intégrité", r"\brisk", r"\brisque"),
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
                SUB,
                _p(r"authori[sz]", r"\bconsent", r"\bapprov", r"autoris", r"accord (?:préalable|écrit)", r"agrément", r"\bagrees? (?:to|that)"),
            ),
            element(
                "change_notice", N_("notice of intended changes"),
                SUB,
                _p(r"\bnotif", r"\binform", r"\bnotice", r"\bavis", r"prévenir", r"préavis", r"informer", r"informera", r"\bpublish", r"\bpost", r"update"),
                _p(r"\bchange", r"\bnew\b", r"addition", r"\badd", r"replac", r"intended", r"nouveau", r"nouvel", r"\bajout", r"remplacement", r"envisag", r"modification"),
            ),
            element(
                "objection", N_("the controller's right to object"),
                SUB,
                _p(r"\bobject(?:s|ion|ions|ing)?\b", r"s'opposer", r"opposition", r"objections?"),
            ),
            element(
                "flow_down", N_("the same obligations imposed on each sub-processor"),
                SUB,
                _p(
                    r"same (?:data protection )?obligations", r"(?:the same|equivalent|similar|substantially similar|no less (?:protective|onerous|stringent)|at least (?:as|equivalent))\b[^.;]{0,80}(?:obligations|terms|protection|restrictions)",
                    r"(?:obligations|terms)\b[^.;]{0,60}(?:no less (?:protective|onerous|stringent)|at least as (?:protective|stringent)|equivalent to|substantially similar)",
                    r"mêmes obligations", r"obligations (?:équivalentes|similaires|identiques)", r"au moins (?:aussi|équivalent)", r"(?:impose|bind|require)[^.;]{0,80}(?:obligations|written (?:agreement|contract))", r"impos\w*[^.;]{0,80}(?:obligations|contrat)", r"flow[- ]down",
                ),
            ),
            element(
                "liability", N_("the processor remains fully liable"),
                SUB,
                _p(r"(?:remain|remains|stay|stays|shall be|will be|is)\s+(?:fully\s+)?(?:liable|responsible)", r"pleinement responsable", r"(?:demeure|reste|restera|demeurera)\s+(?:pleinement\s+|entièrement\s+)?responsable", r"responsible for (?:the )?(?:acts|omissions|performance)", r"liable for (?:the )?(?:acts|omissions|performance)"),
            ),
        ),
        required=("authorisation", "change_notice", "objection", "flow_down", "liability"),
        contradictions=(
            (
                SUB,
                _p(r"without (?:any )?(?:prior )?(?:notice|notification|consent|authori[sz]ation|informing)", r"sans (?:préavis|information|en informer|autorisation|accord|notification|l'accord)", r"(?:no|not have any|not have a|not be entitled to a) right to object", r"ne (?:pourra|peut|saurait) (?:pas )?s'opposer", r"aucun droit d'(?:objection|opposition)", r"(?:shall|will|may) not object", r"libre de recourir"),
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
                    r"(?:termination|expiry) (?:or expiry )?of (?:this|the)", r"clos(?:e|es|ing|ure of) (?:your |the |its )?account", r"account (?:closure|deletion)", r"clôture (?:du|de votre) compte", r"on (?:expiry|termination)",
                ),
                _p(DELETE.pattern, RETURN.pattern),
            ),
            element("deletion", N_("deletion of the data"), DELETE, DATA, negatable=True),
            element("return", N_("return of the data"), RETURN, DATA, negatable=True),
            element(
                "controller_choice", N_("at the controller's choice"),
                _p(
                    r"(?:choice|option|election|discretion|request|instructions?|direction) of (?:the )?(?:controller|customer|client|data exporter)",
                    r"(?:controller|customer|client|data exporter)(?:'s|’s) (?:choice|option|election|discretion|request|written request|instructions?|direction)",
                    r"as (?:the )?(?:controller|customer|client) (?:may )?(?:elect|choose|instruct|decide)",
                    r"(?:controller|customer|client)\b[^.;]{0,25}(?:may|can|shall)\b[^.;]{0,15}(?:request|ask|elect|choose|decide|instruct)",
                    r"au choix (?:du|de l')", r"selon (?:le choix|les instructions)", r"sur (?:instruction|demande) (?:du|de l'|écrite du)", r"à la demande (?:du|de l')", r"(?:le client|le responsable)\b[^.;]{0,25}(?:peut|pourra)\b[^.;]{0,15}(?:demander|choisir|décider)",
                    r"(?:choisit|choisira|décide|indique) (?:s'il|si les)",
                ),
                _p(DELETE.pattern, RETURN.pattern),
            ),
            element("copies", N_("deletion of existing copies"), _p(r"\bcopies\b", r"\bcopies?\b", r"duplicat"), DELETE),
        ),
        required=("end_of_services", "deletion", "return", "controller_choice"),
        contradictions=(
            (
                _p(r"\bretain", r"\bkeep", r"\bstore", r"\bconserv", r"\bgarder"),
                _p(r"as long as (?:it (?:is |deems )?)?(?:necessary|needed|useful)", r"indefinitely", r"for (?:its|our) own (?:business |legitimate )?purposes", r"durée indéterminée", r"à ses propres fins", r"pour ses (?:propres )?besoins", r"aussi longtemps qu'(?:il|elle) le (?:juge|estime)", r"sans limitation de durée", r"(?:product|service) improvement", r"amélioration de ses services"),
                DATA,
            ),
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
                    r"\bno (?:on-?site )?(?:audits?|inspections?)", r"aucun (?:audit|contrôle)", r"ne (?:pourra|peut) (?:pas )?(?:procéder|réaliser|effectuer|demander)\b[^.;]{0,40}(?:audit|contrôle)",
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
                _p(r"unable to", r"cannot", r"can not", r"not able to", r"impossib", r"n'est pas en mesure", r"ne (?:peut|pourra) pas", r"dans l'impossibilité", r"n'(?:est|était) plus en mesure"),
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


def matches(groups: tuple[Pattern, ...], text: str) -> bool:
    return all(group.search(text) for group in groups)


def element_matches(element: Element, text: str) -> bool:
    if not matches(element.groups, text):
        return False
    if element.negatable:
        return any(
            not NEGATION.search(text[max(0, match.start() - 25) : match.start()])
            for match in element.groups[0].finditer(text)
        )
    return True


def contradicts(groups: tuple[Pattern, ...], text: str) -> bool:
    """All groups match and the phrase (the second group) is not itself negated
    ("shall not retain ... indefinitely", "shall not engage a sub-processor without authorisation")."""
    if not matches(groups, text):
        return False
    phrase = groups[1].search(text)
    window = text[max(0, phrase.start() - 45) : phrase.start()]
    return not NEGATION.search(window)
