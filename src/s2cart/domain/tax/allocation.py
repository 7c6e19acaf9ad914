"""An amount split pro rata over weights, paise-exact, by the largest-remainder method."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from s2cart.domain.shared.money import PAISA


def allocate(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` (whole paise, 0 <= amount <= sum of weights) over ``weights`` (whole paise, >= 0).

    - Each share is first the exact pro-rata share rounded down to paise; the paise left over go one each to
      the shares with the largest remainders, ties to the earlier weight. So the shares sum to ``amount``
      exactly, each is within one paisa of its exact share, and none exceeds its weight (a weight in whole
      paise is never below the exact share rounded up).
    - A zero weight gets nothing; with all weights zero the amount must be zero."""
    units = [int(weight / PAISA) for weight in weights]
    total = sum(units)
    wanted = int(amount / PAISA)
    if any(unit < 0 for unit in units) or wanted < 0 or wanted > total:
        raise ValueError("the amount must be from 0 to the sum of the weights, which must not be negative")
    if wanted == 0:
        return [Decimal("0.00") for _ in units]
    floors = [wanted * unit // total for unit in units]
    remainders = [wanted * unit % total for unit in units]
    left = wanted - sum(floors)
    by_remainder = sorted(range(len(units)), key=lambda index: (-remainders[index], index))
    for index in by_remainder[:left]:
        floors[index] += 1
    return [Decimal(share) * PAISA for share in floors]
