"""The audit trail becomes append-only and hash-chained.

Existing events are chained in the order they were written (created_at, id); then a trigger
refuses UPDATE and DELETE on the table (PostgreSQL: both; SQLite: UPDATE, since Django's test
flush deletes rows there and cannot be told apart from an attacker — the chain finds deletions).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION jianbao_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_TRIGGER = """
CREATE TRIGGER accounts_auditevent_append_only
BEFORE UPDATE OR DELETE ON accounts_auditevent
FOR EACH ROW EXECUTE FUNCTION jianbao_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS jianbao_audit_append_only();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;"


def chain_existing_events(apps, schema_editor):
    from jianbao.accounts.audit_chain import GENESIS, ChainRecord, chain_hash, plain_detail

    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditChainHead = apps.get_model("accounts", "AuditChainHead")
    User = apps.get_model("accounts", "User")
    users = {
        user.pk: (user.username, user.display_name, user.unit.name if user.unit_id else "")
        for user in User.objects.select_related("unit")
    }
    prev, sequence = GENESIS, 0
    for event in AuditEvent.objects.order_by("created_at", "pk").iterator():
        sequence += 1
        name, display, unit = users.get(event.actor_id, ("", "", ""))
        event.sequence = sequence
        event.actor_name, event.actor_display, event.actor_unit = name, display, unit
        event.outcome = {"access.denied": "denied", "auth.login_failed": "failure"}.get(
            event.action, "success"
        )
        event.detail = plain_detail(event.detail)
        event.prev_hash = prev
        event.hash = chain_hash(
            ChainRecord(
                sequence=sequence,
                created_at=event.created_at,
                actor_id=event.actor_id,
                actor_name=name,
                actor_unit=unit,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                outcome=event.outcome,
                ip_address=event.ip_address,
                detail=event.detail,
                prev_hash=prev,
            )
        )
        event.save()
        prev = event.hash
    AuditChainHead.objects.update_or_create(pk=1, defaults={"sequence": sequence, "hash": prev})


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(PG_FUNCTION, params=None)
        schema_editor.execute(PG_TRIGGER, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial_units_users_audit"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("sequence", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "审计链头", "verbose_name_plural": "审计链头"},
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-sequence"],
                "verbose_name": "审计事件",
                "verbose_name_plural": "审计事件",
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, unique=True, verbose_name="序号"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="用户名"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_display",
            field=models.CharField(blank=True, max_length=50, verbose_name="姓名"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_unit",
            field=models.CharField(blank=True, db_index=True, max_length=100, verbose_name="单位"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="outcome",
            field=models.CharField(
                choices=[("success", "成功"), ("failure", "失败"), ("denied", "拒绝")],
                db_index=True,
                default="success",
                max_length=10,
                verbose_name="结果",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="前序哈希"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="哈希"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="时间"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to=settings.AUTH_USER_MODEL,
                verbose_name="用户",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(db_index=True, max_length=50, verbose_name="事件"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="object_type",
            field=models.CharField(blank=True, max_length=50, verbose_name="对象类型"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="object_id",
            field=models.CharField(blank=True, max_length=50, verbose_name="对象编号"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="detail",
            field=models.JSONField(blank=True, default=dict, verbose_name="详情"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="ip_address",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="来源地址"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
