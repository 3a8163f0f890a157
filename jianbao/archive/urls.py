from django.urls import path

from jianbao.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("upload/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("batches/<int:pk>/resume/", views.batch_resume, name="batch_resume"),
    path("batches/<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/unit/", views.item_unit, name="item_unit"),
    path("items/<int:pk>/series/", views.item_series, name="item_series"),
    path("items/<int:pk>/confirm/", views.item_confirm, name="item_confirm"),
    path("items/<int:pk>/skip/", views.item_skip, name="item_skip"),
    path("items/<int:pk>/file/", views.item_file, name="item_file"),
]
