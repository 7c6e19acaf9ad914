"""Row ids as clients send them."""

from __future__ import annotations

# Ids are 32-bit integers in the database; a larger one names nothing (and must not reach SQL, where it
# would be an overflow error rather than "not found").
MAX_ID = 2**31 - 1


def is_storable_id(value: int) -> bool:
    return 1 <= value <= MAX_ID
