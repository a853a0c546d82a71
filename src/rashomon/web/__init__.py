"""The web app: static HTML, CSS and JavaScript served by the API (no build step). Every piece of article
content is put into the page as text (``textContent``), never as markup."""

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
