from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/projects.oc4ids.json", views.oc4ids, name="oc4ids"),
    path("open-data/<slug:name>.<str:fmt>", views.dataset, name="dataset"),
]
