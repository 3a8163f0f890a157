from django.apps import AppConfig


class ForwardingConfig(AppConfig):
    name = "jianbao.forwarding"
    verbose_name = "转报"
