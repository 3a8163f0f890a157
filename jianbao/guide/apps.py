from django.apps import AppConfig


class GuideConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jianbao.guide"
    verbose_name = "使用指南"
