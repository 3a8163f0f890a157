from django.urls import path

from jianbao.proofreading import views

app_name = "proofreading"

urlpatterns = [
    path("submissions/<int:pk>/", views.submission_findings, name="submission"),
    path("submissions/<int:pk>/accept/", views.accept, name="accept"),
    path("ignore/", views.ignore, name="ignore"),
    path("settings/", views.office_settings, name="settings"),
]
