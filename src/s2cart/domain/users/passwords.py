"""Password rules: long enough, not all digits, not common, not a copy of the account's own names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from s2cart.domain.shared.errors import ValidationFailed
from s2cart.domain.users.common_passwords import COMMON_PASSWORDS

MAX_LENGTH = 128  # argon2 takes any length; a cap keeps a 1 MB "password" from costing CPU


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    max_similarity: float = 0.7

    def problems(self, password: str, personal: Iterable[str] = ()) -> list[str]:
        found: list[str] = []
        if len(password) < self.min_length:
            found.append(f"This password is too short. It must contain at least {self.min_length} characters.")
        if len(password) > MAX_LENGTH:
            found.append(f"This password is too long. It must contain at most {MAX_LENGTH} characters.")
        if password.isdigit():
            found.append("This password is entirely numeric.")
        if password.lower() in COMMON_PASSWORDS:
            found.append("This password is too common.")
        if self._too_similar(password, personal):
            found.append("The password is too similar to your username or email.")
        return found

    def check(self, password: str, personal: Iterable[str] = (), field: str = "password") -> None:
        problems = self.problems(password, personal)
        if problems:
            raise ValidationFailed("Validation failed", errors={field: problems})

    def _too_similar(self, password: str, personal: Iterable[str]) -> bool:
        lowered = password.lower()
        for value in personal:
            if not value:
                continue
            # Compare with the whole value and with its parts (john.doe@example.com -> john, doe, example).
            for part in {value.lower(), *re.split(r"\W+", value.lower())}:
                if len(part) < 3:
                    continue
                if part in lowered and len(part) >= len(lowered) / 2:
                    return True
                if SequenceMatcher(a=lowered, b=part).quick_ratio() >= self.max_similarity and (
                    SequenceMatcher(a=lowered, b=part).ratio() >= self.max_similarity
                ):
                    return True
        return False
