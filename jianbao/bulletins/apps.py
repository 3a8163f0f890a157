from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jianbao.bulletins"
    verbose_name = "期刊"
