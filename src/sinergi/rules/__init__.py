"""Regulations as dated parameter tables and pure Decimal functions. Imports nothing from Django."""
