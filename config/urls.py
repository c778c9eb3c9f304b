from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from config.health import healthz
from org.password_reset import PasswordResetView
from plans import urls as plan_urls
from supervision.homes import home
from tasks import plan_urls as plan_page_urls

admin.site.site_header = "督办系统管理"
admin.site.site_title = "督办系统"
admin.site.index_title = "数据管理"


urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("config.api_urls")),
    # The plans namespace holds the import wizard (plans) and the plan pages, which show task status (tasks).
    path("plans/", include((plan_page_urls.urlpatterns + plan_urls.urlpatterns, "plans"))),
    path("registry/", include("org.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("tasks.urls")),
    path("", include("supervision.urls")),
]

handler400 = "config.errors.bad_request"
