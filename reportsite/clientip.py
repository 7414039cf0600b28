"""The client's address, for the per-client rate limits and the admin login lock-out.

Without a proxy it is REMOTE_ADDR. Behind a proxy every request comes from the proxy, so set
CLIENT_IP_HEADER to the header the proxy writes the client's address into: `X-Real-IP`
(nginx: `proxy_set_header X-Real-IP $remote_addr;`) or `X-Forwarded-For`, of which the last
address is taken, the one the proxy itself added. Only set it when a proxy always writes that
header: a client could otherwise pick its own address.
"""

from django.conf import settings


def client_ip(request) -> str:
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        addresses = [part.strip() for part in value.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
