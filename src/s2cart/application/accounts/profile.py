"""GetProfile and UpdateProfile: the caller's own account, and the fields they may change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from s2cart.application.accounts.views import ProfileView
from s2cart.application.ports.accounts import ProfileReader
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.shared.errors import ErrorCollector, NotFound
from s2cart.domain.users import rules
from s2cart.domain.users.user import Gender, Language, User


class GetProfile:
    def __init__(self, reader: ProfileReader, clock: Clock) -> None:
        self._reader = reader
        self._clock = clock

    async def __call__(self, user_id: int) -> ProfileView:
        view = await self._reader.profile(user_id, self._clock.now())
        if view is None:
            raise NotFound("User not found")
        return view


@dataclass(frozen=True)
class ProfileChanges:
    """Only what the client sent: a field left out is ``None`` here and is not touched."""

    values: dict[str, Any]


class UpdateProfile:
    """- Only the contract's editable fields are ever applied; ``email``, ``is_verified``, ``id``... never.
    - Every value is validated; all problems are reported at once.
    - ``phone_number`` and ``profile_image`` may be cleared with ``null``/empty."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, user_id: int, changes: ProfileChanges) -> User:
        now = self._clock.now()
        found = ErrorCollector()
        clean: dict[str, object] = {}
        for name, value in changes.values.items():
            checked = found.check(lambda n=name, v=value: _validated(n, v, now.date()))  # type: ignore[misc]
            if name not in found.errors:
                clean[name] = checked
        found.raise_if_any()
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFound("User not found")
            user.update_profile(clean, now)
            await uow.commit()
        return user


def _validated(name: str, value: Any, today: date) -> object:
    if name in ("first_name", "last_name"):
        return rules.name_of(str(value or ""), name)
    if name == "phone_number":
        return rules.phone_of(value) if value else None
    if name == "profile_image":
        return rules.https_url_of(value, name) if value else None
    if name == "date_of_birth":
        return rules.birth_date_of(value, today) if value else None
    if name == "gender":
        return Gender(value).value if value else None
    if name == "preferred_language":
        return Language(value).value
    if name in ("email_notifications", "sms_notifications", "push_notifications"):
        return bool(value)
    raise ValueError(f"not an editable field: {name}")
