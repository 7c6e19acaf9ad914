"""Tax invoices and credit notes: their numbers, their content and the amount in words (decision 0037)."""
