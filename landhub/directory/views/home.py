"""The signed-in front door, "My hub". The public home page is a Wagtail page (HomePage)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from ..selectors.home import my_hub as my_hub_selector


@login_required
def my_hub(request):
    return render(request, "directory/my_hub.html", my_hub_selector(user=request.user))


urlpatterns = [path("my/", my_hub, name="my_hub")]
