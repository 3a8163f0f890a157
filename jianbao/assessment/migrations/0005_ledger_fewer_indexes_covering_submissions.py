"""Fewer ledger indexes, a covering index for the recompute's submissions (issue 17).

- The ledger keeps `ledger_unit_date_idx` (a unit's lines) and `rank_ledger_date_unit_pts`
  (date, unit, points; 0004). Dropped: `ledger_date_unit_idx` (a prefix of the latter) and the
  foreign-key indexes of unit (a prefix of the former), class, rule version and run. Each index
  was written on every line of the recompute's replace and on its delete.
- `rank_submission_submitted` (submitted_at) becomes (submitted_at, unit_id, state, kind): the
  recompute reads every reported item of the year by date; with the columns in the index it
  reads the index alone instead of a table look-up per item (200,000 items: ~1.6 s → ~0.4 s on
  SQLite). The monthly counts of the statistics use its prefix as before.

SQLite alters the foreign keys by copying the table, which drops the index 0004 made in plain
SQL; the last operation makes it again.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_identity_passwords_sessions_tokens"),
        ("assessment", "0004_ranking_statistics_indexes"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS rank_submission_submitted_cover ON submissions_submission"
            " (submitted_at, unit_id, state, kind)",
            reverse_sql="DROP INDEX IF EXISTS rank_submission_submitted_cover",
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS rank_submission_submitted",
            reverse_sql="CREATE INDEX IF NOT EXISTS rank_submission_submitted"
            " ON submissions_submission (submitted_at)",
        ),
        migrations.RemoveIndex(
            model_name="ledgerevent",
            name="ledger_date_unit_idx",
        ),
        migrations.AlterField(
            model_name="ledgerevent",
            name="rule_set_version",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="assessment.rulesetversion",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerevent",
            name="run",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="assessment.recomputerun",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerevent",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.unit",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerevent",
            name="unit_class",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="assessment.unitclass",
            ),
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS rank_ledger_date_unit_pts"
            " ON assessment_ledgerevent (date, unit_id, points)",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
