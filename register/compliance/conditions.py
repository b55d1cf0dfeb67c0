"""The procurement verdict in plain words: findings grouped into a few
conditions a non-lawyer can act on, and unanswered facts asked as questions.

A candidate tool typically raises twenty findings, fourteen of them "Art. 28
clause not checked". The person who asked for the tool needs three to five
lines: what must happen, and who does it. So:

- every finding code belongs to one *condition group* (:data:`GROUPS`): the
  group's lead sentence says what to do, each code adds one plain part
  ("the Art. 28 clauses", "the breach-notification deadline"), a part is said
  once however many findings share it;
- a finding about a fact nobody recorded (:func:`is_question`) is an *open
  question* ("does the tool let recipients opt out?"), never a condition nor
  a reason to refuse: the form did not ask it, or the requester did not know;
- a code no group knows (a rule added later) still shows, under "the DPO also
  reviews", with its catalogue title.

Pure functions of findings, the candidate and its transfer routes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from babel.lists import format_list

from register.compliance.model import Finding, Localised, Processor
from register.compliance.results import Condition, OpenQuestion, TransferRoute
from register.vocabulary import Severity

BLOCKING = "blocking"  # must change before the tool can be considered at all
BEFORE_GO_LIVE = "before_go_live"
FIRST_REVIEW = "first_review"
_URGENT = frozenset({Severity.CRITICAL, Severity.HIGH})
_LIST_LOCALES = {"en": "en_GB", "fr": "fr_FR"}


@dataclass(frozen=True, slots=True)
class Group:
    """One plain condition: a lead sentence and the part each code adds.

    ``lead`` may hold ``{countries}``: the non-EEA countries concerned, in
    brackets (empty when none is known). A part of ``None`` adds nothing.
    """

    key: str
    lead: Localised
    parts: Mapping[str, Localised | None]


def _l(en: str, fr: str) -> Localised:
    return Localised(en=en, fr=fr)


_NO_PART = None
_DPA_CLAUSES = _l("the mandatory Art. 28 clauses", "les clauses obligatoires de l'article 28")
_BREACH = _l("the deadline to report a data breach", "le délai de notification des violations de données")
_SUB_PROCESSORS = _l(
    "the authorisation and obligations of its own sub-processors",
    "l'autorisation et les engagements de ses propres sous-traitants",
)
_TIA = _l("a transfer impact assessment", "une analyse d'impact des transferts de données")
_SCC_MODULE = _l(
    "the right module of the standard contractual clauses",
    "le bon module des clauses contractuelles types",
)
_REVIEW = _l("the date of the next review", "la date de la prochaine revue")

GROUPS: tuple[Group, ...] = (
    Group(
        "transfer_without_safeguard",
        _l(
            "Data would leave the European Economic Area with no valid safeguard{countries}",
            "Des données partiraient hors de l'Espace économique européen sans garantie valable{countries}",
        ),
        {
            "TRANSFER_NO_SAFEGUARD": _l(
                "sign the 2021 standard contractual clauses, or host the data in the EU",
                "signer les clauses contractuelles types de 2021, ou héberger les données dans l'UE",
            ),
            "TRANSFER_TOOL_NOT_SIGNED": _l(
                "have the transfer clauses offered signed before any data is sent",
                "faire signer les clauses de transfert proposées avant tout envoi de données",
            ),
            "SCC_OUTDATED": _l(
                "replace the old (pre-2021) standard contractual clauses with the 2021 ones",
                "remplacer les anciennes clauses contractuelles types (antérieures à 2021) par celles de 2021",
            ),
            "TRANSFER_COUNTRY_UNKNOWN": _l("correct the unrecognised country", "corriger le pays non reconnu"),
        },
    ),
    Group(
        "b2c_consent",
        _l(
            "Marketing to individuals without their prior consent is not allowed: collect it first",
            "La prospection de particuliers sans leur accord préalable est interdite\u00a0: le recueillir d'abord",
        ),
        {"B2C_PROSPECTION_WITHOUT_CONSENT": _NO_PART},
    ),
    Group(
        "sensitive_data",
        _l(
            "Sensitive data (health, opinions…) needs specific safeguards, set by the DPO before any use",
            "Les données sensibles (santé, opinions…) demandent des garanties particulières, "
            "fixées par le DPO avant tout usage",
        ),
        {"SENSITIVE_DATA_NO_SAFEGUARD": _NO_PART},
    ),
    Group(
        "sign_dpa",
        _l(
            "Sign a data processing agreement (DPA) with the vendor before go-live",
            "Signer avec le fournisseur un contrat de sous-traitance (DPA) avant la mise en service",
        ),
        {"DPA_MISSING": _NO_PART, "DPA_EXPIRED": _NO_PART},
    ),
    Group(
        "check_dpa",
        _l("The DPO checks the vendor's DPA", "Le DPO vérifie le contrat de sous-traitance (DPA) du fournisseur"),
        {
            "DPA_CLAUSE_MISSING": _DPA_CLAUSES,
            "DPA_CLAUSE_UNASSESSED": _DPA_CLAUSES,
            "DPA_CLAUSE_PARTIAL": _DPA_CLAUSES,
            "BREACH_NOTICE_UNDEFINED": _BREACH,
            "BREACH_NOTICE_TOO_LONG": _BREACH,
            "SUBPROCESSOR_AUTHORISATION_MISSING": _SUB_PROCESSORS,
            "SUBPROCESSOR_FLOWDOWN_MISSING": _SUB_PROCESSORS,
            "SUBPROCESSOR_FLOWDOWN_UNKNOWN": _SUB_PROCESSORS,
        },
    ),
    Group(
        "document_transfers",
        _l(
            "The DPO documents the transfers outside the European Economic Area{countries}",
            "Le DPO documente les transferts hors de l'Espace économique européen{countries}",
        ),
        {
            "TIA_MISSING": _TIA,
            "TIA_STALE": _TIA,
            "SCC_WRONG_MODULE": _SCC_MODULE,
            "SCC_MODULE_UNKNOWN": _SCC_MODULE,
            "DEROGATION_USED": _l(
                "a lasting transfer tool instead of an Art. 49 derogation",
                "un outil de transfert durable au lieu d'une dérogation de l'article 49",
            ),
            "TRANSFER_US_DPF_UNVERIFIED": _l(
                "a check of the Data Privacy Framework certification",
                "la vérification de la certification au Data Privacy Framework",
            ),
        },
    ),
    Group(
        "prospection",
        _l("For marketing messages", "Pour la prospection"),
        {
            "OPT_OUT_MISSING": _l(
                "every message offers a simple, free way to opt out",
                "chaque message offre un moyen simple et gratuit de se désinscrire",
            ),
            "SOURCE_INFORMATION_MISSING": _l(
                "people are told where their data comes from at the first contact",
                "les personnes sont informées de l'origine de leurs données dès le premier contact",
            ),
            "PROSPECT_RETENTION_EXCEEDS_CNIL": _l(
                "prospects' data is deleted at the latest 3 years after the last contact",
                "les données des prospects sont supprimées au plus tard 3 ans après le dernier contact",
            ),
        },
    ),
    Group(
        "complete_record",
        _l("The DPO completes the tool's record", "Le DPO complète la fiche de l'outil"),
        {
            "RETENTION_UNLIMITED": _l("how long the data is kept", "la durée de conservation des données"),
            "SECURITY_MEASURES_UNDOCUMENTED": _l(
                "the vendor's security measures", "les mesures de sécurité du fournisseur"
            ),
            "REVIEW_UNSCHEDULED": _REVIEW,
            "REVIEW_OVERDUE": _REVIEW,
        },
    ),
)
OTHER = Group("other", _l("The DPO also reviews", "Le DPO examine aussi"), {})
_GROUP_OF: dict[str, Group] = {code: group for group in GROUPS for code in group.parts}

# Facts nobody recorded: asked, never answered "no" in the requester's place.
QUESTIONS: Mapping[str, Localised] = {
    "PROSPECTION_USE_UNKNOWN": _l(
        "Will the tool be used for marketing, to businesses (B2B) or to individuals (B2C)?",
        "L'outil servira-t-il à de la prospection commerciale, auprès d'entreprises (B2B) "
        "ou de particuliers (B2C)\u00a0?",
    ),
    "OPT_OUT_MISSING": _l(
        "Does the tool let recipients opt out, simply and free of charge?",
        "L'outil permet-il aux destinataires de se désinscrire, simplement et gratuitement\u00a0?",
    ),
    "B2C_PROSPECTION_WITHOUT_CONSENT": _l(
        "Have the individuals agreed beforehand to receive these messages?",
        "Les particuliers ont-ils accepté au préalable de recevoir ces messages\u00a0?",
    ),
    "INDIRECT_COLLECTION_UNKNOWN": _l(
        "Does the data come from anywhere other than the people themselves (bought lists, partners)?",
        "Les données viennent-elles d'ailleurs que des personnes elles-mêmes (fichiers achetés, partenaires)\u00a0?",
    ),
    "SOURCE_INFORMATION_MISSING": _l(
        "Are people told where their data comes from at the first contact?",
        "Les personnes sont-elles informées de l'origine de leurs données dès le premier contact\u00a0?",
    ),
    "SPECIAL_CATEGORY_UNKNOWN": _l(
        "Will the tool hold sensitive data (health, opinions, biometrics…)?",
        "L'outil contiendra-t-il des données sensibles (santé, opinions, biométrie…)\u00a0?",
    ),
    "TRANSFER_LOCATIONS_UNKNOWN": _l(
        "In which countries will the data be hosted or accessed?",
        "Dans quels pays les données seront-elles hébergées ou consultées\u00a0?",
    ),
    "DPF_STATUS_UNKNOWN": _l(
        "Is the US recipient certified under the Data Privacy Framework?",
        "Le destinataire américain est-il certifié au Data Privacy Framework\u00a0?",
    ),
    "PIPEDA_SCOPE_UNKNOWN": _l(
        "Is the Canadian recipient subject to PIPEDA (Canada's private-sector privacy law)?",
        "Le destinataire canadien est-il soumis à la PIPEDA (loi canadienne sur la protection des "
        "renseignements personnels)\u00a0?",
    ),
}
# Findings that are questions only when the fact they test was not recorded
# (a recorded "no" is a real condition, or a reason to refuse).
_ANSWER_OF: Mapping[str, str] = {
    "OPT_OUT_MISSING": "opt_out_offered",
    "B2C_PROSPECTION_WITHOUT_CONSENT": "prior_consent_collected",
    "SOURCE_INFORMATION_MISSING": "source_disclosed",
}


def is_question(finding: Finding, candidate: Processor) -> bool:
    """True when the finding only says that a fact is not known."""
    if finding.code in _ANSWER_OF:
        return getattr(candidate, _ANSWER_OF[finding.code]) is None
    if finding.code in QUESTIONS:
        return True
    return finding.code.endswith("_UNKNOWN") and finding.code not in _GROUP_OF


def open_questions(findings: Iterable[Finding], candidate: Processor) -> tuple[OpenQuestion, ...]:
    """One question per unknown fact, in the order the findings raise them."""
    asked: dict[str, OpenQuestion] = {}
    for finding in findings:
        if not is_question(finding, candidate) or finding.code in asked:
            continue
        text = QUESTIONS.get(finding.code) or _l(
            f"To find out: {finding.title.en}", f"À vérifier\u00a0: {finding.title.fr}"
        )
        asked[finding.code] = OpenQuestion(key=finding.code.lower(), text=text, codes=(finding.code,))
    return tuple(asked.values())


def _joined(parts: Sequence[str], language: str) -> str:
    return format_list(list(parts), locale=_LIST_LOCALES[language])


def _countries(routes: Iterable[TransferRoute], language: str) -> str:
    names = list(dict.fromkeys(r.country_name.in_language(language) for r in routes if r.country))
    return f" ({_joined(names, language)})" if names else ""


def _outside_eea(routes: Iterable[TransferRoute], *, uncovered_only: bool) -> list[TransferRoute]:
    return [
        r for r in routes
        if r.basis not in ("eea", "adequacy") and (not uncovered_only or not r.covered)
    ]


def _when(findings: Sequence[Finding], blocking_codes: frozenset[str]) -> str:
    if any(f.code in blocking_codes for f in findings):
        return BLOCKING
    if any(f.severity in _URGENT for f in findings):
        return BEFORE_GO_LIVE
    return FIRST_REVIEW


def _sentence(group: Group, findings: Sequence[Finding], routes: Sequence[TransferRoute], language: str) -> str:
    concerned = _outside_eea(routes, uncovered_only=group.key == "transfer_without_safeguard")
    lead = group.lead.in_language(language).format(countries=_countries(concerned, language))
    if group is OTHER:
        parts = [f.title.in_language(language) for f in findings]
    else:
        order = list(group.parts)
        ordered = sorted(findings, key=lambda f: order.index(f.code))
        parts = [part.in_language(language) for f in ordered if (part := group.parts[f.code]) is not None]
    parts = list(dict.fromkeys(parts))
    if not parts:
        return f"{lead}."
    colon = "\u00a0: " if language == "fr" else ": "
    return f"{lead}{colon}{_joined(parts, language)}."


ORDER = {BLOCKING: 0, BEFORE_GO_LIVE: 1, FIRST_REVIEW: 2}


def plain_conditions(
    findings: Iterable[Finding],
    routes: Sequence[TransferRoute],
    blocking_codes: frozenset[str],
) -> tuple[Condition, ...]:
    """The findings (questions already set aside) as a few plain conditions,
    blocking ones first, then those before go-live, then by the first review."""
    by_group: dict[str, list[Finding]] = {}
    groups = {group.key: group for group in (*GROUPS, OTHER)}
    for finding in findings:
        by_group.setdefault(_GROUP_OF.get(finding.code, OTHER).key, []).append(finding)
    conditions = [
        Condition(
            key=key,
            when=_when(members, blocking_codes),
            text=Localised(
                en=_sentence(groups[key], members, routes, "en"),
                fr=_sentence(groups[key], members, routes, "fr"),
            ),
            codes=tuple(dict.fromkeys(f.code for f in members)),
            findings=len(members),
        )
        for key, members in sorted(by_group.items(), key=lambda item: list(groups).index(item[0]))
    ]
    return tuple(sorted(conditions, key=lambda c: ORDER[c.when]))


def _count(n: int, word: str) -> str:
    """"1 condition", "3 questions" (the same words in English and French)."""
    return f"{n} {word}{'s' if n > 1 else ''}"


def headline(decision: str, conditions: Sequence[Condition], questions: Sequence[OpenQuestion]) -> Localised:
    """What to do, in one line."""
    if decision == "approve":
        return _l("Go: the tool can be used.", "Feu vert\u00a0: l'outil peut être utilisé.")
    if decision == "reject":
        n = sum(1 for c in conditions if c.when == BLOCKING)
        plural = "s" if n > 1 else ""
        return _l(
            f"No-go: the tool cannot be used as it stands ({n} blocking point{plural}).",
            f"Refus\u00a0: l'outil ne peut pas être utilisé en l'état ({n} point{plural} bloquant{plural}).",
        )
    c, q = len(conditions), len(questions)
    if c and q:
        return _l(
            f"Go with conditions: answer {_count(q, 'question')} and meet {_count(c, 'condition')}.",
            f"Feu vert sous conditions\u00a0: répondre à {_count(q, 'question')} et remplir {_count(c, 'condition')}.",
        )
    if q:
        return _l(
            f"Go with conditions: first answer {_count(q, 'question')}; the DPO then confirms.",
            f"Feu vert sous conditions\u00a0: répondre d'abord à {_count(q, 'question')}\u00a0; le DPO confirme ensuite.",
        )
    if c == 1:
        return _l(
            "Go with conditions: the tool can be used once the condition is met.",
            "Feu vert sous conditions\u00a0: l'outil peut être utilisé une fois la condition remplie.",
        )
    return _l(
        f"Go with conditions: the tool can be used once the {c} conditions are met.",
        f"Feu vert sous conditions\u00a0: l'outil peut être utilisé une fois les {c} conditions remplies.",
    )
