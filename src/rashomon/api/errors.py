"""Errors only the HTTP layer raises, in the same shape as :mod:`rashomon.errors` (code, message, fix) and
with the status the API answers. Codes E1xx are the API's; the library's catalogue keeps E0xx.

>>> e = PayloadTooLarge("request body too large", "Send less.")
>>> (e.status, str(e))
(413, 'E101 request body too large. Send less.')
"""

from __future__ import annotations

from ..errors import RashomonError


class PayloadTooLarge(RashomonError):
    code = "E101"
    status = 413


class Unauthorized(RashomonError):
    code = "E102"
    status = 401


class Forbidden(RashomonError):
    code = "E103"
    status = 403


class UnsupportedMedia(RashomonError):
    code = "E104"
    status = 415


class Unprocessable(RashomonError):
    """The request was well-formed but carries no article that can be stored (e.g. missing text)."""

    code = "E105"
    status = 422
