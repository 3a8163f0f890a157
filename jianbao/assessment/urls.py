"""考核 pages under /assessment/: rankings, the 通报 and statistics (helper `rankings`), and the
ledger, rule sets, facts and objections (helper `scoring`) — one file, additive edits."""

from django.urls import path

from jianbao.assessment import views_rankings, views_statistics

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
]
