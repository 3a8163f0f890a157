from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jianbao.accounts"
    verbose_name = "用户与单位"

    def ready(self) -> None:
        # Importing connects the auth signals and the login lockouts to the audit trail.
        from jianbao.accounts import audit_hooks, identity_hooks  # noqa: F401
