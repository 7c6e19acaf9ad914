"""Tax invoices and credit notes: issued when an order is paid or cancelled, read by customers and accountants."""
