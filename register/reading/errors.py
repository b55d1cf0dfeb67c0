"""Why a file could not be read: one exception with a stable code and a
message in French or English (gettext), never a traceback for the user."""

from __future__ import annotations

from register.i18n import N_, words

# code -> English message (the gettext id); placeholders filled by ReadingError.message().
MESSAGES: dict[str, str] = {
    "empty": N_("The file is empty."),
    "too_large": N_("The file is too large (%(size)s MB; the limit is %(limit)s MB)."),
    "unsupported": N_(
        "This kind of file cannot be read (%(media_type)s): send a PDF, Word (.docx), OpenDocument (.odt), "
        "text, Markdown or HTML file."
    ),
    "malformed": N_("The file is damaged or is not what it claims to be (%(detail)s)."),
    "encrypted": N_("The PDF is encrypted or password-protected: send an unprotected copy."),
    "no_text": N_("No text in this file (a scan?): run OCR first."),
    "no_content": N_("The document contains no text to read."),
    "archive_too_large": N_(
        "The document expands to more than %(limit)s MB once decompressed: it is refused (possible zip bomb)."
    ),
    "macros": N_("The document contains macros: save it as a .docx without macros, or as a PDF."),
}


class ReadingError(ValueError):
    """A file that cannot be read. ``code`` is stable (a key of MESSAGES)."""

    def __init__(self, code: str, **details: object) -> None:
        if code not in MESSAGES:
            raise KeyError(code)
        self.code = code
        self.details = details
        super().__init__(self.message("en"))

    def message(self, language: str) -> str:
        return words(language).gettext(MESSAGES[self.code]) % {
            key: value for key, value in self.details.items()
        } if self.details else words(language).gettext(MESSAGES[self.code])
