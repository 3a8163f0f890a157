from django.urls import path

from jianbao.forwarding import views

app_name = "forwarding"

urlpatterns = [
    path("", views.package_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<int:pk>/package.docx", views.download, name="download"),
]
