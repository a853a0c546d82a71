"""The REST API and web app behind ``rashomon serve`` (a thin layer over the library).

>>> from rashomon.api import create_app, is_loopback
>>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
(True, True, False)
"""

from __future__ import annotations

import ipaddress

from .app import create_app
from .desk import Desk


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server private to this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


__all__ = ["Desk", "create_app", "is_loopback"]
