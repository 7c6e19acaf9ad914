"""What the profile page reads: the user beside the counts the page shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from s2cart.application.addresses.views import AddressView
from s2cart.domain.users.user import User

MAX_CARTS = 5


@dataclass(frozen=True)
class ProfileView:
    user: User
    active_sessions_count: int
    total_carts_count: int
    max_carts_allowed: int = MAX_CARTS
    saved_addresses: list[AddressView] = field(default_factory=list)
