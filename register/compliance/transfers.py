"""Transfers to third countries (GDPR Chapter V), following reference §4.

:func:`register.compliance.flows.data_flows` lists the flows of a processor's
data; :func:`judge_flow` applies the decision rule to one flow:

1. EEA → no transfer tool;
2. general adequacy (and Brazil within the LGPD's scope) → none, the decision
   is recorded on the route;
3. US → the DPF when the recipient is certified (or a DPF safeguard is
   recorded and the record does not say it is uncertified), the check being
   no older than ``dpf_check_max_months``; otherwise a safeguard;
4. Canada → adequacy within PIPEDA's scope; otherwise a safeguard;
5. otherwise → 2021 SCCs (module matching the roles, with a transfer impact
   assessment no older than ``tia_review_months``), BCRs, a UK tool (for flows
   to the UK only: they are instruments of UK law) or an Art. 49 derogation
   (flagged).

When several tools are recorded for a flow, the one leaving it covered with
the lightest findings is relied on. The decision is taken on light values;
finding texts are written only for the option relied on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from register.compliance.context import Destination, RuleContext
from register.compliance.dates import older_than_months
from register.compliance.findings import processor_subject
from register.compliance.flows import ChainExposure, Flow, data_flows, normalise_country
from register.compliance.model import Finding, FindingSubject, Localised, Processor, Safeguard
from register.compliance.results import TransferRoute
from register.vocabulary import TransferMechanism
from register.i18n.terms import mechanism_name
from register.i18n.dates import prose_date

UNITED_KINGDOM = "GB"
UK_TOOLS = frozenset({TransferMechanism.UK_IDTA, TransferMechanism.UK_ADDENDUM})

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


def _scc_2021_judgement(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> Judgement:
    issues = []
    module = safeguard.scc_module
    if module is None:
        issues.append(Issue("SCC_MODULE_UNKNOWN", safeguard))
    elif module != flow.expected_module:
        issues.append(Issue("SCC_WRONG_MODULE", safeguard))
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


def _safeguard_judgement(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> Judgement | None:
    """What a recorded tool gives the flow; None when it does not apply (a UK
    tool outside the UK, the DPF outside the US, an "adequacy" tool where no
    decision applies)."""
    mechanism = safeguard.mechanism
    if mechanism == TransferMechanism.SCC_2021:
        return _scc_2021_judgement(safeguard, flow, ctx)
    if mechanism == TransferMechanism.SCC_PRE_2021:
        outdated = ctx.as_of > ctx.scc_replacement_deadline
        issues = (Issue("SCC_OUTDATED", safeguard),) if outdated else ()
        return _judgement(
            ctx, "safeguard", not outdated, issues, mechanism=mechanism, scc_module=safeguard.scc_module
        )
    if mechanism == TransferMechanism.BCR or (mechanism in UK_TOOLS and flow.country == UNITED_KINGDOM):
        return _judgement(ctx, "safeguard", True, mechanism=mechanism)
    if mechanism == TransferMechanism.ART49_DEROGATION:
        return _judgement(ctx, "safeguard", True, (Issue("DEROGATION_USED", safeguard),), mechanism=mechanism)
    return None


def _no_tool_judgement(
    flow: Flow, destination: Destination, ignored: list[Safeguard], ctx: RuleContext
) -> Judgement:
    """No recorded tool applies: an unknown fact is reported as unknown."""
    if destination.kind == "dpf" and flow.facts.dpf_certified is None:
        return _judgement(ctx, "unknown", False, (Issue("DPF_STATUS_UNKNOWN"),))
    if destination.kind == "pipeda" and flow.facts.pipeda_scope is None:
        return _judgement(ctx, "unknown", False, (Issue("PIPEDA_SCOPE_UNKNOWN"),))
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
    return kind in _SETTLED_KINDS or (kind == "pipeda" and flow.facts.pipeda_scope is True)


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
    return _judgement(  # an adequacy decision ("pipeda" within its scope included)
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
    return FindingSubject("safeguard", ref, f"{mechanism_name(safeguard.mechanism).en}: {label}")


def _no_safeguard_detail(
    flow: Flow, destination: Destination, ignored: tuple[Safeguard, ...], label: str
) -> Localised:
    if destination.kind == "dpf":
        en = f"{label}: the recipient is recorded as not certified under the Data Privacy Framework."
        fr = (
            f"{label} : le destinataire est enregistré comme non certifié au titre du Data Privacy Framework."
        )
    elif destination.kind == "pipeda":
        en = f"{label}: the recipient is recorded as outside PIPEDA's scope."
        fr = f"{label} : le destinataire est enregistré comme hors du champ de la PIPEDA."
    else:
        en = f"{label}: {destination.name.en} is outside the EEA and has no adequacy decision."
        fr = f"{label} : {destination.name.fr} est hors de l'EEE et ne bénéficie d'aucune décision d'adéquation."
    if ignored:
        names = [mechanism_name(s.mechanism) for s in ignored]
        en += f" Recorded but not applicable to this flow: {', '.join(n.en for n in names)}."
        fr += f" Enregistré mais inapplicable à ce flux : {', '.join(n.fr for n in names)}."
    return Localised(en=en, fr=fr)


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
    as_of = {language: prose_date(ctx.as_of, language) for language in ("en", "fr")}
    relied_on: tuple[str, ...] = ()
    detail: Localised | None = None
    safeguard = issue.safeguard
    if safeguard is not None:
        subject = _safeguard_subject(safeguard, label)
        if code == "SCC_WRONG_MODULE":
            detail = Localised(
                en=f"Module {safeguard.scc_module} is recorded; this flow needs Module {flow.expected_module}.",
                fr=f"Le module {safeguard.scc_module} est enregistré ; ce flux relève du module {flow.expected_module}.",
            )
        elif code == "TIA_STALE":
            months = ctx.settings.tia_review_months
            tia = {language: prose_date(safeguard.tia_on, language) for language in ("en", "fr")}
            detail = Localised(
                en=f"The assessment is dated {tia['en']}, more than {months} months before {as_of['en']}.",
                fr=f"L'analyse date du {tia['fr']}, plus de {months} mois avant le {as_of['fr']}.",
            )
            relied_on = (ctx.setting_relied_on("tia_review_months"),)
        elif code == "SCC_OUTDATED":
            deadline = ctx.scc_replacement_deadline
            detail = Localised(
                en=f"Contracts on the old SCCs had to be replaced by {prose_date(deadline, 'en')}.",
                fr=f"Les contrats fondés sur les anciennes CCT devaient être remplacés avant le {prose_date(deadline, 'fr')}.",
            )
            relied_on = (ctx.scc_deadline_relied_on(),)
    elif code == "TRANSFER_LOCATIONS_UNKNOWN":
        if flow.hop is None:
            subject = processor_subject(root)
        else:
            subject = FindingSubject(
                "sub_processor", "" if flow.hop.id is None else str(flow.hop.id), " → ".join(flow.path)
            )
        detail = Localised(en=f"Flow: {label}.", fr=f"Flux : {label}.")
    else:
        subject = _transfer_subject(flow, label)
        relied_on = destination.relied_on
        if code == "TRANSFER_NO_SAFEGUARD":
            detail = _no_safeguard_detail(flow, destination, issue.ignored, label)
        elif code == "TRANSFER_US_DPF_UNVERIFIED":
            months = ctx.settings.dpf_check_max_months
            checked_on = flow.facts.dpf_checked_on
            if checked_on is None:
                detail = Localised(
                    en=f"{label}: the certification has never been checked.",
                    fr=f"{label} : la certification n'a jamais été vérifiée.",
                )
            else:
                detail = Localised(
                    en=f"{label}: last checked on {prose_date(checked_on, 'en')}, more than {months} months before {as_of['en']}.",
                    fr=f"{label} : dernière vérification le {prose_date(checked_on, 'fr')}, plus de {months} mois avant le {as_of['fr']}.",
                )
            relied_on = (*relied_on, ctx.setting_relied_on("dpf_check_max_months"))
        elif code == "TRANSFER_COUNTRY_UNKNOWN":
            detail = Localised(
                en=f"{label}: “{flow.country}” is not a recognised country code.",
                fr=f"{label} : « {flow.country} » n'est pas un code pays reconnu.",
            )
        else:  # DPF_STATUS_UNKNOWN, PIPEDA_SCOPE_UNKNOWN
            detail = Localised(en=f"Flow: {label}.", fr=f"Flux : {label}.")
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
