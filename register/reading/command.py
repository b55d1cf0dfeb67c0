"""``register read-dpa FILE [--lang fr|en] [--json]``: read a vendor's DPA, touch no database.

With ``--json`` it prints :meth:`DpaReading.to_json` (the stable interface, README
"Reading a vendor's DPA"); without, a report for a person in French or English.
Exit status: 0 read, 1 the file cannot be read (the reason on standard error), 2 no such file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from register.i18n import DEFAULT_LANGUAGE, LANGUAGES, words
from register.reading import DEFAULT_MAX_BYTES, EXTENSIONS, DpaReading, ReadingError, read_dpa


def add_reading_commands(commands) -> None:
    reader = commands.add_parser(
        "read-dpa",
        help="read a vendor's DPA (.pdf .docx .odt .txt .md .html): Art. 28(3) items with evidence, and facts; no database",
    )
    reader.add_argument("file", help="the DPA file")
    reader.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, help="language of the report and reasons (default: fr)")
    reader.add_argument("--json", action="store_true", help="print the stable JSON interface")
    reader.add_argument("--max-mb", type=int, default=DEFAULT_MAX_BYTES // (1024 * 1024), help="size cap in MB (default: 50)")
    reader.set_defaults(handler=command_read_dpa)


def command_read_dpa(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as error:
        print(f"register: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        reading = read_dpa(content, filename=path.name, language=args.lang, max_bytes=args.max_mb * 1024 * 1024)
    except ReadingError as error:
        print(f"register: {path.name}: {error.message(args.lang)}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(reading.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report(reading, path.name, args.lang))
    return 0


def report(reading: DpaReading, name: str, language: str) -> str:
    """The reading for a person: each item with its reason and evidence, then the facts."""
    from register.i18n.terms import vocabulary_label
    from register.reference import load_reference
    from register.vocabulary import TransferMechanism

    gettext = words(language).gettext
    colon = "\u00a0: " if language == "fr" else ": "
    reference = load_reference()
    contents = {item.id: item.content_fr if language == "fr" else item.content_en for item in reference.art28_items}
    kind = EXTENSIONS.get(reading.media_type, reading.media_type).lstrip(".").upper()
    if reading.pages is not None:
        heading = gettext("Reading of %(name)s (%(kind)s, %(pages)s pages, %(sections)s numbered sections)") % {
            "name": name, "kind": kind, "pages": reading.pages, "sections": reading.section_count,
        }
    else:
        heading = gettext("Reading of %(name)s (%(kind)s, %(sections)s numbered sections)") % {
            "name": name, "kind": kind, "sections": reading.section_count,
        }
    lines = [
        heading,
        gettext("Proposals to confirm: nothing is recorded in the register."),
        "",
    ]
    for item_id, item in reading.items.items():
        provision = _provision(item_id, language)
        lines.append(f"[{vocabulary_label(item.status, language)}] {provision}{colon}{contents.get(item_id, item_id)}")
        lines.append(f"    {item.reason}")
        for evidence in item.evidence:
            where = _where(evidence.section, evidence.page, language)
            quote = f"« {evidence.text} »" if language == "fr" else f"“{evidence.text}”"
            lines.append(f"    - {where}{colon}{quote}")
        lines.append("")

    def value_or_none(value: object) -> str:
        return str(value) if value not in (None, "", [], ()) else gettext("not stated")

    hours = reading.breach_notification.value
    ngettext = words(language).ngettext
    breach = ngettext("%(num)s hour", "%(num)s hours", hours) % {"num": hours} if hours is not None else gettext("no number (e.g. \"without undue delay\")")
    if hours is not None and reading.breach_notification_business_days:
        breach += " " + gettext("(business days)")
    days = reading.subprocessor_notice.value
    notice = ngettext("%(num)s day", "%(num)s days", days) % {"num": days} if days is not None else gettext("not stated")
    if days is not None and reading.notice_in_business_days:
        notice += " " + gettext("(business days)")
    authorisation = {
        "general": gettext("general"), "specific": gettext("specific"), None: gettext("not stated"),
    }[reading.authorisation.value]
    tools = []
    for mention in reading.transfer_tools:
        if mention.mechanism:
            label = vocabulary_label(TransferMechanism(mention.mechanism), language)
        else:
            label = {"swiss_adaptations": gettext("Swiss adaptations of the SCCs"), "privacy_shield": gettext("Privacy Shield (invalidated)")}.get(mention.tool, mention.tool)
        if mention.module:
            label += " " + gettext("module %(module)s") % {"module": mention.module}
        if mention.flagged:
            label += " " + gettext("(to replace)")
        tools.append(label)
    law = reading.governing_law.value
    law_name = reference.countries[law].name(language) if law in reference.countries else value_or_none(law)
    yes, no = gettext("yes"), gettext("no")
    facts = (
        (gettext("Breach notification deadline"), breach),
        (gettext("Notice of sub-processor changes"), notice),
        (gettext("Authorisation of sub-processors"), authorisation),
        (gettext("Right to object"), yes if reading.right_to_object.value else no),
        (gettext("Transfer tools named"), ", ".join(tools) if tools else gettext("none")),
        (gettext("SCCs 2021/914 incorporated"), yes if reading.incorporates_scc_2021 else no),
        (gettext("Governing law"), law_name),
        (gettext("Supervisory authority"), value_or_none(reading.supervisory_authority.value)),
    )
    lines.append(gettext("Facts"))
    lines += [f"  {label}{colon}{value}" for label, value in facts]
    if reading.sub_processors:
        lines.append("  " + gettext("Sub-processors listed") + colon.rstrip())
        for proposal in reading.sub_processors:
            countries = ", ".join(
                reference.countries[code].name(language) if code in reference.countries else code for code in proposal.countries
            ) or gettext("country not stated")
            purpose = f"{colon}{proposal.purpose}" if proposal.purpose else ""
            lines.append(f"    - {proposal.name} ({countries}){purpose}")
    for warning in reading.warnings:
        lines.append(warning_text(warning, language))
    return "\n".join(lines) + "\n"


def warning_text(warning: str, language: str) -> str:
    gettext = words(language).gettext
    kind, _, values = warning.partition(":")
    if kind == "breach_deadlines":
        return "! " + gettext("Several breach notification deadlines (%(values)s hours): the longest is kept.") % {"values": values.replace(",", ", ")}
    if kind == "subprocessor_notices":
        return "! " + gettext("Several sub-processor notice periods (%(values)s days): the shortest is kept.") % {"values": values.replace(",", ", ")}
    return f"! {warning}"


def _provision(item_id: str, language: str) -> str:
    letter = item_id.removeprefix("art28_3_")
    if letter == "infringing":
        return words(language).gettext("Art. 28(3), last subparagraph")
    return words(language).gettext("Art. 28(3)(%(letter)s)") % {"letter": letter}


def _where(section: str | None, page: int | None, language: str) -> str:
    gettext = words(language).gettext
    parts = []
    if section:
        parts.append(gettext("section %(section)s") % {"section": section})
    if page is not None:
        parts.append(gettext("page %(page)s") % {"page": page})
    return ", ".join(parts) or gettext("beginning of the document")
