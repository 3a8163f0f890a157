from django.urls import path

from jianbao.commissions import views

app_name = "commissions"

urlpatterns = [
    path("", views.commission_list, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/answer/", views.answer_new, name="answer_new"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/remind/", views.remind, name="remind"),
]
