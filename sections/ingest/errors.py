"""The one error type the ingest pipeline raises for input a user can fix.

Ingest modules are plain Python, so they mark a message for translation with `gettext_noop`
(which `makemessages` finds) and the error keeps the template and its values: `str(error)` is
the English message (command line, logs); the admin shows `error.translated(gettext)`.
"""


def gettext_noop(template: str) -> str:
    """Mark a message template for the catalogues; it is translated only when shown."""
    return template


class IngestError(ValueError):
    """A problem with the input a user can fix; str(e) is a one-line message naming the problem."""

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)

    def translated(self, gettext) -> str:
        """The message in the active language, given a gettext function."""
        text = gettext(self.template)
        return text % self.params if self.params else text
