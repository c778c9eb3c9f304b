from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from org import access
from plans.models import Plan
from tasks.models import Task


@login_required
def home(request):
    plans = access.visible_to(request.user, Plan.objects.all(), "tasks__assignments__department")
    tasks = access.visible_to(request.user, Task.objects.all(), "assignments__department")
    return render(
        request,
        "home.html",
        {"plan_count": plans.count(), "task_count": tasks.count(), "is_supervisor": access.is_supervisor(request.user)},
    )
