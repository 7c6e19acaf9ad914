"""What a shopper typed into product search, reduced to the words both databases can match safely."""

from __future__ import annotations

import re
from dataclasses import dataclass

from s2cart.domain.shared.errors import ValidationFailed

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchTerms:
    """``text``: the trimmed query as typed (for typo matching and the search history); ``words``: its words in
    lower case, letters and digits only (for word and prefix matching), at most eight."""

    text: str
    words: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str, parameter: str = "q") -> SearchTerms:
        text = " ".join(raw.split())
        if len(text) > MAX_QUERY_LENGTH:
            raise ValidationFailed.on(parameter, f"Search text must be at most {MAX_QUERY_LENGTH} characters.")
        words = tuple(dict.fromkeys(word.lower() for word in _WORD.findall(text)))[:MAX_WORDS]
        if not words:
            raise ValidationFailed.on(parameter, "Search text must contain a letter or a digit.")
        return cls(text=text, words=words)

    def prefix_query(self) -> str:
        """Every word, each as a prefix: PostgreSQL ``to_tsquery`` syntax (``basm:* & rice:*``)."""
        return " & ".join(f"{word}:*" for word in self.words)

    def fts5_query(self) -> str:
        """The same for SQLite FTS5 (``"basm"* AND "rice"*``); words hold no quotes, so none need escaping."""
        return " AND ".join(f'"{word}"*' for word in self.words)
