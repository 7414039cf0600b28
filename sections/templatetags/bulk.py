"""{% bulk_downloads %}: the bulk download's block (links, sizes, date, the reports' status),
read from its manifest, for any page without a view's help."""

from django import template
from django.urls import reverse

from sections import bulk

register = template.Library()

LABELS = {"jsonl": "JSON Lines", "csv": "CSV"}


@register.inclusion_tag("sections/_bulk.html")
def bulk_downloads(about_link: bool = True):
    """The block, with `downloads` (url, label, name, bytes) and `manifest` (None before the
    files are first written); `about_link=False` on /data/ itself, which it would link to."""
    manifest = bulk.read_manifest()
    downloads = []
    if manifest:
        downloads = [
            {
                "url": reverse(f"bulk:{file_format}"),
                "label": LABELS[file_format],
                "name": described["name"],
                "bytes": described["bytes"],
            }
            for file_format, described in manifest["files"].items()
            if file_format in LABELS
        ]
    return {"manifest": manifest, "downloads": downloads, "about_link": about_link}
