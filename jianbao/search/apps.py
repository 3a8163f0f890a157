from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jianbao.search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from jianbao.search import lookups  # noqa: F401  (registers `__holds`, `__any_of`)
