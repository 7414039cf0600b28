"""The one error type the ingest pipeline raises for input a user can fix."""


class IngestError(ValueError):
    """A problem with the input a user can fix; str(e) is a one-line message naming the problem."""
