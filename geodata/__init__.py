"""Geodata: reading GIS files, CRS handling, column mapping, and the demo generator."""
