from django.apps import AppConfig


class CommissionsConfig(AppConfig):
    name = "jianbao.commissions"
    verbose_name = "约稿"
    default_auto_field = "django.db.models.BigAutoField"
