"""Why an order has no tax invoice or credit note to show (409: the order exists, the document does not)."""

from __future__ import annotations

from s2cart.domain.shared.errors import Conflict


class InvoiceNotIssued(Conflict):
    """The order has no such document; ``code`` says why (the message says it for people):

    - ``INVOICE_001`` not paid yet (an invoice is issued when the payment completes);
    - ``INVOICE_002`` priced in contract tax mode (invoices are for orders priced in GST mode);
    - ``INVOICE_003`` the store cannot issue tax invoices (no GSTIN, legal name or state code);
    - ``INVOICE_004`` no credit note: the order was not cancelled after its invoice."""

    code = "INVOICE_001"
    default_message = "This order has no tax invoice yet"


NOT_PAID = "INVOICE_001"
CONTRACT_MODE = "INVOICE_002"
STORE_NOT_REGISTERED = "INVOICE_003"
NOT_CREDITED = "INVOICE_004"
