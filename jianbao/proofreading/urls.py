from django.urls import path

from jianbao.proofreading import views

app_name = "proofreading"

urlpatterns = [
    path("submissions/<int:pk>/", views.submission_findings, name="submission"),
    path("submissions/<int:pk>/accept/", views.accept, name="accept"),
    path("submissions/<int:pk>/accept-all/", views.accept_all, name="accept_all"),
    path("issues/<int:pk>/", views.issue_findings, name="issue"),
    path("issues/<int:pk>/entries/<int:entry_pk>/accept/", views.accept_entry, name="accept_entry"),
    path("ignore/", views.ignore, name="ignore"),
    path("settings/", views.office_settings, name="settings"),
]
