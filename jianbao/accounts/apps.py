from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jianbao.accounts"
    verbose_name = "用户与单位"

    def ready(self) -> None:
        from jianbao.accounts import audit_hooks  # noqa: F401  (connects auth signals to the audit)
        from jianbao.accounts import identity_hooks  # noqa: F401  (login lockouts to the audit)
