from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.download, name="download"),
    path("my-data/delete/", views.delete_account, name="delete"),
    path("my-data/consents/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
