"""Folium map builders (web pages) and, later, static PNG/PDF exports."""
