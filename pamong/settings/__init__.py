"""Settings are split: base (shared), local (development), test, production. Pick with DJANGO_SETTINGS_MODULE."""
