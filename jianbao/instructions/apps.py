from django.apps import AppConfig


class InstructionsConfig(AppConfig):
    name = "jianbao.instructions"
    verbose_name = "批示督办"
