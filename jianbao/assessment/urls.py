"""考核 pages under /assessment/: rankings, the 通报 and statistics (helper `rankings`), and the
ledger, rule sets, facts and objections (helper `scoring`) — one file, additive edits."""

from django.urls import path

from jianbao.assessment import (
    views_classes,
    views_facts,
    views_ledger,
    views_rankings,
    views_statistics,
)

app_name = "assessment"

urlpatterns = [
    # Rankings and the 通报
    path("rankings/", views_rankings.ranking, name="rankings"),
    path("rankings/export.xlsx", views_rankings.ranking_xlsx, name="rankings_xlsx"),
    path("reports/", views_rankings.reports, name="reports"),
    path("reports/draft.<str:fmt>", views_rankings.report_draft, name="report_draft"),
    path("reports/publish/", views_rankings.report_publish, name="report_publish"),
    path("reports/<int:pk>/file.<str:fmt>", views_rankings.report_file, name="report_file"),
    # Statistics
    path("statistics/", views_statistics.statistics, name="statistics"),
    path("statistics/export.xlsx", views_statistics.statistics_xlsx, name="statistics_xlsx"),
    # Ledger, objections, rule sets, recompute, facts (helper `scoring`)
    path("ledger/", views_ledger.ledger, name="ledger"),
    path("ledger/units/<int:unit_id>/", views_ledger.ledger_unit, name="ledger_unit"),
    path("ledger/events/<int:event_id>/object/", views_ledger.objection_new, name="objection_new"),
    path("objections/", views_ledger.objections, name="objections"),
    path("objections/<int:pk>/answer/", views_ledger.objection_answer, name="objection_answer"),
    path("rules/", views_facts.rules, name="rules"),
    path("classes/", views_classes.unit_classes, name="unit_classes"),
    path("classes/new/", views_classes.unit_class_create, name="unit_class_create"),
    path("classes/assign/", views_classes.unit_class_assign, name="unit_class_assign"),
    path("rules/new/", views_facts.rules_edit, name="rules_edit"),
    path("recompute/", views_facts.recompute, name="recompute"),
    path("recompute/<int:pk>/", views_facts.recompute_run, name="recompute_run"),
    path("recompute/<int:pk>/confirm/", views_facts.recompute_confirm, name="recompute_confirm"),
    path("adoptions/new/", views_facts.adoption_new, name="adoption_new"),
    path("adoptions/issue/", views_facts.adoption_issue, name="adoption_issue"),
    path("instructions/new/", views_facts.instruction_new, name="instruction_new"),
]
