from django.urls import path

from . import dashboards, imports, views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("funding/", dashboards.funding, name="funding"),
    path("import/<slug:kind>/", imports.import_page, name="import"),
    path("studies/<slug:slug>/", views.study_detail, name="study"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement"),
    path("agreements/<slug:slug>/update/", views.item_update, name="item_update"),
    path("councils/<slug:slug>/", views.council_detail, name="council"),
    path("<slug:slug>/", views.programme_detail, name="programme"),
]
