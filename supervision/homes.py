"""The home page by role: what each user should look at first (supervision.selectors reads it)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from org import access
from supervision import selectors


@login_required
def home(request):
    today = timezone.localdate()
    context = {"today": today, "is_supervisor": access.is_supervisor(request.user)}
    if access.reads_everything(request.user):
        context.update(selectors.supervisor_home(user=request.user, today=today), mode="overview")
    else:
        context.update(selectors.member_home(user=request.user, today=today))
        context["mode"] = "member"
    return render(request, "supervision/home.html", context)
