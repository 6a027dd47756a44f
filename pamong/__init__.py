"""Pamong: public services with a human face."""

__version__ = "0.1.0"
