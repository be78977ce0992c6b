"""User-facing errors: the CLI prints their message as one line and exits 1, no traceback."""


class AlignerError(Exception):
    """A problem with the user's input or environment, worded as 'what, and what to do'."""
