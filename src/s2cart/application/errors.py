"""Failures that are not business rules: infrastructure the use case depends on is not there."""

from __future__ import annotations


class ApplicationError(Exception):
    code = "SYS_001"
    message = "Service temporarily unavailable"


class StorageUnavailable(ApplicationError):
    """The database cannot be reached or answered with a transient failure."""

    code = "SYS_503"
    message = "Service temporarily unavailable"
