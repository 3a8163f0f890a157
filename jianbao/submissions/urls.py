from django.urls import path

from jianbao.submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/bulk/", views.bulk, name="bulk"),
    path("new/", views.create, name="create"),
    path("word-preview/", views.word_preview, name="word_preview"),
    path("pending/<int:pk>/remove/", views.remove_pending, name="remove_pending"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/comments/", views.post_comment, name="comment"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.remove_attachment,
        name="remove_attachment",
    ),
]
