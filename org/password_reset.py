"""Password reset by e-mail, with limits so the form cannot be used to flood an inbox or a mail server.

Per address: `PASSWORD_RESET_RATE_ADDRESS` requests (default 10 an hour), then a 429 page. Per e-mail
address asked for: `PASSWORD_RESET_RATE_EMAIL` mails (default 3 an hour); past that the page answers
as usual and sends nothing, so the answer never tells whether the address has an account.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from core.client import client_address
from org.forms import AccountPasswordForm

_GROUP = "password_reset"


def _by_address(group, request):
    return client_address(request)


def _by_email(group, request):
    return request.POST.get("email", "").strip().casefold()


def _limited(request, what: str, key, rate: str) -> bool:
    return is_ratelimited(request, group=f"{_GROUP}:{what}", key=key, rate=rate, increment=True)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = AccountPasswordForm

    def post(self, request, *args, **kwargs):
        if is_ratelimited(
            request,
            group=f"{_GROUP}:address",
            key=_by_address,
            rate=settings.PASSWORD_RESET_RATE_ADDRESS,
            increment=True,
        ):
            message = "找回密码的请求过于频繁,请一小时后再试,或联系督查科重置密码。"
            return render(request, "error.html", {"title": "请求过于频繁", "message": message}, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if is_ratelimited(
            self.request,
            group=f"{_GROUP}:email",
            key=_by_email,
            rate=settings.PASSWORD_RESET_RATE_EMAIL,
            increment=True,
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
