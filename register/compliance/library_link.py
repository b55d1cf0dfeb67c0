"""LIBRARY_CHANGE_PENDING in the register-wide assessment (issue 14).

A processor linked to a vendor of the firm's library carries its link, loaded with the
register (:attr:`register.compliance.model.Processor.library_link`): the vendor, the
version whose facts are in the register, the library's latest version and the version
the DPO dismissed, if any. The finding is raised from those values alone; the diff
itself is shown on the review page (register/compliance/library.py).
"""

from __future__ import annotations

from register.compliance.context import RuleContext
from register.compliance.findings import processor_subject
from register.compliance.model import Finding, Localised, Processor, VendorLink


def library_link_findings(processor: Processor, ctx: RuleContext) -> tuple[Finding, ...]:
    """LIBRARY_CHANGE_PENDING when the library's latest version is newer than the one in
    the register and the DPO has neither accepted nor dismissed it."""
    link = processor.library_link
    if link is None or not link.change_pending:
        return ()
    return (
        ctx.catalogue.finding("LIBRARY_CHANGE_PENDING", processor, processor_subject(processor), library_link_detail(link)),
    )


def library_link_detail(link: VendorLink) -> Localised:
    return Localised(
        en=f"Library vendor “{link.vendor_name}” is at version {link.vendor_version}; the register holds "
        f"version {link.accepted_version}.",
        fr=f"Le prestataire «\u00a0{link.vendor_name}\u00a0» de la bibliothèque est à la version "
        f"{link.vendor_version}\u00a0; le registre contient la version {link.accepted_version}.",
    )
