from django.urls import path

from . import views

app_name = "mailings"

urlpatterns = [
    path("", views.mailing_list, name="list"),
    path("<int:pk>/", views.mailing_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.mailing_action, name="action"),
]
