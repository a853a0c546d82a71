"""rashomon: one trustworthy, structured, cited account from many news reports of the same events.

The library is the product; the CLI (:mod:`rashomon.cli`), the REST API and the web app are thin layers
over :func:`rashomon.run.reduce.analyze` and :class:`rashomon.store.Store`.
"""

__version__ = "0.1.0"
