from django.urls import path

from . import open_data_feeds as feeds
from . import views

app_name = "portal"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/projects.oc4ids.json", views.oc4ids, name="oc4ids"),
    path("open-data/projects/<slug:slug>.oc4ids.json", feeds.project_package, name="project_oc4ids"),
    path("open-data/cities/<slug:slug>.oc4ids.json", feeds.city_package, name="city_oc4ids"),
    path("open-data/changes.atom", feeds.changes_feed, name="changes_feed"),
    path("open-data/publication-policy/", feeds.publication_policy, name="publication_policy"),
    path("open-data/<slug:name>.<str:fmt>", views.dataset, name="dataset"),
]
