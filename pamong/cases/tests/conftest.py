"""Fixtures for the decision path live in pamong/conftest.py (shared with accounts and oversight tests)."""
