from django.apps import AppConfig


class DistributionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jianbao.distribution"
    verbose_name = "分发签收"
