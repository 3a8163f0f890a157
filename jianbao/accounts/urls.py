from django.contrib.auth import views as auth_views
from django.urls import path

from jianbao.accounts import audit_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password.html", success_url="/accounts/password/done/"
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/new/", views.issue_token, name="issue_token"),
    path("audit/", audit_views.audit, name="audit"),
    path("audit/export.<str:fmt>", audit_views.audit_export, name="audit_export"),
]
