from django.urls import path

from jianbao.instructions import views

app_name = "instructions"

urlpatterns = [
    path("", views.follow_up_list, name="list"),
    path("mine/", views.my_instructions, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/ask/", views.ask_more, name="ask_more"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/close/", views.close, name="close"),
]
