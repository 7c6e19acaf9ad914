from __future__ import annotations

from s2cart.domain.shared.errors import Conflict, ValidationFailed


class UnknownPlaceOfSupply(ValidationFailed):
    """GST mode: the shipping address's state maps to no GST state code, so the order has no place of supply."""

    def __init__(self, state: str, field: str = "shipping_address_id") -> None:
        super().__init__(
            "The shipping address's state is not an Indian state or union territory",
            errors={
                field: [
                    f"The address's state {state.strip()!r} is not an Indian state or union territory S2Cart "
                    "knows, so the place of supply (and CGST/SGST or IGST) cannot be decided: correct the "
                    "address's state (e.g. 'Karnataka', 'KA' or '29')."
                ]
            },
        )


class StoreWithoutStateCode(Conflict):
    """GST mode: the store has no ``state_code``, so no supply from it can be called intra- or inter-state."""

    def __init__(self, store_id: str) -> None:
        super().__init__(
            f"Store {store_id!r} has no GST state_code in the catalog, so its orders cannot be taxed in GST mode"
        )
