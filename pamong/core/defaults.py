"""Values the settings use as development defaults and the production guard refuses (pure: no Django)."""

DEFAULT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105  (refused in production by checks.py)
