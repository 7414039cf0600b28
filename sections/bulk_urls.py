"""/data/: the bulk download of the published archive (sections/bulk.py)."""

from django.urls import path

from sections import bulk, bulk_views

app_name = "bulk"
urlpatterns = [
    path("data/", bulk_views.about, name="about"),
    path(f"data/{bulk.MANIFEST}", bulk_views.manifest, name="manifest"),
    *(
        path(f"data/{name}", bulk_views.download, {"file_format": file_format}, name=file_format)
        for file_format, name in bulk.FILES.items()
    ),
]
