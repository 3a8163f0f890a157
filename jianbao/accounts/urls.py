from django.contrib.auth import views as auth_views
from django.urls import path

from jianbao.accounts import audit_views, identity_views

app_name = "accounts"

urlpatterns = [
    path("login/", identity_views.LoginView.as_view(), name="login"),
    path("logout/", identity_views.logout_view, name="logout"),
    path("password/", identity_views.password_change, name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    path("otp/verify/", identity_views.otp_verify, name="otp_verify"),
    path("otp/setup/", identity_views.otp_setup, name="otp_setup"),
    path("otp/recovery-codes/", identity_views.recovery_codes, name="recovery_codes"),
    path("otp/disable/", identity_views.otp_disable, name="otp_disable"),
    path("security/", identity_views.security, name="security"),
    path("session/keepalive/", identity_views.keepalive, name="keepalive"),
    path("lockouts/", identity_views.lockouts, name="lockouts"),
    path("tokens/", identity_views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", identity_views.revoke_token, name="revoke_token"),
    path("audit/", audit_views.audit, name="audit"),
    path("audit/export.<str:fmt>", audit_views.audit_export, name="audit_export"),
]
