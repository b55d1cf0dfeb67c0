"""The UI's words in French and English, in one place.

Templates call ``t("key", name=value)``; the language is the session's (set
with the FR/EN switch), or ``?lang=`` on pages shown before signing in, and
French by default. Values of the controlled vocabularies have keys named
after them (``status.approved``, ``mechanism.scc_2021``…). Texts that come
from the compliance core are already in both languages (``loc(text)``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from register.compliance.labels import VOCABULARY_LABELS
from register.reference import load_reference
from register.vocabulary import (
    ClauseStatus,
    LifecycleStatus,
    LocationActivity,
    ProcessorCategory,
    ProcessorRole,
    ProspectionUse,
    Severity,
    SubProcessorAuthorisation,
    TransferMechanism,
    Tristate,
)

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def language_of(request: Any) -> str:
    """The UI language of a request: its session's, else ``?lang=``, else French."""
    if request is None:
        return DEFAULT_LANGUAGE
    session = request.scope.get("auth")
    chosen = getattr(session, "language", None)
    if chosen in LANGUAGES:
        return chosen
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def has_message(key: str) -> bool:
    return key in MESSAGES


def translate(language: str, key: str, **params: Any) -> str:
    """The text of ``key`` in ``language``; a missing key shows as itself (tests list them all)."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts[0] if language == "fr" else texts[1]
    return text.format(**params) if params else text


MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(value: date | None, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    months = MONTHS_FR if language == "fr" else MONTHS_EN
    return f"{value.day} {months[value.month - 1]} {value.year}"


def format_moment(value: datetime | None, language: str) -> str:
    if value is None:
        return ""
    zone = " UTC" if value.utcoffset() is not None and not value.utcoffset() else ""
    return f"{format_day(value, language)} {value:%H:%M}{zone}"


def score_tone(score: int) -> str:
    return "good" if score >= 80 else "fair" if score >= 50 else "poor"


# ------------------------------------------------------------------ template helpers


def _language(context: Context) -> str:
    return language_of(context.get("request"))


@pass_context
def _t(context: Context, key: str, **params: Any) -> str:
    return translate(_language(context), key, **params)


@pass_context
def _lang(context: Context) -> str:
    return _language(context)


@pass_context
def _loc(context: Context, text: Any) -> str:
    """A core text (``Localised``) in the UI language."""
    return text.in_language(_language(context))


@pass_context
def _country(context: Context, code: str | None) -> str:
    return load_reference().country_name(code, _language(context)) if code else ""


@pass_context
def _day(context: Context, value: date | None) -> str:
    return format_day(value, _language(context))


@pass_context
def _when(context: Context, value: datetime | None) -> str:
    return format_moment(value, _language(context))


def install_template_helpers(environment: Environment) -> None:
    """Make the translation helpers available to every template."""
    environment.globals.update(
        t=_t, lang=_lang, loc=_loc, country=_country, day=_day, when=_when, has=has_message, tone=score_tone
    )


# ------------------------------------------------------------------ the texts: key -> (fr, en)

MESSAGES: dict[str, tuple[str, str]] = {
    # application
    "app.name": ("Registre des sous-traitants", "Processor register"),
    "app.short_name": ("Registre RGPD", "GDPR register"),
    "app.footer": (
        "Registre des sous-traitants (art. 28 et 30 RGPD) — logiciel libre",
        "Processor register (GDPR Art. 28 and 30) — open-source software",
    ),
    # navigation
    "nav.skip": ("Aller au contenu", "Skip to content"),
    "nav.organisation": ("Organisation", "Organisation"),
    "nav.choose_organisation": ("Choisir une organisation", "Choose an organisation"),
    "nav.language": ("Langue", "Language"),
    "nav.sections": ("Rubriques", "Sections"),
    "nav.dashboard": ("Tableau de bord", "Dashboard"),
    "nav.processors": ("Sous-traitants", "Processors"),
    "nav.findings": ("Constats", "Findings"),
    "nav.procurement": ("Achats", "Procurement"),
    "nav.documents": ("Documents", "Documents"),
    "nav.audit": ("Journal d'audit", "Audit trail"),
    "nav.members": ("Utilisateurs", "Users"),
    "nav.api": ("API", "API"),
    "nav.breadcrumb": ("Fil d'Ariane", "Breadcrumb"),
    "nav.pagination": ("Pages", "Pages"),
    "nav.previous": ("Précédente", "Previous"),
    "nav.next": ("Suivante", "Next"),
    "nav.page_of": ("Page {page} sur {pages}", "Page {page} of {pages}"),
    # actions
    "action.go": ("Aller", "Go"),
    "action.sign_in": ("Se connecter", "Sign in"),
    "action.sign_out": ("Se déconnecter", "Sign out"),
    "action.home": ("Retour à l'accueil", "Back to the start page"),
    "action.add_processor": ("Ajouter un sous-traitant", "Add a processor"),
    "action.new_request": ("Nouvelle demande d'achat", "New procurement request"),
    "action.submit_request": ("Envoyer la demande", "Submit the request"),
    "action.see_tools": ("Outils déjà au registre", "Tools already in the register"),
    "action.see_processor": ("Voir le sous-traitant", "See the processor"),
    "action.edit": ("Modifier", "Edit"),
    "action.delete": ("Supprimer", "Delete"),
    "action.delete_for_good": ("Supprimer définitivement", "Delete for good"),
    "action.save": ("Enregistrer", "Save"),
    "action.cancel": ("Annuler", "Cancel"),
    "action.filter": ("Filtrer", "Filter"),
    "action.reset": ("Effacer les filtres", "Clear filters"),
    "action.add_location": ("Ajouter un lieu", "Add a location"),
    "action.add_sub_processor": ("Ajouter un sous-traitant ultérieur", "Add a sub-processor"),
    "action.add_safeguard": ("Ajouter un outil de transfert", "Add a transfer tool"),
    "action.add_agreement": ("Saisir le contrat (DPA)", "Record the agreement (DPA)"),
    "action.edit_agreement": ("Modifier le contrat", "Edit the agreement"),
    "action.edit_checklist": ("Évaluer les clauses", "Assess the clauses"),
    "action.memo": ("Note d'analyse", "Review memo"),
    "action.decide": ("Enregistrer la décision", "Record the decision"),
    "action.change_role": ("Changer", "Change"),
    "action.remove": ("Retirer", "Remove"),
    "action.add_member": ("Ajouter", "Add"),
    "action.revoke_tokens": ("Révoquer les jetons d'API", "Revoke API tokens"),
    # confirmations
    "confirm.delete_record": ("Supprimer cet élément ?", "Delete this item?"),
    "confirm.delete_processor": (
        "Supprimer « {name} » du registre, avec ses lieux, sous-traitants ultérieurs, contrat et outils de transfert ? "
        "Le journal d'audit garde la trace de la suppression.",
        "Delete “{name}” from the register, with its locations, sub-processors, agreement and transfer tools? "
        "The audit trail keeps a record of the deletion.",
    ),
    "confirm.revoke_tokens": (
        "Révoquer tous les jetons d'API de ce membre ? Ses scripts et intégrations cesseront de fonctionner.",
        "Revoke all of this member's API tokens? Their scripts and integrations will stop working.",
    ),
    "confirm.remove_member": ("Retirer ce membre de l'organisation ?", "Remove this member from the organisation?"),
    # titles
    "title.organisations": ("Vos organisations", "Your organisations"),
    "title.sign_in": ("Connexion", "Sign in"),
    "title.new_processor": ("Nouveau sous-traitant", "New processor"),
    "title.edit_processor": ("Modifier le sous-traitant", "Edit the processor"),
    "title.delete_processor": ("Supprimer le sous-traitant", "Delete the processor"),
    "title.new_location": ("Nouveau lieu de traitement", "New processing location"),
    "title.edit_location": ("Modifier le lieu de traitement", "Edit the processing location"),
    "title.new_sub_processor": ("Nouveau sous-traitant ultérieur", "New sub-processor"),
    "title.edit_sub_processor": ("Modifier le sous-traitant ultérieur", "Edit the sub-processor"),
    "title.new_safeguard": ("Nouvel outil de transfert", "New transfer tool"),
    "title.edit_safeguard": ("Modifier l'outil de transfert", "Edit the transfer tool"),
    "title.new_agreement": ("Contrat de sous-traitance (DPA)", "Data processing agreement (DPA)"),
    "title.edit_agreement": ("Modifier le contrat (DPA)", "Edit the agreement (DPA)"),
    "title.edit_organisation": ("Coordonnées de l'organisation", "Organisation details"),
    "title.checklist": ("Clauses de l'article 28", "Article 28 checklist"),
    "title.new_request": ("Demande d'achat d'un outil", "Request a new tool"),
    "home.no_organisation": (
        "Vous n'êtes membre d'aucune organisation. Demandez à un administrateur de vous ajouter, "
        "ou chargez la démonstration : register demo.",
        "You are not a member of any organisation yet. Ask an admin to add you, or load the demo: register demo.",
    ),
    # error pages
    "error_page.title_400": ("Demande refusée", "Request refused"),
    "error_page.text_400": ("Les données envoyées ne peuvent pas être utilisées.", "The data sent cannot be used."),
    "error_page.title_403": ("Action non autorisée", "Not allowed"),
    "error_page.text_403": (
        "Votre rôle dans cette organisation ne permet pas cette action.",
        "Your role in this organisation does not allow this action.",
    ),
    "error_page.title_500": ("Erreur interne", "Internal error"),
    "error_page.text_500": (
        "Une erreur imprévue s'est produite ; rien n'a été enregistré. "
        "Si elle se répète, transmettez l'identifiant ci-dessous à votre administrateur.",
        "An unexpected error occurred; nothing was saved. "
        "If it happens again, give the identifier below to your administrator.",
    ),
    "error_page.title_503": ("Service momentanément occupé", "Service busy"),
    "error_page.text_503": (
        "La base de données est occupée ; réessayez dans quelques secondes.",
        "The database is busy; try again in a few seconds.",
    ),
    "error_page.request_id": ("Identifiant de la requête :", "Request id:"),
    "error_page.title_404": ("Page introuvable", "Page not found"),
    "error_page.text_404": (
        "Cette page n'existe pas, ou elle n'est pas dans vos organisations.",
        "This page does not exist, or it is not in your organisations.",
    ),
    "error_page.title_409": ("Modification en conflit", "Conflicting change"),
    "error_page.text_409": (
        "Quelqu'un d'autre a modifié cet élément entre-temps. Rechargez la page et recommencez.",
        "Someone else changed this item in the meantime. Reload the page and try again.",
    ),
    # form messages
    "form.has_errors": ("Le formulaire contient {n} erreur(s) :", "The form has {n} error(s):"),
    "error.required": ("Ce champ est obligatoire.", "This field is required."),
    "error.too_long": ("{n} caractères au plus.", "At most {n} characters."),
    "error.too_small": ("La valeur doit être au moins {n}.", "The value must be at least {n}."),
    "error.too_large": ("La valeur doit être au plus {n}.", "The value must be at most {n}."),
    "error.integer": ("Saisissez un nombre entier.", "Enter a whole number."),
    "error.date": ("Saisissez une date (AAAA-MM-JJ).", "Enter a date (YYYY-MM-DD)."),
    "error.date_order": ("Cette date est antérieure à la date de début.", "This date is before the start date."),
    "error.review_order": (
        "La prochaine revue ne peut pas précéder la dernière revue.",
        "The next review cannot be before the last review.",
    ),
    "error.url": (
        "Saisissez une adresse web complète, commençant par https:// ou http://.",
        "Enter a full web address, starting with https:// or http://.",
    ),
    "error.module_without_scc": (
        "Un module ne s'indique qu'avec des clauses contractuelles types.",
        "A module is only recorded with standard contractual clauses.",
    ),
    "error.nul": (
        "Le texte contient un caractère nul (U+0000), qui ne peut pas être enregistré.",
        "The text contains a NUL character (U+0000), which cannot be stored.",
    ),
    "error.choice": ("Choisissez une valeur de la liste.", "Choose a value from the list."),
    "error.country": (
        "Pays inconnu : choisissez un pays de la liste.",
        "Unknown country: choose a country from the list.",
    ),
    "error.stale": (
        "Quelqu'un d'autre a modifié cet élément entre-temps : rechargez la page, puis refaites votre modification.",
        "Someone else changed this item in the meantime: reload the page, then make your change again.",
    ),
    "error.reasons": ("Donnez les motifs de la décision.", "Give the reasons for the decision."),
    "error.email": ("Saisissez une adresse e-mail.", "Enter an e-mail address."),
    "error.no_account": (
        "Aucun compte avec cette adresse : créez-le d'abord (register createuser).",
        "No account with this address: create it first (register createuser).",
    ),
    "error.last_admin": (
        "L'organisation doit garder au moins un administrateur.",
        "The organisation must keep at least one admin.",
    ),
    # generic values
    "value.yes": ("Oui", "Yes"),
    "value.no": ("Non", "No"),
    "value.unknown": ("Inconnu", "Unknown"),
    "value.none": ("Aucun", "None"),
    "value.not_recorded": ("Non renseigné", "Not recorded"),
    "value.choose_country": ("— Choisir un pays —", "— Choose a country —"),
    "value.none_sub_processor_id": ("Le sous-traitant lui-même", "The processor itself"),
    "value.none_registered_processor_id": ("Pas au registre", "Not in the register"),
    "value.processor_itself": ("Le sous-traitant lui-même", "The processor itself"),
    "value.unknown_country": ("Pays non renseigné", "Country not recorded"),
    "value.covered": ("Couvert", "Covered"),
    "value.not_covered": ("Non couvert", "Not covered"),
    "value.being_negotiated": ("En cours de négociation", "Being negotiated"),
    "value.unlimited": ("Illimitée", "Unlimited"),
    "value.months": ("{n} mois", "{n} months"),
    "value.days": ("{n} jours", "{n} days"),
    "value.hours": ("{n} heures", "{n} hours"),
    "value.not_signed": ("Non signé", "Not signed"),
    "value.checked_on": ("vérifié le {day}", "checked on {day}"),
    # score
    "score.label": ("Score de conformité : {score} sur 100", "Compliance score: {score} out of 100"),
    "score.caption": ("Score / 100", "Score / 100"),
    # dashboard
    "dashboard.as_of": ("Évaluation au {day}", "Assessed as of {day}"),
    "dashboard.summary": ("Synthèse", "Summary"),
    "dashboard.score_text": (
        "100 = aucun constat. Les constats critiques pèsent le plus.",
        "100 = no finding. Critical findings weigh the most.",
    ),
    "dashboard.processors": ("sous-traitants au registre", "processors in the register"),
    "dashboard.findings": ("constats à traiter", "findings to address"),
    "dashboard.pending_requests": ("Demandes d'achat en attente", "Procurement requests waiting"),
    "dashboard.by_severity": ("Constats par gravité", "Findings by severity"),
    "dashboard.see_severity": ("Voir les constats de gravité {severity} ({n})", "See the {severity} findings ({n})"),
    "dashboard.most_at_risk": ("Sous-traitants les plus à risque", "Processors most at risk"),
    "dashboard.priorities": ("À traiter en priorité", "Fix these first"),
    "dashboard.all_findings": ("Tous les constats", "All findings"),
    "dashboard.no_findings": ("Aucun constat : le registre est à jour.", "No finding: the register is up to date."),
    "dashboard.destinations": ("Où vont les données", "Where the data goes"),
    "dashboard.no_transfers": ("Aucun flux enregistré.", "No flow recorded."),
    "dashboard.falling_due": ("Échéances des 90 prochains jours", "Falling due in the next 90 days"),
    "dashboard.nothing_due": ("Rien à échéance dans les 90 jours.", "Nothing falls due in the next 90 days."),
    "dashboard.no_pending": ("Aucune demande en attente.", "No request waiting."),
    "due.review": ("Revue du sous-traitant", "Processor review"),
    "due.agreement_end": ("Fin du contrat (DPA)", "End of the agreement (DPA)"),
    "due.overdue": ("En retard", "Overdue"),
    "review.overdue": ("Revue en retard", "Review overdue"),
    "transfer_status.gap": ("Garantie manquante", "Safeguard missing"),
    "transfer_status.none": ("Garantie manquante", "Safeguard missing"),
    "transfer_status.unknown": ("À préciser", "To be clarified"),
    "transfer_status.safeguard": ("Garanties en place", "Safeguards in place"),
    "transfer_status.derogation": ("Dérogation (art. 49)", "Derogation (Art. 49)"),
    "transfer_status.negotiating": ("En cours de négociation", "Being negotiated"),
    "transfer_status.adequacy": ("Adéquation", "Adequacy"),
    "transfer_status.eea": ("EEE", "EEA"),
    # columns
    "column.country": ("Pays", "Country"),
    "column.processors": ("Sous-traitants", "Processors"),
    "column.processor": ("Sous-traitant", "Processor"),
    "column.flows_covered": ("Flux couverts", "Flows covered"),
    "column.flows_uncovered": ("Flux non couverts", "Flows not covered"),
    "column.safeguard_status": ("Fondement des transferts", "Basis of the transfers"),
    "column.status": ("Statut", "Status"),
    "column.category": ("Catégorie", "Category"),
    "column.countries": ("Pays", "Countries"),
    "column.findings": ("Constats", "Findings"),
    "column.score": ("Score", "Score"),
    "column.next_review": ("Prochaine revue", "Next review"),
    "column.path": ("Chemin", "Path"),
    "column.basis": ("Fondement", "Basis"),
    "column.mechanism": ("Outil de transfert", "Transfer tool"),
    "column.covered": ("Couverture", "Coverage"),
    "column.item": ("Élément (art. 28, § 3)", "Item (Art. 28(3))"),
    "column.actions": ("Actions", "Actions"),
    "column.tool": ("Outil", "Tool"),
    "column.submitted": ("Demandé le", "Submitted"),
    "column.verdict": ("Avis automatique", "Automatic verdict"),
    "column.document": ("Document", "Document"),
    "column.download": ("Télécharger", "Download"),
    "column.when": ("Date", "When"),
    "column.who": ("Qui", "Who"),
    "column.action": ("Action", "Action"),
    "column.what": ("Objet", "What"),
    "column.changes": ("Modifications", "Changes"),
    "column.role": ("Rôle", "Role"),
    # filters and sorting
    "filter.search": ("Rechercher", "Search"),
    "filter.search_placeholder": ("Nom du sous-traitant", "Processor name"),
    "filter.status": ("Statut", "Status"),
    "filter.category": ("Catégorie", "Category"),
    "filter.country": ("Pays", "Country"),
    "filter.severity": ("Gravité des constats", "Severity of findings"),
    "filter.code": ("Type de constat", "Kind of finding"),
    "filter.processor": ("Sous-traitant", "Processor"),
    "filter.sort": ("Trier par", "Sort by"),
    "filter.any": ("Tous", "Any"),
    "filter.all": ("Toutes", "All"),
    "sort.name": ("Nom", "Name"),
    "sort.risk": ("Risque (score le plus bas d'abord)", "Risk (lowest score first)"),
    "sort.status": ("Statut", "Status"),
    "sort.review": ("Prochaine revue", "Next review"),
    # processors
    "processors.filters": ("Filtres des sous-traitants", "Processor filters"),
    "processors.shown": ("{n} sous-traitant(s)", "{n} processor(s)"),
    "processors.empty": ("Aucun sous-traitant au registre pour l'instant.", "No processor in the register yet."),
    "processors.none_match": ("Aucun sous-traitant ne correspond à ces filtres.", "No processor matches these filters."),
    "processors.statuses_intro": (
        "Les outils déjà connus et où ils en sont. Pour un nouvel outil, faites une demande d'achat.",
        "The tools already known and where they stand. For a new tool, submit a procurement request.",
    ),
    # a processor
    "processor.score_text": ("{n} constat(s) sur ce sous-traitant.", "{n} finding(s) on this processor."),
    "processor.documents": ("Documents", "Documents"),
    "processor.findings": ("Constats et actions correctives", "Findings and remediation"),
    "processor.no_findings": ("Aucun constat sur ce sous-traitant.", "No finding on this processor."),
    "processor.transfers": ("Où vont les données", "Where the data goes"),
    "processor.no_transfers": ("Aucun flux enregistré.", "No flow recorded."),
    "processor.record": ("Fiche", "Record"),
    "processor.locations": ("Lieux de traitement", "Processing locations"),
    "processor.no_locations": (
        "Aucun lieu enregistré : le pays du siège est alors retenu.",
        "No location recorded: the headquarters country is used instead.",
    ),
    "processor.sub_processors": ("Sous-traitants ultérieurs", "Sub-processors"),
    "processor.no_sub_processors": ("Aucun sous-traitant ultérieur enregistré.", "No sub-processor recorded."),
    "processor.in_register": ("Fiche au registre", "Its register entry"),
    "processor.agreement": ("Contrat de sous-traitance (DPA)", "Data processing agreement (DPA)"),
    "processor.no_agreement": ("Aucun contrat enregistré.", "No agreement recorded."),
    "processor.checklist": ("Clauses de l'article 28, § 3", "Article 28(3) checklist"),
    "processor.safeguards": ("Outils de transfert", "Transfer tools"),
    "processor.no_safeguards": ("Aucun outil de transfert enregistré.", "No transfer tool recorded."),
    "checklist.intro": (
        "Pour chaque élément exigé par l'article 28, § 3, indiquez s'il figure au contrat, où, et vos remarques.",
        "For each item Article 28(3) requires, say whether the contract covers it, where, and any note.",
    ),
    # findings
    "finding.remediation": ("À faire :", "To do:"),
    "finding.basis": ("Fondement :", "Basis:"),
    "findings.intro": ("Évaluation au {day} — score du registre : {score}/100.", "Assessed as of {day} — register score: {score}/100."),
    "findings.filters": ("Filtres des constats", "Finding filters"),
    "findings.shown": ("{n} constat(s)", "{n} finding(s)"),
    "findings.none": ("Aucun constat ne correspond.", "No finding matches."),
    "fix.clause": ("Évaluer la clause", "Assess the clause"),
    "fix.safeguard": ("Corriger la garantie", "Fix the safeguard"),
    "fix.sub_processor": ("Compléter le sous-traitant ultérieur", "Complete the sub-processor"),
    "fix.location": ("Indiquer où sont les données", "Record where the data is"),
    "fix.transfer": ("Ajouter une garantie de transfert", "Add a transfer safeguard"),
    "fix.agreement": ("Compléter le contrat", "Complete the agreement"),
    "fix.processor": ("Compléter la fiche", "Complete the record"),
    # procurement
    "procurement.home_intro": (
        "Avant d'acheter un outil qui traite des données personnelles, décrivez-le : l'avis s'affiche aussitôt, "
        "puis le DPO décide.",
        "Before buying a tool that handles personal data, describe it: the verdict shows at once, "
        "then the DPO decides.",
    ),
    "procurement.queue_intro": (
        "Les demandes en attente d'abord ; l'avis automatique est recalculé chaque jour sur le registre.",
        "Requests waiting come first; the automatic verdict is recomputed daily against the register.",
    ),
    "procurement.filter": ("Statut des demandes", "Request status"),
    "procurement.none": ("Aucune demande pour l'instant.", "No request yet."),
    "procurement.form_intro": (
        "Pas besoin d'être juriste : répondez avec ce que vous savez, « Non renseigné » si vous ne savez pas. "
        "L'avis s'affiche dès l'envoi.",
        "No need to be a lawyer: answer with what you know, “Not recorded” when you don't. "
        "The verdict shows as soon as you submit.",
    ),
    "procurement.submitted_by": ("Demandé par {who} le {day}", "Submitted by {who} on {day}"),
    "procurement.verdict": ("Avis", "Verdict"),
    "procurement.blocking": ("Points bloquants", "Blocking points"),
    "procurement.conditions": ("Conditions", "Conditions"),
    "procurement.the_tool": ("L'outil", "The tool"),
    "procurement.decision": ("Décision du DPO", "The DPO's decision"),
    "procurement.decided_by": ("par {who} le {day}", "by {who} on {day}"),
    "procurement.see_in_register": ("Voir l'outil au registre", "See the tool in the register"),
    "procurement.awaiting_dpo": ("En attente de la décision du DPO.", "Waiting for the DPO's decision."),
    "verdict.approve": ("Feu vert", "Go"),
    "verdict.approve_with_conditions": ("Feu vert sous conditions", "Go with conditions"),
    "verdict.reject": ("Refus", "No-go"),
    "request_status.pending": ("En attente", "Pending"),
    "request_status.approved": ("Approuvée", "Approved"),
    "request_status.approved_with_conditions": ("Approuvée sous conditions", "Approved with conditions"),
    "request_status.rejected": ("Refusée", "Rejected"),
    "data_kind.identity": ("Identité (nom, prénom)", "Identity (name)"),
    "data_kind.contact": ("Coordonnées (e-mail, téléphone, adresse)", "Contact details (e-mail, phone, address)"),
    "data_kind.professional": ("Vie professionnelle (poste, entreprise)", "Professional details (job, company)"),
    "data_kind.financial": ("Données bancaires ou de paiement", "Bank or payment data"),
    "data_kind.online": ("Identifiants en ligne (cookies, adresse IP)", "Online identifiers (cookies, IP address)"),
    "data_kind.location": ("Localisation", "Location"),
    "data_kind.usage": ("Usage d'un service (historique, préférences)", "Service usage (history, preferences)"),
    "people.customers": ("Clients", "Customers"),
    "people.prospects": ("Prospects", "Prospects"),
    "people.employees": ("Salariés", "Employees"),
    "people.candidates": ("Candidats à l'embauche", "Job applicants"),
    "people.suppliers": ("Fournisseurs", "Suppliers"),
    "people.visitors": ("Visiteurs du site web", "Website visitors"),
    "dpa_answer.offered": ("Oui, le fournisseur propose un contrat (DPA)", "Yes, the vendor offers an agreement (DPA)"),
    "dpa_answer.none": ("Non", "No"),
    "dpa_answer.unknown": ("Je ne sais pas", "I don't know"),
    "dpa_answer.none_or_unknown": ("Pas de contrat connu", "No agreement known"),
    # documents
    "documents.intro": (
        "Chaque document est produit à la demande, à partir du registre tel qu'il est aujourd'hui, "
        "évalué à la date de situation choisie (aujourd'hui par défaut).",
        "Each document is built on demand from the register as it stands today, assessed as of the "
        "date chosen (today by default).",
    ),
    "documents.register": ("Registre", "Register"),
    "documents.apply_as_of": ("Appliquer la date", "Apply the date"),
    "documents.as_of_chosen": (
        "Les documents ci-dessous sont évalués au {day}.",
        "The documents below are assessed as of {day}.",
    ),
    "documents.by_processor": ("Par sous-traitant", "By processor"),
    "documents.dpa_notes_text": (
        "Le projet de DPA est destiné au fournisseur ; les notes de relecture (informations à compléter, transferts, constats) restent internes. Les annexes I et IV reprennent les adresses et personnes de contact enregistrées.",
        "The DPA draft is for the vendor; the reviewer's notes (facts to complete, transfers, findings) stay internal. Annexes I and IV use the recorded addresses and contact persons.",
    ),
    "documents.memos": ("Notes d'analyse des demandes d'achat", "Procurement review memos"),
    "documents.in_french": ("Français", "French"),
    "documents.in_english": ("Anglais", "English"),
    "document.gap_report": ("Rapport d'écarts (.docx)", "Gap report (.docx)"),
    "document.gap_report_text": (
        "Score, constats par sous-traitant, plan d'actions, sources.",
        "Score, findings by processor, remediation plan, sources.",
    ),
    "document.extract_docx": ("Extrait du registre (.docx)", "Register extract (.docx)"),
    "document.extract_docx_text": (
        "Destinataires et transferts (art. 30), pour un contrôle.",
        "Recipients and transfers (Art. 30), for an inspection.",
    ),
    "document.extract_xlsx": ("Extrait du registre (.xlsx)", "Register extract (.xlsx)"),
    "document.extract_xlsx_text": (
        "Sous-traitants, sous-traitants ultérieurs et transferts en tableur.",
        "Processors, sub-processors and transfers as a spreadsheet.",
    ),
    "document.extract_csv": ("Extrait du registre (.csv)", "Register extract (.csv)"),
    "document.extract_csv_text": ("Les sous-traitants, une ligne chacun.", "The processors, one row each."),
    "document.dpa_draft": ("Projet de DPA", "DPA draft"),
    "document.dpa_review_notes": ("Notes de relecture du DPA", "DPA reviewer's notes"),
    "document.processor_gap_report": ("Rapport d'écarts", "Gap report"),
    # audit trail
    "audit.intro": (
        "Chaque modification du registre, par qui et quand ; rien ne peut en être effacé.",
        "Every change to the register, by whom and when; nothing can be erased from it.",
    ),
    "audit.none": ("Aucun événement.", "No event."),
    "audit.fields_changed": ("{n} champ(s)", "{n} field(s)"),
    "audit_action.create": ("Création", "Created"),
    "audit_action.update": ("Modification", "Updated"),
    "audit_action.delete": ("Suppression", "Deleted"),
    "audit_action.import": ("Import", "Imported"),
    "entity.organisation": ("Organisation", "Organisation"),
    "entity.processor": ("Sous-traitant", "Processor"),
    "entity.location": ("Lieu de traitement", "Processing location"),
    "entity.sub_processor": ("Sous-traitant ultérieur", "Sub-processor"),
    "entity.agreement": ("Contrat (DPA)", "Agreement (DPA)"),
    "entity.clause_assessment": ("Clause de l'art. 28", "Art. 28 clause"),
    "entity.safeguard": ("Outil de transfert", "Transfer tool"),
    "entity.procurement_request": ("Demande d'achat", "Procurement request"),
    "entity.membership": ("Membre", "Member"),
    # members
    "members.intro": (
        "Qui a accès à cette organisation, et avec quel rôle.",
        "Who has access to this organisation, and with which role.",
    ),
    "members.tokens_revoked": ("Jetons d'API révoqués : {count}.", "API tokens revoked: {count}."),
    "members.inactive": ("désactivé", "deactivated"),
    "members.add": ("Ajouter un membre", "Add a member"),
    "members.add_intro": (
        "Sans compte à cette adresse, un compte est créé avec un mot de passe provisoire ; "
        "déjà membre, la personne change de rôle.",
        "With no account at this address, one is created with a temporary password; "
        "a member already gets the new role.",
    ),
    "members.account_created": (
        "Compte créé pour {email}. Mot de passe provisoire, affiché cette seule fois : "
        "transmettez-le par un canal sûr ; la personne le changera après sa première connexion.",
        "Account created for {email}. Temporary password, shown this once only: pass it on "
        "through a safe channel; they will change it after signing in.",
    ),
    "account.password_title": ("Changer mon mot de passe", "Change my password"),
    "account.password_changed": (
        "Votre mot de passe a été changé. Vos autres sessions ont été fermées : "
        "reconnectez-vous avec le nouveau mot de passe sur vos autres appareils.",
        "Your password has been changed. Your other sessions have been signed out: "
        "sign in again with the new password on your other devices.",
    ),
    "field.current_password": ("Mot de passe actuel", "Current password"),
    "field.new_password": ("Nouveau mot de passe (10 caractères au moins)", "New password (at least 10 characters)"),
    "field.new_password_again": ("Nouveau mot de passe, à nouveau", "New password, again"),
    "error.wrong_password": ("Ce n'est pas votre mot de passe actuel.", "This is not your current password."),
    "error.passwords_differ": ("Les deux saisies diffèrent.", "The two entries differ."),
    "error.password_too_short": ("10 caractères au moins.", "At least 10 characters."),
    "member_role.admin": ("Administrateur", "Admin"),
    "member_role.dpo": ("DPO", "DPO"),
    "member_role.procurement": ("Achats", "Procurement"),
    "member_role.auditor": ("Auditeur", "Auditor"),
    # fieldsets
    "legend.identity": ("Identité", "Identity"),
    "legend.data": ("Données traitées", "Data processed"),
    "legend.prospection": ("Prospection et collecte", "Prospection and collection"),
    "legend.retention_security": ("Conservation et sécurité", "Retention and security"),
    "legend.transfer_facts": ("Transferts (DPF, Canada)", "Transfers (DPF, Canada)"),
    "legend.reviews": ("Revues", "Reviews"),
    "legend.location": ("Lieu de traitement", "Processing location"),
    "legend.sub_processor": ("Sous-traitant ultérieur", "Sub-processor"),
    "legend.agreement": ("Contrat (DPA)", "Agreement (DPA)"),
    "legend.safeguard": ("Outil de transfert", "Transfer tool"),
    "legend.address_contact": ("Adresse et personne de contact", "Address and contact person"),
    "legend.scc_options": (
        "Options des clauses (UE) 2021/915 et mesures d'assistance (annexe III)",
        "Options of the (EU) 2021/915 clauses and assistance measures (Annex III)",
    ),
    "legend.organisation": ("Organisation", "Organisation"),
    "legend.tool": ("L'outil", "The tool"),
    "legend.request_data": ("Les données", "The data"),
    "legend.vendor": ("Le fournisseur", "The vendor"),
    "legend.contract": ("Le contrat", "The contract"),
    # fields
    "field.email": ("Adresse e-mail", "E-mail address"),
    "field.password": ("Mot de passe", "Password"),
    "field.legal_name": ("Raison sociale", "Legal name"),
    "field.trade_name": ("Nom commercial", "Trade name"),
    "field.website": ("Site web", "Website"),
    "field.category": ("Catégorie", "Category"),
    "field.role": ("Rôle du prestataire", "Vendor's role"),
    "field.status": ("Statut", "Status"),
    "field.headquarters_country": ("Pays du siège", "Headquarters country"),
    "field.service_description": ("Description du service", "Service description"),
    "field.internal_owner": ("Responsable interne", "Internal owner"),
    "field.privacy_contact": ("Contact protection des données", "Privacy contact"),
    "field.certifications": ("Certifications", "Certifications"),
    "field.data_categories": ("Catégories de données", "Data categories"),
    "field.data_subject_categories": ("Catégories de personnes concernées", "Categories of data subjects"),
    "field.purposes": ("Finalités", "Purposes"),
    "field.special_category_data": ("Données sensibles (art. 9)", "Special-category data (Art. 9)"),
    "field.special_categories": ("Lesquelles", "Which ones"),
    "field.special_category_safeguards": ("Garanties pour les données sensibles", "Safeguards for special-category data"),
    "field.prospection_use": ("Usage pour la prospection", "Use for prospection"),
    "field.indirect_collection": ("Collecte indirecte", "Indirect collection"),
    "field.source_disclosed": ("Source indiquée aux personnes", "Source disclosed to data subjects"),
    "field.opt_out_offered": ("Opposition proposée", "Opt-out offered"),
    "field.prior_consent_collected": ("Consentement préalable recueilli", "Prior consent collected"),
    "field.retention_months": ("Durée de conservation (mois)", "Retention (months)"),
    "field.retention_unlimited": ("Conservation illimitée", "Unlimited retention"),
    "field.security_measures": ("Mesures de sécurité", "Security measures"),
    "field.dpf_certified": ("Certifié Data Privacy Framework", "Data Privacy Framework certified"),
    "field.as_of": ("Date de situation", "As of"),
    "hint.as_of": (
        "Les règles sont appliquées à cette date (décisions, échéances, revues) ; vide : aujourd'hui.",
        "The rules are applied as of this date (decisions, deadlines, reviews); empty: today.",
    ),
    "field.dpf_checked_on": ("Certification vérifiée le", "Certification checked on"),
    "field.pipeda_scope": ("Dans le champ de la PIPEDA (Canada)", "Within PIPEDA scope (Canada)"),
    "field.lgpd_scope": ("Dans le champ de la LGPD (Brésil)", "Within the LGPD's scope (Brazil)"),
    "field.last_review_on": ("Dernière revue", "Last review"),
    "field.next_review_on": ("Prochaine revue", "Next review"),
    "field.country": ("Pays", "Country"),
    "field.activity": ("Activité", "Activity"),
    "field.note": ("Remarque", "Note"),
    "field.name": ("Nom", "Name"),
    "field.countries": ("Pays", "Countries"),
    "field.purpose": ("À quoi sert-il ?", "What is it for?"),
    "field.flowdown": ("Obligations répercutées (art. 28, § 4)", "Obligations flowed down (Art. 28(4))"),
    "field.registered_processor_id": ("Fiche au registre", "Register entry"),
    "field.reference": ("Référence du contrat", "Contract reference"),
    "field.signed_on": ("Signé le", "Signed on"),
    "field.effective_on": ("En vigueur le", "Effective on"),
    "field.ends_on": ("Fin le", "Ends on"),
    "field.sub_processor_authorisation": ("Autorisation des sous-traitants ultérieurs", "Sub-processor authorisation"),
    "field.objection_notice_days": (
        "Délai de la clause 7.7 (jours) : préavis (option 2) ou demande d'autorisation (option 1)",
        "Clause 7.7 period (days): notice (Option 2) or authorisation request (Option 1)",
    ),
    "field.address": ("Adresse postale", "Postal address"),
    "field.contact_name": ("Personne de contact", "Contact person"),
    "field.contact_position": ("Fonction de la personne de contact", "Contact person's position"),
    "field.contact_email": ("E-mail de la personne de contact", "Contact person's e-mail"),
    "field.dpo_name": ("Délégué à la protection des données (DPO)", "Data protection officer (DPO)"),
    "field.dpo_email": ("E-mail du DPO", "DPO's e-mail"),
    "field.lead_authority": ("Autorité de contrôle chef de file", "Lead supervisory authority"),
    "field.docking_clause": ("Clause d'adhésion (clause 5) retenue", "Docking clause (Clause 5) included"),
    "field.assistance_measures": (
        "Mesures d'assistance au responsable du traitement (clause 8)",
        "Measures assisting the controller (Clause 8)",
    ),
    "field.breach_assistance_measures": (
        "Éléments à fournir en cas de violation de données (clause 9.2, art. 33 et 34)",
        "Elements to provide on a personal data breach (Clause 9.2, Art. 33 and 34)",
    ),
    "field.breach_notice_hours": ("Délai de notification des violations (heures)", "Breach notice (hours)"),
    "field.governing_law": ("Droit applicable", "Governing law"),
    "field.section": ("Article du contrat", "Contract section"),
    "field.mechanism": ("Outil de transfert", "Transfer tool"),
    "field.sub_processor_id": ("Flux concerné", "Flow concerned"),
    "field.scc_module": ("Module des CCT", "SCC module"),
    "field.tia_on": ("Analyse d'impact (TIA) le", "Transfer impact assessment on"),
    "field.supplementary_measures": ("Mesures supplémentaires", "Supplementary measures"),
    "field.tool_name": ("Nom de l'outil", "Name of the tool"),
    "field.data_kinds": ("Quelles données ?", "What data?"),
    "field.data_other": ("Autres données", "Other data"),
    "field.people": ("Sur qui ?", "About whom?"),
    "field.sensitive": ("Des données de santé, d'opinions, biométriques… ?", "Health, opinions, biometric data…?"),
    "field.vendor_country": ("Pays du fournisseur", "Vendor's country"),
    "field.hosting_country": ("Où sont hébergées les données ?", "Where is the data hosted?"),
    "field.sub_processor_name": ("Principal prestataire du fournisseur (ex. son hébergeur)", "The vendor's main provider (e.g. its host)"),
    "field.sub_processor_countries": ("Pays de ce prestataire", "Countries of that provider"),
    "field.dpa": ("Le fournisseur propose-t-il un contrat de sous-traitance (DPA) ?", "Does the vendor offer a data processing agreement (DPA)?"),
    "field.scc_offered": (
        "Propose-t-il les clauses contractuelles types (CCT) pour les transferts hors Europe ?",
        "Does it offer the standard contractual clauses (SCCs) for transfers outside Europe?",
    ),
    "field.decision": ("Décision", "Decision"),
    "field.reasons": ("Motifs", "Reasons"),
    # hints
    "hint.legal_name": ("Le nom de la société qui signe le contrat.", "The name of the company that signs the contract."),
    "hint.data_categories": ("Une par ligne.", "One per line."),
    "hint.data_subject_categories": ("Une par ligne.", "One per line."),
    "hint.purposes": ("Une par ligne.", "One per line."),
    "hint.certifications": ("Une par ligne (ex. ISO 27001).", "One per line (e.g. ISO 27001)."),
    "hint.dpf_certified": (
        "Compte seulement pour les données aux États-Unis. « Non renseigné » n'est jamais tenu pour couvert.",
        "Counts only for data in the United States. “Not recorded” is never taken as covered.",
    ),
    "hint.pipeda_scope": (
        "Compte seulement pour les données au Canada. « Non renseigné » n'est jamais tenu pour couvert.",
        "Counts only for data in Canada. “Not recorded” is never taken as covered.",
    ),
    "hint.lgpd_scope": (
        "Compte seulement pour les données au Brésil. « Non renseigné » n'est jamais tenu pour couvert.",
        "Counts only for data in Brazil. “Not recorded” is never taken as covered.",
    ),
    "hint.countries": (
        "Plusieurs choix possibles (Ctrl ou ⌘ + clic).",
        "Several choices possible (Ctrl or ⌘ + click).",
    ),
    "hint.sub_processor_countries": (
        "Plusieurs choix possibles (Ctrl ou ⌘ + clic).",
        "Several choices possible (Ctrl or ⌘ + click).",
    ),
    "hint.website": ("Adresse complète, ex. https://www.exemple.fr", "Full address, e.g. https://www.example.com"),
    "hint.sub_processor_id": (
        "Le flux vers le sous-traitant lui-même, ou vers l'un de ses sous-traitants ultérieurs.",
        "The flow to the processor itself, or onward to one of its sub-processors.",
    ),
    "hint.scc_module": (
        "Module 2 vers le sous-traitant ; module 3 vers ses sous-traitants ultérieurs.",
        "Module 2 to the processor; module 3 onward to its sub-processors.",
    ),
    "hint.tia_on": ("À renouveler tous les 12 mois.", "To be renewed every 12 months."),
    "hint.retention_months": ("Laisser vide si inconnue.", "Leave empty if unknown."),
    "hint.registered_processor_id": (
        "Si ce sous-traitant ultérieur est aussi au registre, ses propres transferts sont suivis.",
        "When this sub-processor is also in the register, its own transfers are followed.",
    ),
    "hint.address": ("Une ligne par ligne d'adresse, pays compris.", "One line per address line, country included."),
    "hint.assistance_measures": (
        "Comment le sous-traitant aide à répondre aux demandes des personnes, aux analyses d'impact et à la consultation préalable.",
        "How the processor helps answer data subjects' requests, DPIAs and prior consultation.",
    ),
    "hint.purpose": ("Décrivez l'usage prévu en une ou deux phrases.", "Describe the intended use in a sentence or two."),
    "hint.hosting_country": ("Laissez « Choisir un pays » si vous ne savez pas.", "Leave “Choose a country” if you don't know."),
    "hint.reasons": (
        "Les motifs figurent au journal d'audit et dans la note d'analyse.",
        "The reasons go into the audit trail and the review memo.",
    ),
    # vocabularies
    "module.1": ("Module 1 (responsable → responsable)", "Module 1 (controller → controller)"),
    "module.2": ("Module 2 (responsable → sous-traitant)", "Module 2 (controller → processor)"),
    "module.3": ("Module 3 (sous-traitant → sous-traitant)", "Module 3 (processor → processor)"),
    "module.4": ("Module 4 (sous-traitant → responsable)", "Module 4 (processor → controller)"),
    "basis.eea": ("EEE", "EEA"),
    "basis.adequacy": ("Adéquation", "Adequacy"),
    "basis.safeguard": ("Garantie appropriée (art. 46)", "Appropriate safeguard (Art. 46)"),
    "basis.derogation": ("Dérogation (art. 49)", "Derogation (Art. 49)"),
    "basis.negotiating": ("Outil en cours de négociation", "Tool being negotiated"),
    "basis.none": ("Aucune garantie", "No safeguard"),
    "basis.unknown": ("Inconnu", "Unknown"),
}

# The vocabulary's names come from one table shared with the documents.
VOCABULARY_KEY_PREFIXES: dict[type, str] = {
    Severity: "severity",
    LifecycleStatus: "status",
    ProcessorCategory: "category",
    ProcessorRole: "role",
    ProspectionUse: "prospection",
    LocationActivity: "activity",
    Tristate: "tristate",
    SubProcessorAuthorisation: "authorisation",
    ClauseStatus: "clause_status",
    TransferMechanism: "mechanism",
}
# The procurement request (form, verdict page).
MESSAGES.update({
    "legend.marketing": ("La prospection", "Marketing"),
    "legend.data_flows": ("Où vont les données", "Where the data goes"),
    "field.bought_data": (
        "Les données viennent-elles d'ailleurs que des personnes elles-mêmes (fichier acheté, partenaire) ?",
        "Does the data come from anywhere other than the people themselves (bought list, partner)?",
    ),
    "field.marketing": (
        "L'outil servira-t-il à envoyer de la prospection (e-mails, SMS) ?",
        "Will the tool send marketing messages (e-mail, text)?",
    ),
    "prospection_answer.none": ("Non", "No"),
    "prospection_answer.b2b": ("Oui, à des professionnels (B2B)", "Yes, to businesses (B2B)"),
    "prospection_answer.b2c": ("Oui, à des particuliers (B2C)", "Yes, to individuals (B2C)"),
    "field.recipients_can_opt_out": (
        "Les destinataires peuvent-ils se désinscrire (lien de désinscription) ?",
        "Can recipients opt out (unsubscribe link)?",
    ),
    "field.prior_consent": (
        "Pour des particuliers : ont-ils accepté au préalable de recevoir ces messages ?",
        "For individuals: did they agree beforehand to receive these messages?",
    ),
    "field.data_countries": ("Dans quels pays les données sont-elles hébergées ou consultées ?",
                             "In which countries is the data hosted or accessed?"),
    "hint.data_countries": (
        "Hébergement, support, sauvegardes : un pays par liste. Laissez vide si vous ne savez pas.",
        "Hosting, support, backups: one country per list. Leave empty if you don't know.",
    ),
    "field.sub_processors": ("Les prestataires du fournisseur", "The vendor's own providers"),
    "hint.sub_processors": (
        "Si vous les connaissez (son hébergeur, son service d'e-mails…), avec leur pays.",
        "If you know them (its host, its e-mail service…), with their country.",
    ),
    "field.provider_name": ("Nom du prestataire {n}", "Provider {n}: name"),
    "field.provider_country": ("Pays du prestataire {n}", "Provider {n}: country"),
    "field.data_country": ("Pays {n}", "Country {n}"),
    "error.sub_processor_name": ("Nommez ce prestataire.", "Name this provider."),
    "error.conditions": (
        "Indiquez les conditions de l'approbation, une par ligne.",
        "List the conditions of the approval, one per line.",
    ),
    "procurement.register_opinion": ("Avis du registre", "The register's opinion"),
    "procurement.as_of": ("Analyse au {day}, sur la base de vos réponses.", "Assessed on {day}, from your answers."),
    "procurement.questions": ("Questions à éclaircir", "Questions to answer"),
    "procurement.blocking_points": ("Ce qui bloque", "What blocks"),
    "procurement.to_do": ("Conditions", "Conditions"),
    "procurement.details": ("Le détail pour le DPO ({n} constats)", "The details for the DPO ({n} findings)"),
    "procurement.your_answers": ("Vos réponses", "Your answers"),
    "when.blocking": ("Bloquant", "Blocking"),
    "when.before_go_live": ("Avant la mise en service", "Before go-live"),
    "when.first_review": ("D'ici la première revue", "By the first review"),
    "value.dont_know": ("Je ne sais pas", "I don't know"),
    "field.conditions": ("Conditions retenues", "Conditions set"),
    "hint.conditions": (
        "Une par ligne ; proposées d'après l'avis du registre, à modifier librement.",
        "One per line; suggested from the register's opinion, edit them freely.",
    ),
})
MESSAGES.update(
    {
        f"{VOCABULARY_KEY_PREFIXES[type(value)]}.{value.value}": (label.fr, label.en)
        for value, label in VOCABULARY_LABELS.items()
        if type(value) in VOCABULARY_KEY_PREFIXES
    }
)
