"""A product variant (colour, size ...): the part of a cart line's identity besides the product."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from s2cart.domain.shared.errors import ValidationFailed

MAX_OPTIONS = 10
MAX_OPTION_NAME = 50
MAX_OPTION_VALUE = 100
# The canonical key is stored in a unique index; keep it well inside every database's key size.
MAX_KEY_LENGTH = 500


@dataclass(frozen=True)
class Variant:
    """Options sorted by name, so ``{"size": "M", "color": "Black"}`` and its reordering are one variant.

    Names and values are compared exactly as written (``Black`` and ``black`` differ).
    """

    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, raw: Mapping[str, object] | None) -> Variant:
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise _invalid("must be an object of option names to text values")
        if len(raw) > MAX_OPTIONS:
            raise _invalid(f"must have at most {MAX_OPTIONS} options")
        options: list[tuple[str, str]] = []
        for name, value in raw.items():
            if not isinstance(name, str) or not name or len(name) > MAX_OPTION_NAME:
                raise _invalid(f"option names must be 1 to {MAX_OPTION_NAME} characters")
            if not isinstance(value, str) or len(value) > MAX_OPTION_VALUE:
                raise _invalid(f"option '{name}' must be text of at most {MAX_OPTION_VALUE} characters")
            options.append((name, value))
        variant = cls(tuple(sorted(options)))
        if len(variant.key) > MAX_KEY_LENGTH:
            raise _invalid("is too long")
        return variant

    @classmethod
    def from_key(cls, key: str) -> Variant:
        """The variant a stored ``key`` stands for."""
        return cls.of(json.loads(key)) if key else cls()

    @property
    def key(self) -> str:
        """Canonical text: '' for no variant, else compact ASCII JSON with sorted names."""
        if not self.options:
            return ""
        return json.dumps(dict(self.options), sort_keys=True, separators=(",", ":"), ensure_ascii=True)

    def as_dict(self) -> dict[str, str]:
        return dict(self.options)

    def __bool__(self) -> bool:
        return bool(self.options)


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed.on("product_variant", f"Variant {message}.")
