"""SaveCard: keep a reference to a card the gateway tokenised, never the card itself."""

from __future__ import annotations

from dataclasses import dataclass

from s2cart.application.payments.views import CardView
from s2cart.application.ports.security import SecretBox
from s2cart.application.ports.system import Clock
from s2cart.application.ports.uow import UnitOfWorkFactory
from s2cart.domain.payments.methods import CardBrand, SavedCard, refuse_card_shaped_token


@dataclass(frozen=True)
class SaveCardCommand:
    card_type: CardBrand
    last_four: str
    expiry_month: int
    expiry_year: int
    card_holder_name: str
    gateway_token: str
    card_nickname: str | None = None
    is_default: bool = False


def card_view(card: SavedCard) -> CardView:
    assert card.id is not None
    return CardView(
        id=card.id,
        card_type=card.brand.value,
        last_four=card.last_four,
        expiry_month=card.expiry_month,
        expiry_year=card.expiry_year,
        card_holder_name=card.holder_name,
        card_nickname=card.nickname,
        is_default=card.is_default,
        created_at=card.created_at,
    )


class SaveCard:
    """- Brand, last four digits, expiry, holder name, nickname and the gateway's token: nothing else.
      A full card number anywhere is refused (400 PAY_010); the token is sealed at rest and never shown.
    - Expired, duplicate (same brand, last four and expiry) and an 11th card are refused.
    - The first card is the default; ``is_default`` moves the default to the new one."""

    def __init__(self, uow: UnitOfWorkFactory, box: SecretBox, clock: Clock) -> None:
        self._uow = uow
        self._box = box
        self._clock = clock

    async def __call__(self, user_id: int, cmd: SaveCardCommand) -> CardView:
        refuse_card_shaped_token(cmd.gateway_token)
        now = self._clock.now()
        card = SavedCard(
            user_id=user_id,
            brand=cmd.card_type,
            last_four=cmd.last_four,
            expiry_month=cmd.expiry_month,
            expiry_year=cmd.expiry_year,
            holder_name=cmd.card_holder_name.strip(),
            nickname=(cmd.card_nickname or "").strip() or None,
            sealed_token=self._box.seal({"gateway_token": cmd.gateway_token}),
            created_at=now,
        )
        async with self._uow() as uow:
            book = await uow.payment_methods.get(user_id)
            book.add_card(card, now, make_default=cmd.is_default)
            await uow.payment_methods.save(book)
            await uow.commit()
        return card_view(card)
