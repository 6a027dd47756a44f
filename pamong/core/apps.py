from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils.translation import get_language, gettext

from .errors import install_translator


def _tune_sqlite(sender, connection, **kwargs) -> None:
    """WAL lets readers run while one writer writes; NORMAL sync is durable in WAL mode at a fraction of the cost."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")
            cursor.execute("PRAGMA foreign_keys=ON;")
            cursor.execute("PRAGMA busy_timeout=20000;")


class CoreConfig(AppConfig):
    name = "pamong.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(_tune_sqlite, dispatch_uid="pamong.core.sqlite_tuning")
        from . import checks  # noqa: F401  (registers the production guard)
        from .formatting import format_number

        install_translator(
            gettext=gettext, language=lambda: get_language() or settings.LANGUAGE_CODE, number=format_number
        )
