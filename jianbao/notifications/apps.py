from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jianbao.notifications"
    verbose_name = "消息提醒"
