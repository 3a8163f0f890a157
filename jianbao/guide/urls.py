from django.urls import path

from jianbao.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.page, name="index"),
    path("screenshots/<path:name>", views.screenshot, name="screenshot"),
    path("<slug:slug>/", views.page, name="page"),
]
