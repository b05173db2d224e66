"""Report files (Excel workbooks) and the tables they are made of."""
