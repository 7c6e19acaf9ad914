"""The ``DocumentRenderer`` port: fpdf2 (invoice_pdf.py) in a worker thread, a page being milliseconds of CPU.

fpdf2 is imported on the first PDF, not at startup: it brings fontTools and Pillow, about 30 MB a worker that only
a PDF request needs (peak RSS per worker is a target, bench/README.md).
"""

from __future__ import annotations

import asyncio

from s2cart.domain.invoices.invoice import TaxDocument


class FpdfDocumentRenderer:
    async def pdf(self, document: TaxDocument) -> bytes:
        from s2cart.adapters.documents.invoice_pdf import render_pdf

        return await asyncio.to_thread(render_pdf, document)
