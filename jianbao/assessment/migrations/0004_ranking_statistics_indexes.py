"""Covering indexes for the ranking and statistics aggregates (helper `rankings`).

They live here, as plain SQL, because two of them are on other apps' tables (submissions,
bulletins) whose models should not learn about statistics; the SQL is the same on SQLite and
PostgreSQL. Measured with bench/scoring_bench.py (3,000 units, 200,000 submissions, 60,000
adoptions a year): without them SQLite picked the inbox index with a skip-scan and table
look-ups for the per-unit submission counts (2.5 s instead of ~80 ms).
"""

from django.db import migrations

INDEXES = [
    # Points per unit and per month in a date range, read from the index alone.
    ("rank_ledger_date_unit_pts", "assessment_ledgerevent", "date, unit_id, points"),
    # Adoptions per unit and level, per level and outlet, per item in a date range: index only.
    (
        "rank_adoption_date_unit_lvl",
        "bulletins_adoption",
        "date, unit_id, level, outlet, submission_id",
    ),
    # Submissions per unit (and how many adopted) in a range: index order is group order.
    ("rank_submission_unit_sub_st", "submissions_submission", "unit_id, submitted_at, state"),
    # Submissions per month: one index range count each.
    ("rank_submission_submitted", "submissions_submission", "submitted_at"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_report_publications"),
        ("bulletins", "0001_series_issues_entries_files_adoptions"),
        ("submissions", "0001_initial_submissions_revisions_decisions"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
