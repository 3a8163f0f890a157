from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "jianbao.emergency"
    verbose_name = "紧急信息"
