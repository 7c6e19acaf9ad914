"""Documents rendered for people: tax invoices and credit notes as PDF (fpdf2)."""
