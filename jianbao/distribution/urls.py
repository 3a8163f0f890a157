from django.urls import path

from jianbao.distribution import views, views_lists

app_name = "distribution"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("issues/", views.distributed, name="distributed"),
    path("issues/<int:pk>/", views.ledger, name="ledger"),
    path("issues/<int:pk>/ack/", views.acknowledge, name="acknowledge"),
    path("issues/<int:pk>/remind/", views.remind, name="remind"),
    path("issues/<int:pk>/export.xlsx", views.export, name="export"),
    path("groups/", views_lists.groups, name="groups"),
    path("groups/new/", views_lists.group_create, name="group_create"),
    path("groups/<int:pk>/", views_lists.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", views_lists.group_delete, name="group_delete"),
    path("series/<int:pk>/", views_lists.series_list, name="series"),
    path(
        "series/<int:pk>/recipients/<int:entry_pk>/remove/",
        views_lists.series_remove,
        name="series_remove",
    ),
]
