from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from jianbao.config.api import api
from jianbao.workbench import views as workbench_views

admin.site.site_header = "简报系统管理"
admin.site.site_title = "简报系统管理"


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers; touches no database, so it is also the benchmarks' baseline."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", workbench_views.home, name="home"),
    path("notifications/", include("jianbao.notifications.urls")),
    path("accounts/", include("jianbao.accounts.urls")),
    path("submissions/", include("jianbao.submissions.urls")),
    path("search/", include("jianbao.search.urls")),
    path("issues/", include("jianbao.bulletins.urls")),
    path("proofreading/", include("jianbao.proofreading.urls")),
    path("archive/", include("jianbao.archive.urls")),
    path("commissions/", include("jianbao.commissions.urls")),
    path("distribution/", include("jianbao.distribution.urls")),
    path("instructions/", include("jianbao.instructions.urls")),
    path("emergency/", include("jianbao.emergency.urls")),
    path("forwarding/", include("jianbao.forwarding.urls")),
    path("assessment/", include("jianbao.assessment.urls")),
    path("help/", include("jianbao.guide.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "jianbao.accounts.views.permission_denied"
