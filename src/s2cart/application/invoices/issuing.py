"""Issuing inside the transaction that pays or cancels the order (decision 0037).

- ``invoice_paid_order`` runs in Settlement's transaction, right after a capture paid the order: the invoice,
  its serial and the payment commit together or not at all, so a paid GST-mode order of a registered store always
  has its invoice and no serial is ever lost to a rolled-back payment.
- ``credit_cancelled_order`` runs in the cancelling transaction (the customer's or the operator's): an invoiced
  order's cancellation issues the credit note reversing the invoice; the invoice itself is never changed.
- An order that cannot have an invoice (contract mode, a store without a GSTIN) is paid all the same and gets
  none: the payment never waits on, or fails for, an invoice. Reading it later says why (409).
"""

from __future__ import annotations

import logging
from datetime import datetime

from s2cart.application.ports.uow import UnitOfWork
from s2cart.domain.invoices.invoice import (
    Numbered,
    Standing,
    TaxDocument,
    invoice_year,
    issue_credit_note,
    issue_invoice,
    why_no_invoice,
)
from s2cart.domain.invoices.numbering import Series
from s2cart.domain.orders.order import Order
from s2cart.domain.orders.status import OrderStatus

logger = logging.getLogger("s2cart.invoices")


async def invoice_paid_order(uow: UnitOfWork, order: Order, now: datetime) -> TaxDocument | None:
    """The order's tax invoice, issued now unless it has one; None when it cannot have one."""
    assert order.id is not None
    if order.status is OrderStatus.CANCELLED:
        return None  # a late payment of a cancelled order is refunded, and nothing was supplied
    existing = await uow.invoices.of_order(order.id, Series.INVOICE)
    if existing is not None:
        return existing
    store = await uow.catalog.store(order.store_id)
    refusal = why_no_invoice(Standing.of(order, store))
    if refusal is not None:
        logger.info("order %s paid without a tax invoice: %s (%s)", order.order_number, refusal.message, refusal.code)
        return None
    year = invoice_year(now)
    serial = await uow.invoices.next_serial(order.store_id, Series.INVOICE, year)
    document = await uow.invoices.add(issue_invoice(order, store, now, Numbered(year, serial)))
    logger.info("order %s: tax invoice %s issued", order.order_number, document.number)
    return document


async def credit_cancelled_order(uow: UnitOfWork, order: Order, now: datetime) -> TaxDocument | None:
    """The credit note of a cancelled, invoiced order, issued now unless it has one; None without an invoice."""
    assert order.id is not None
    invoice = await uow.invoices.of_order(order.id, Series.INVOICE)
    if invoice is None:
        return None
    existing = await uow.invoices.of_order(order.id, Series.CREDIT_NOTE)
    if existing is not None:
        return existing
    year = invoice_year(now)
    serial = await uow.invoices.next_serial(order.store_id, Series.CREDIT_NOTE, year)
    document = await uow.invoices.add(issue_credit_note(invoice, order, now, Numbered(year, serial)))
    logger.info("order %s: credit note %s issued against %s", order.order_number, document.number, invoice.number)
    return document
