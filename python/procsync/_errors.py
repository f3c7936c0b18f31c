"""The exceptions of the Python client (the JVM side's names, in Python's spelling)."""


class ProcsyncError(Exception):
    """Anything procsync reports that is not a misuse of a Python API."""


class SegmentNotFoundError(ProcsyncError, FileNotFoundError):
    """The named primitive does not exist (an open without create)."""


class SegmentMismatchError(ProcsyncError):
    """The name holds another kind, or was created with other parameters or another codec."""


class InvalidSegmentError(ProcsyncError):
    """The file is not a usable segment: truncated, foreign, or from a newer layout version."""


class ClosedError(ProcsyncError, ValueError):
    """The handle was closed (ValueError, as for a closed file)."""


class UntrustedFileError(ProcsyncError, PermissionError):
    """A root, namespace directory or segment file fails the trust rule (a symbolic link, another
    owner, a wider mode): refused, never followed or used."""
