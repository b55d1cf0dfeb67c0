"""Transfers to third countries (GDPR Chapter V), following reference §4.

:func:`register.compliance.flows.data_flows` lists the flows of a processor's
data; :func:`judge_flow` applies the decision rule to one flow:

1. EEA → no transfer tool;
2. general adequacy → none, the decision is recorded on the route;
3. US → the DPF when the recipient is certified (or a DPF safeguard is
   recorded and the record does not say it is uncertified), the check being
   no older than ``dpf_check_max_months``; otherwise a transfer tool;
4. Canada → adequacy within PIPEDA's scope, Brazil → adequacy within the
   LGPD's scope; otherwise a transfer tool; an unknown scope is never covered;
5. otherwise → 2021 SCCs (module matching the roles, with a transfer impact
   assessment no older than ``tia_review_months``), BCRs, ad hoc contractual
   clauses (Art. 46(3)(a)), a UK tool (for flows to the UK only: they are
   instruments of UK law) or an Art. 49 derogation (flagged, and named as a
   derogation: route basis "derogation", never "safeguard").

A decision counts from its adoption date (and until its end date): before it,
the country is a third country like any other (``RuleContext.destination``).
A contractual tool (SCCs, UK IDTA/Addendum, ad hoc clauses) covers a flow only
once signed: without a signing date, or signed after the as-of date, it is
*being negotiated* (route basis "negotiating", coverage "being_negotiated",
finding TRANSFER_TOOL_NOT_SIGNED). Old SCCs (2001/497, 2004/915, 2010/87)
signed on or after 27 September 2021 never covered anything; signed before,
they covered flows until 27 December 2022 (that day included).

When several tools are recorded for a flow, the one leaving it covered with
the lightest findings is relied on. The decision is taken on light values;
finding texts are written only for the option relied on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from register.compliance.context import Destination, RuleContext, cite
from register.compliance.dates import older_than_months
from register.compliance.findings import processor_subject
from register.compliance.flows import ChainExposure, Flow, data_flows, normalise_country
from register.compliance.model import Finding, FindingSubject, Localised, Processor, Safeguard
from register.compliance.results import TransferRoute
from register.reference import load_reference
from register.vocabulary import CONTRACTUAL_TOOLS, TransferMechanism
from register.i18n.terms import mechanism_name
from register.i18n.dates import prose_date

UNITED_KINGDOM = "GB"
UK_TOOLS = frozenset({TransferMechanism.UK_IDTA, TransferMechanism.UK_ADDENDUM})
# Tools that cover a flow, once signed where they are contracts, without more checks.
_PLAIN_TOOLS = frozenset({TransferMechanism.BCR, TransferMechanism.AD_HOC_CONTRACT, *UK_TOOLS})

# How a route is covered (TransferRoute.coverage).
COVERED, BEING_NEGOTIATED, NOT_COVERED = "covered", "being_negotiated", "not_covered"


def signed_by(safeguard: Safeguard, day) -> bool:
    """The tool bears a signing date on or before ``day``."""
    return safeguard.signed_on is not None and safeguard.signed_on <= day


def is_being_negotiated(safeguard: Safeguard, day, old_scc_cutoff) -> bool:
    """A contractual tool not signed on ``day`` (no date, or a later one) that
    can still be concluded: old SCCs cannot from ``old_scc_cutoff`` on."""
    if safeguard.mechanism not in CONTRACTUAL_TOOLS or signed_by(safeguard, day):
        return False
    return safeguard.mechanism != TransferMechanism.SCC_PRE_2021 or day < old_scc_cutoff


def tools_being_negotiated(processor: Processor, as_of, reference=None) -> set[int | None]:
    """Ids of the processor's transfer tools that are being negotiated on
    ``as_of`` (for the pages' list of tools: the same rule as the routes)."""
    reference = reference if reference is not None else load_reference()
    cutoff = reference.key_dates["scc_old_new_contracts_cutoff"].on
    return {s.id for s in processor.safeguards if is_being_negotiated(s, as_of, cutoff)}


def route_coverage(basis: str, covered: bool) -> str:
    """The one answer pages and documents show: covered, being negotiated, not covered."""
    if covered:
        return COVERED
    return BEING_NEGOTIATED if basis == "negotiating" else NOT_COVERED

# --------------------------------------------------------------------------
# Judging one flow
# --------------------------------------------------------------------------


class Issue(NamedTuple):
    """A finding to raise if the option it belongs to is relied on."""

    code: str
    safeguard: Safeguard | None = None  # the tool it is about; None: the flow itself
    ignored: tuple[Safeguard, ...] = ()  # tools recorded that do not apply to the flow


class Judgement(NamedTuple):
    """One way a flow may be lawful (an adequacy decision or a recorded tool),
    or the lack of any, with the issues it leaves."""

    basis: str  # TransferRoute.basis
    covered: bool
    gravity: tuple[bool, int]  # (not covered, penalty): larger is worse
    mechanism: TransferMechanism | None = None
    scc_module: int | None = None
    decision: str = ""
    risk_note: Localised | None = None
    issues: tuple[Issue, ...] = ()


def _judgement(
    ctx: RuleContext, basis: str, covered: bool, issues: tuple[Issue, ...] = (), **rest
) -> Judgement:
    penalty = sum(ctx.catalogue.weight(i.code) for i in issues)
    return Judgement(basis, covered, (not covered, penalty), issues=issues, **rest)


class SafeguardIndex:
    """A processor's safeguards by (sub-processor id, country)."""

    __slots__ = ("_by_flow",)

    def __init__(self, processor: Processor) -> None:
        by_flow: dict[tuple[int | None, str], list[Safeguard]] = {}
        for safeguard in processor.safeguards:
            key = (safeguard.sub_processor_id, normalise_country(safeguard.country))
            by_flow.setdefault(key, []).append(safeguard)
        self._by_flow = by_flow

    def get(self, sub_processor_id: int | None, country: str) -> list[Safeguard]:
        return self._by_flow.get((sub_processor_id, country), [])


class SafeguardIndexes:
    """Safeguard indexes memoised per processor record for one run."""

    __slots__ = ("_by_record",)

    def __init__(self) -> None:
        self._by_record: dict[int, tuple[Processor, SafeguardIndex]] = {}

    def of(self, processor: Processor) -> SafeguardIndex:
        cached = self._by_record.get(id(processor))
        if cached is None or cached[0] is not processor:
            cached = self._by_record[id(processor)] = (processor, SafeguardIndex(processor))
        return cached[1]


def owner_safeguards(flow: Flow, indexes: SafeguardIndexes) -> list[Safeguard]:
    """The tools recorded for a flow on the record holding its last hop."""
    return indexes.of(flow.owner).get(flow.hop.id if flow.hop is not None else None, flow.country)


def chain_safeguards(flow: Flow, root: Processor, indexes: SafeguardIndexes) -> list[Safeguard]:
    """For a flow deep in a registered chain: the tools the assessed processor
    recorded for the sub-processor the chain starts from, in that country."""
    if flow.owner is root or flow.first_hop is None:
        return []
    return indexes.of(root).get(flow.first_hop.id, flow.country)


def _dpf_judgement(flow: Flow, destination: Destination, ctx: RuleContext) -> Judgement:
    """The flow relies on the DPF: covered once the certification was checked
    within ``dpf_check_max_months`` (exactly that many months is still fine)."""
    checked_on = flow.facts.dpf_checked_on
    if checked_on is not None and checked_on > ctx.as_of:
        checked_on = None  # a check made after the as-of date did not exist then
    stale = checked_on is None or older_than_months(
        checked_on, ctx.settings.dpf_check_max_months, as_of=ctx.as_of
    )
    return _judgement(
        ctx,
        "adequacy",
        not stale,
        (Issue("TRANSFER_US_DPF_UNVERIFIED"),) if stale else (),
        mechanism=TransferMechanism.DPF,
        decision=destination.adequacy.decision if destination.adequacy else "",
        risk_note=destination.risk_note,
    )


def _module_issues(safeguard: Safeguard, flow: Flow) -> list[Issue]:
    module = safeguard.scc_module
    if module is None:
        return [Issue("SCC_MODULE_UNKNOWN", safeguard)]
    if module != flow.expected_module:
        return [Issue("SCC_WRONG_MODULE", safeguard)]
    return []


def _scc_2021_judgement(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> Judgement:
    issues = _module_issues(safeguard, flow)
    module = safeguard.scc_module
    if safeguard.tia_on is None:
        issues.append(Issue("TIA_MISSING", safeguard))
    elif older_than_months(safeguard.tia_on, ctx.settings.tia_review_months, as_of=ctx.as_of):
        issues.append(Issue("TIA_STALE", safeguard))
    return _judgement(
        ctx,
        "safeguard",
        module == flow.expected_module,
        tuple(issues),
        mechanism=TransferMechanism.SCC_2021,
        scc_module=module,
    )


def _negotiating_judgement(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> Judgement:
    """A contractual tool not yet signed: the flow is not covered; a draft of
    the 2021 SCCs is still checked for its module."""
    issues = [Issue("TRANSFER_TOOL_NOT_SIGNED", safeguard)]
    if safeguard.mechanism == TransferMechanism.SCC_2021:
        issues += _module_issues(safeguard, flow)
    return _judgement(
        ctx, "negotiating", False, tuple(issues), mechanism=safeguard.mechanism, scc_module=safeguard.scc_module
    )


def _old_scc_judgement(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> Judgement:
    """Old SCCs (2001/497, 2004/915, 2010/87): signed before the cut-off
    (27 Sept 2021) they cover the flow until the replacement deadline (27 Dec
    2022, included); signed on or after the cut-off they never covered
    anything; unsigned, they are negotiated before the cut-off and can no
    longer be concluded after it."""
    as_of = ctx.as_of
    cutoff = ctx.scc_new_contracts_cutoff
    if is_being_negotiated(safeguard, as_of, cutoff):
        return _negotiating_judgement(safeguard, flow, ctx)
    # Signed, or unsigned too late to be concluded.
    valid = signed_by(safeguard, as_of) and safeguard.signed_on < cutoff and as_of <= ctx.scc_replacement_deadline
    issues = () if valid else (Issue("SCC_OUTDATED", safeguard),)
    return _judgement(
        ctx, "safeguard", valid, issues, mechanism=safeguard.mechanism, scc_module=safeguard.scc_module
    )


def _safeguard_judgement(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> Judgement | None:
    """What a recorded tool gives the flow; None when it does not apply (a UK
    tool outside the UK, the DPF outside the US or before its decision, an
    "adequacy" tool where no decision applies)."""
    mechanism = safeguard.mechanism
    if mechanism in UK_TOOLS and flow.country != UNITED_KINGDOM:
        return None
    if mechanism == TransferMechanism.SCC_PRE_2021:
        return _old_scc_judgement(safeguard, flow, ctx)
    if is_being_negotiated(safeguard, ctx.as_of, ctx.scc_new_contracts_cutoff):
        return _negotiating_judgement(safeguard, flow, ctx)
    if mechanism == TransferMechanism.SCC_2021:
        return _scc_2021_judgement(safeguard, flow, ctx)
    if mechanism in _PLAIN_TOOLS:
        return _judgement(ctx, "safeguard", True, mechanism=mechanism)
    if mechanism == TransferMechanism.ART49_DEROGATION:
        # A derogation, not an appropriate safeguard (Art. 46): named as such.
        return _judgement(ctx, "derogation", True, (Issue("DEROGATION_USED", safeguard),), mechanism=mechanism)
    if mechanism == TransferMechanism.PRIVACY_SHIELD:
        # Invalidated in 2020 (Schrems II): relied on, it covers nothing.
        return _judgement(ctx, "none", False, (Issue("PRIVACY_SHIELD_INVALID", safeguard),), mechanism=mechanism)
    return None


def _no_tool_judgement(
    flow: Flow, destination: Destination, ignored: list[Safeguard], ctx: RuleContext
) -> Judgement:
    """No recorded tool applies: an unknown fact is reported as unknown."""
    if destination.kind == "dpf" and flow.facts.dpf_certified is None:
        return _judgement(ctx, "unknown", False, (Issue("DPF_STATUS_UNKNOWN"),))
    if destination.kind == "pipeda" and flow.facts.pipeda_scope is None:
        return _judgement(ctx, "unknown", False, (Issue("PIPEDA_SCOPE_UNKNOWN"),))
    if destination.kind == "lgpd" and flow.facts.lgpd_scope is None:
        return _judgement(ctx, "unknown", False, (Issue("LGPD_SCOPE_UNKNOWN"),))
    return _judgement(ctx, "none", False, (Issue("TRANSFER_NO_SAFEGUARD", ignored=tuple(ignored)),))


def _tool_judgements(
    flow: Flow, destination: Destination, safeguards: list[Safeguard], ctx: RuleContext
) -> list[Judgement]:
    judgements: list[Judgement] = []
    ignored: list[Safeguard] = []
    relies_on_dpf = flow.facts.dpf_certified is True
    for safeguard in safeguards:
        if (
            safeguard.mechanism == TransferMechanism.DPF
            and destination.kind == "dpf"
            and flow.facts.dpf_certified is not False
        ):
            relies_on_dpf = True  # a DPF "safeguard" relies on the certification
            continue
        judgement = _safeguard_judgement(safeguard, flow, ctx)
        if judgement is None:
            ignored.append(safeguard)
        else:
            judgements.append(judgement)
    if relies_on_dpf and destination.kind == "dpf":
        judgements.append(_dpf_judgement(flow, destination, ctx))
    if not judgements:
        judgements.append(_no_tool_judgement(flow, destination, ignored, ctx))
    return judgements


# Destinations whose judgement does not depend on the flow's tools: judged
# once per run (EEA, adequacy, unrecorded or unknown country).
_SETTLED_KINDS = frozenset({"eea", "adequacy", "unrecorded", "unknown"})


def _is_settled(flow: Flow, destination: Destination) -> bool:
    kind = destination.kind
    return (
        kind in _SETTLED_KINDS
        or (kind == "pipeda" and flow.facts.pipeda_scope is True)
        or (kind == "lgpd" and flow.facts.lgpd_scope is True)
    )


def _least_grave(judgements: list[Judgement]) -> Judgement:
    # On a tie the first wins: recorded tools in order, the DPF last.
    return min(judgements, key=lambda j: j.gravity)


def judge_flow(
    flow: Flow, destination: Destination, safeguards: list[Safeguard], ctx: RuleContext
) -> Judgement:
    """The decision rule of reference §4 for one flow and its recorded tools."""
    if _is_settled(flow, destination):
        return _settled_judgement(destination, ctx)
    return _least_grave(_tool_judgements(flow, destination, safeguards, ctx))


def _settled_judgement(destination: Destination, ctx: RuleContext) -> Judgement:
    judgement = ctx.settled_judgements.get(destination.code)
    if judgement is None:
        judgement = ctx.settled_judgements[destination.code] = _judge_destination(destination, ctx)
    return judgement


def _judge_destination(destination: Destination, ctx: RuleContext) -> Judgement:
    kind = destination.kind
    if kind == "eea":
        return _judgement(ctx, "eea", True)
    if kind == "unrecorded":
        return _judgement(ctx, "unknown", False, (Issue("TRANSFER_LOCATIONS_UNKNOWN"),))
    if kind == "unknown":
        return _judgement(ctx, "unknown", False, (Issue("TRANSFER_COUNTRY_UNKNOWN"),))
    return _judgement(  # an adequacy decision ("pipeda", "lgpd" within their scope included)
        ctx,
        "adequacy",
        True,
        mechanism=TransferMechanism.ADEQUACY,
        decision=destination.adequacy.decision if destination.adequacy else "",
        risk_note=destination.risk_note,
    )


# --------------------------------------------------------------------------
# Writing the findings of the judgement relied on
# --------------------------------------------------------------------------


def _transfer_subject(flow: Flow, label: str) -> FindingSubject:
    return FindingSubject("transfer", flow.country, label)


def _safeguard_subject(safeguard: Safeguard, label: str) -> FindingSubject:
    ref = "" if safeguard.id is None else str(safeguard.id)
    return FindingSubject("safeguard", ref, label)  # the flow, in both languages (the details name the tool)


def _no_safeguard_detail(
    flow: Flow, destination: Destination, ignored: tuple[Safeguard, ...], label: str
) -> Localised:
    if destination.kind == "dpf":
        en = f"{label}: the recipient is recorded as not certified under the Data Privacy Framework."
        fr = (
            f"{label}\u00a0: le destinataire est enregistré comme non certifié au titre du Data Privacy Framework."
        )
    elif destination.kind == "pipeda":
        en = f"{label}: the recipient is recorded as outside PIPEDA's scope."
        fr = f"{label}\u00a0: le destinataire est enregistré comme hors du champ de la PIPEDA."
    elif destination.kind == "lgpd":
        en = f"{label}: the recipient is recorded as outside the LGPD's scope."
        fr = f"{label}\u00a0: le destinataire est enregistré comme hors du champ de la LGPD."
    else:
        en = f"{label}: {destination.name.en} is outside the EEA and has no adequacy decision."
        fr = f"{label}\u00a0: {destination.name.fr} est hors de l'EEE et ne bénéficie d'aucune décision d'adéquation."
    if ignored:
        names = [mechanism_name(s.mechanism) for s in ignored]
        en += f" Recorded but not applicable to this flow: {', '.join(n.en for n in names)}."
        fr += f" Enregistré mais inapplicable à ce flux\u00a0: {', '.join(n.fr for n in names)}."
    return Localised(en=en, fr=fr)


def _not_signed_detail(safeguard: Safeguard, label: str, ctx: RuleContext) -> Localised:
    tool = mechanism_name(safeguard.mechanism)
    if safeguard.signed_on is None:
        return Localised(
            en=f"{label}: {tool.en} recorded without a signing date.",
            fr=f"{label}\u00a0: outil de transfert ({tool.fr}) enregistré sans date de signature.",
        )
    signed, as_of = _in_prose(safeguard.signed_on), _in_prose(ctx.as_of)
    return Localised(
        en=f"{label}: {tool.en} signed on {signed['en']}, after {as_of['en']}.",
        fr=f"{label}\u00a0: outil de transfert ({tool.fr}) signé le {signed['fr']}, après le {as_of['fr']}.",
    )


def _privacy_shield_detail(label: str, ctx: RuleContext) -> tuple[Localised, tuple[str, ...]]:
    shield = ctx.reference.key_dates["privacy_shield_invalidated"]
    on = _in_prose(shield.on)
    return Localised(
        en=f"{label}: the Privacy Shield has covered no transfer since {on['en']}.",
        fr=f"{label}\u00a0: le Privacy Shield ne couvre plus aucun transfert depuis le {on['fr']}.",
    ), (cite(f"Privacy Shield invalidated on {shield.on.isoformat()}: {shield.source.citation}", shield.source),)


def _in_prose(day) -> dict[str, str]:
    """A date as a sentence says it, in each language ("1er juin 2026", "1 June 2026")."""
    return {language: prose_date(day, language) for language in ("en", "fr")}


def _old_scc_detail(safeguard: Safeguard, ctx: RuleContext) -> tuple[Localised, tuple[str, ...]]:
    """Why old SCCs do not cover the flow: signed too late, not signed in
    time, or past the replacement deadline."""
    cutoff = _in_prose(ctx.scc_new_contracts_cutoff)
    signed_on = safeguard.signed_on
    if signed_on is not None and signed_on <= ctx.as_of and signed_on >= ctx.scc_new_contracts_cutoff:
        signed = _in_prose(signed_on)
        return Localised(
            en=f"They were signed on {signed['en']}, on or after {cutoff['en']}, when they could no longer be used for new contracts: they never covered this flow.",
            fr=f"Elles ont été signées le {signed['fr']}, à compter du {cutoff['fr']}, date à partir de laquelle elles ne pouvaient plus servir à de nouveaux contrats\u00a0: elles n'ont jamais couvert ce flux.",
        ), (ctx.scc_cutoff_relied_on(),)
    if signed_on is None or signed_on > ctx.as_of:
        return Localised(
            en=f"They are not signed, and could no longer be concluded from {cutoff['en']}.",
            fr=f"Elles ne sont pas signées et ne pouvaient plus être conclues à compter du {cutoff['fr']}.",
        ), (ctx.scc_cutoff_relied_on(),)
    deadline = _in_prose(ctx.scc_replacement_deadline)
    return Localised(
        en=f"Contracts on the old SCCs had to be replaced by {deadline['en']}.",
        fr=f"Les contrats fondés sur les anciennes CCT devaient être remplacés avant le {deadline['fr']}.",
    ), (ctx.scc_deadline_relied_on(),)


def write_finding(
    issue: Issue,
    flow: Flow,
    destination: Destination,
    root: Processor,
    ctx: RuleContext,
) -> Finding:
    """The finding for one issue of the judgement relied on, with its subject,
    the flow's details and the reference data relied on."""
    label = flow.label
    code = issue.code
    relied_on: tuple[str, ...] = ()
    detail: Localised | None = None
    safeguard = issue.safeguard
    if safeguard is not None:
        subject = _safeguard_subject(safeguard, label)
        if code == "SCC_WRONG_MODULE":
            detail = Localised(
                en=f"Module {safeguard.scc_module} is recorded; this flow needs Module {flow.expected_module}.",
                fr=f"Le module {safeguard.scc_module} est enregistré\u00a0; ce flux relève du module {flow.expected_module}.",
            )
        elif code == "TIA_STALE":
            months = ctx.settings.tia_review_months
            as_of = _in_prose(ctx.as_of)
            tia = {language: prose_date(safeguard.tia_on, language) for language in ("en", "fr")}
            detail = Localised(
                en=f"The assessment is dated {tia['en']}, more than {months} months before {as_of['en']}.",
                fr=f"L'analyse date du {tia['fr']}, plus de {months} mois avant le {as_of['fr']}.",
            )
            relied_on = (ctx.setting_relied_on("tia_review_months"),)
        elif code == "SCC_OUTDATED":
            detail, relied_on = _old_scc_detail(safeguard, ctx)
        elif code == "TRANSFER_TOOL_NOT_SIGNED":
            detail = _not_signed_detail(safeguard, label, ctx)
        elif code == "PRIVACY_SHIELD_INVALID":
            detail, relied_on = _privacy_shield_detail(label, ctx)
    elif code == "TRANSFER_LOCATIONS_UNKNOWN":
        if flow.hop is None:
            subject = processor_subject(root)
        else:
            subject = FindingSubject(
                "sub_processor", "" if flow.hop.id is None else str(flow.hop.id), " → ".join(flow.path)
            )
        detail = Localised(en=f"Flow: {label}.", fr=f"Flux\u00a0: {label}.")
    else:
        subject = _transfer_subject(flow, label)
        relied_on = destination.relied_on
        if code == "TRANSFER_NO_SAFEGUARD":
            detail = _no_safeguard_detail(flow, destination, issue.ignored, label)
        elif code == "TRANSFER_US_DPF_UNVERIFIED":
            months = ctx.settings.dpf_check_max_months
            as_of = _in_prose(ctx.as_of)
            checked_on = flow.facts.dpf_checked_on
            if checked_on is None:
                detail = Localised(
                    en=f"{label}: the certification has never been checked.",
                    fr=f"{label}\u00a0: la certification n'a jamais été vérifiée.",
                )
            else:
                detail = Localised(
                    en=f"{label}: last checked on {prose_date(checked_on, 'en')}, more than {months} months before {as_of['en']}.",
                    fr=f"{label}\u00a0: dernière vérification le {prose_date(checked_on, 'fr')}, plus de {months} mois avant le {as_of['fr']}.",
                )
            relied_on = (*relied_on, ctx.setting_relied_on("dpf_check_max_months"))
        elif code == "TRANSFER_COUNTRY_UNKNOWN":
            detail = Localised(
                en=f"{label}: “{flow.country}” is not a recognised country code.",
                fr=f"{label}\u00a0: «\u00a0{flow.country}\u00a0» n'est pas un code pays reconnu.",
            )
        else:  # DPF_STATUS_UNKNOWN, PIPEDA_SCOPE_UNKNOWN, LGPD_SCOPE_UNKNOWN
            detail = Localised(en=f"Flow: {label}.", fr=f"Flux\u00a0: {label}.")
    return ctx.catalogue.finding(code, root, subject, detail, relied_on)


def _route(flow: Flow, destination: Destination, judgement: Judgement) -> TransferRoute:
    # Positional arguments, in TransferRoute's field order (a hot constructor).
    return TransferRoute(
        flow.country,
        destination.name,
        flow.path,
        flow.path[-1],  # recipient
        flow.hop.id if flow.hop is not None else None,  # sub_processor_id
        judgement.basis,
        judgement.mechanism,
        judgement.scc_module,
        judgement.decision,
        judgement.covered,
        route_coverage(judgement.basis, judgement.covered),
        judgement.risk_note,
    )


class TransferRun:
    """Transfer assessment for one run: the reference context, the register
    (for chains) and the memo tables shared by every processor of the run."""

    __slots__ = ("ctx", "registry", "indexes", "chains")

    def __init__(self, ctx: RuleContext, registry: Mapping[int, Processor] | None) -> None:
        self.ctx = ctx
        self.registry = registry or {}
        self.indexes = SafeguardIndexes()
        self.chains = ChainExposure(self.registry, self.judge_on_owner_record)

    def judge_on_owner_record(self, flow: Flow) -> Judgement:
        """The flow as covered by its owner's record alone."""
        destination = self.ctx.destination(flow.country)
        return judge_flow(flow, destination, owner_safeguards(flow, self.indexes), self.ctx)

    def _judge(
        self, flow: Flow, destination: Destination, root: Processor, onward: Judgement | None
    ) -> Judgement:
        """The flow as covered for ``root``: its owner's tools and, deep in a
        chain, the tools ``root`` recorded for the chain."""
        if _is_settled(flow, destination):
            return _settled_judgement(destination, self.ctx)
        extra = chain_safeguards(flow, root, self.indexes)
        if onward is not None and not extra:
            return onward
        safeguards = owner_safeguards(flow, self.indexes)
        return judge_flow(flow, destination, [*safeguards, *extra] if extra else safeguards, self.ctx)

    def assess(self, processor: Processor) -> tuple[tuple[TransferRoute, ...], list[Finding]]:
        """Every route of the processor's data, and the transfer findings."""
        ctx = self.ctx
        routes: list[TransferRoute] = []
        findings: list[Finding] = []
        seen: set[tuple] = set()
        for flow, onward in data_flows(processor, self.registry, self.chains):
            destination = ctx.destination(flow.country)
            judgement = self._judge(flow, destination, processor, onward)
            routes.append(_route(flow, destination, judgement))
            for issue in judgement.issues:
                # A tool shared by several flows has its findings raised once.
                about = id(issue.safeguard) if issue.safeguard is not None else (flow.path, flow.country)
                identity = (issue.code, about)
                if identity not in seen:
                    seen.add(identity)
                    findings.append(write_finding(issue, flow, destination, processor, ctx))
        return tuple(routes), findings
