"""Absolute addresses of this site's pages, built by one rule wherever one is handed out:
citations, feeds, the sitemap, robots.txt, OpenSearch, the API's page links, exports, mails.
"""

from django.conf import settings


def site_url(path: str, request=None) -> str:
    """`path` (a site path such as /kz/2022/kk/p/12/) as an address to hand out.

    On SITE_URL when it is set (the public address, right behind proxies); else on the host
    of `request` when one is given; else `path` itself, for a caller that completes it (the
    syndication framework adds the request's host) or a file read without a host (the bulk
    download's permalinks without SITE_URL).
    """
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path
