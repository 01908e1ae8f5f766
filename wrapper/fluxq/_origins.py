"""Which hosts an output download may reach: public ones, or internal ones only for a local provider.

A provider names the URLs of its outputs; a hostile one could name ``http://169.254.169.254/`` (cloud
metadata) or a service on the caller's own network and have fluxq fetch it. Downloads therefore refuse
loopback, private (RFC 1918, unique-local), link-local, unspecified, multicast and reserved addresses —
by name (``localhost``), by literal in the URL and by the address a connection actually reached — unless
the client talks to such a host itself (the reference provider on ``127.0.0.1``) or the caller opted in.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ._exceptions import DownloadRefused

_LOCAL_NAMES = ("localhost", "localhost.localdomain")


def internal_address(address: str) -> bool:
    """Return True when ``address`` (an IP literal) is loopback, private, link-local or else not public."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def internal_host(host: str | None) -> bool:
    """Return True when a URL's host names an internal machine (``localhost`` or an internal IP literal)."""
    if not host:
        return False
    name = host.lower().rstrip(".")
    return name in _LOCAL_NAMES or name.endswith(".localhost") or internal_address(name)


def local_provider(base_url: str) -> bool:
    """Return True when the API itself lives on an internal host (then its outputs may too)."""
    return internal_host(urlsplit(base_url).hostname)


def check_download_url(url: str, *, allow_internal: bool) -> None:
    """Refuse a download (or redirect) URL whose host is internal, unless allowed.

    Raises:
        DownloadRefused: The host is internal and internal downloads are not allowed.
    """
    host = urlsplit(url).hostname
    if not allow_internal and internal_host(host):
        raise DownloadRefused(
            f"refusing to download from internal host {host!r} named by the provider "
            "(pass allow_internal_downloads=True to allow it)"
        )
