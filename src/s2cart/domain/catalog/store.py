from __future__ import annotations

from dataclasses import dataclass

from s2cart.domain.catalog.identifiers import identifier_problem, name_problem
from s2cart.domain.shared.errors import ValidationFailed


@dataclass(frozen=True)
class Store:
    id: str
    name: str

    def __post_init__(self) -> None:
        problems = {"id": identifier_problem(self.id), "name": name_problem(self.name)}
        errors = {field: [problem] for field, problem in problems.items() if problem}
        if errors:
            raise ValidationFailed("Invalid store", errors=errors)
