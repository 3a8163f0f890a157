from django.urls import path

from jianbao.emergency import views

app_name = "emergency"

urlpatterns = [
    path("", views.thread_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("<int:pk>/songyue.pdf", views.download, name="download"),
]
