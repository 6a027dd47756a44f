"""What pamong.clients keeps: machine clients and webhook subscribers of agencies, and django-oauth-toolkit's
tables behind the clients. No citizen's data: the one encrypted field, WebhookSubscription.secret, is the
subscriber's signing secret; client-credentials tokens belong to no person (their `user` stays empty). The
toolkit's tables can link to an account (other grant types, which Pamong does not offer): those rows go with
the account."""

from __future__ import annotations

from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from pamong.core.personal_data import PersonalData, declare


def erase(user) -> dict[str, int]:
    deleted = 0
    for model in (
        get_refresh_token_model(),
        get_access_token_model(),
        get_id_token_model(),
        get_grant_model(),
        get_application_model(),
    ):
        count, _ = model.objects.filter(user=user).delete()
        deleted += count
    return {"oauth_rows_deleted": deleted}


declare(
    PersonalData(
        module="clients",
        models=(
            "clients.WebhookSubscription",
            "oauth2_provider.Application",
            "oauth2_provider.AccessToken",
            "oauth2_provider.RefreshToken",
            "oauth2_provider.IDToken",
            "oauth2_provider.Grant",
            "oauth2_provider.DeviceGrant",
        ),
        retention="webhook subscribers while their agency keeps them (switched off, not deleted); client tokens "
        "until they expire (an hourly job deletes them); no personal data",
        erase=erase,
    )
)
