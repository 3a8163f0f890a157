"""One unit class per unit kind, so every unit is ranked in a class from the start."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

DEFAULT_CLASSES = [
    ("区直单位", "office"),
    ("街道", "subdistrict"),
    ("镇", "town"),
    ("其他", "other"),
]


def create_default_classes(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    unit_class = apps.get_model("assessment", "UnitClass")
    for order, (name, kind) in enumerate(DEFAULT_CLASSES, start=1):
        unit_class.objects.get_or_create(
            name=name, defaults={"order": order * 10, "default_for_kind": kind}
        )


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_facts_rules_ledger_objections")]

    operations = [migrations.RunPython(create_default_classes, migrations.RunPython.noop)]
