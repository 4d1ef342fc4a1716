"""Every error heard raises on purpose. Messages name the bad value, where it was, and what was
expected, so that a user can fix their input without reading the code."""

from __future__ import annotations


class HeardError(Exception):
    """Base class for heard's own errors."""


class InputError(HeardError, ValueError):
    """Input heard cannot use. ``where``: a file, file:line or record id; ``field``: a field."""

    def __init__(self, message: str, *, where: str | None = None, field: str | None = None) -> None:
        self.message = message
        self.where = where
        self.field = field
        super().__init__(self.describe())

    def describe(self) -> str:
        location = ""
        if self.where:
            location = self.where
        if self.field:
            location = f"{location}, field {self.field!r}" if location else f"field {self.field!r}"
        return f"{location}: {self.message}" if location else self.message


class ForbiddenError(HeardError):
    """The signed-in user may not see or do this (403)."""


class NotFoundError(HeardError):
    """Nothing there, or nothing the caller may see: a use case says the same for both, so that
    a denial does not tell that the thing exists (404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFittedError(HeardError, AttributeError):
    """A learned model was used before `fit` (or `load`) gave it its learned attributes."""


class ModelError(HeardError):
    """A model artefact is missing, unreadable, or of an unknown format or version."""


class DataSetError(HeardError):
    """A training or evaluation data set is missing or not in the expected shape."""
