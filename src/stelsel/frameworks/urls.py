from django.urls import path

from stelsel.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("kaders/", views.framework_list, name="list"),
    path("kaders/<slug:slug>/v<int:version>/", views.framework_detail, name="detail"),
    path("kaders/<slug:slug>/v<int:version>/<str:code>/", views.standard_detail, name="standard"),
]
