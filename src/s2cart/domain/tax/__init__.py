"""GST: places of supply, discount allocation and tax by head (CGST, SGST, IGST), standard library only."""
