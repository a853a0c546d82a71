"""The saved state of the family and story indexes (corpus stage): what :meth:`FamilyIndex.dump` and
:meth:`StoryIndex.dump` write into the store, read back by :func:`load`.

The state is pickled, and a pickle names the module of every class it holds. Stores written before the
source tree was laid out by stage name the old flat paths (``rashomon.families``, ``rashomon.stories``,
``rashomon.represent``); :data:`MOVED` maps them to where those classes live now, so such a store keeps
its families and stories. A state that still cannot be read (a class that no longer exists, a damaged
blob) is a :class:`~rashomon.errors.ConfigError`: the placer then rebuilds both indexes from the stored
notes, in arrival order, and says so — never a ``ModuleNotFoundError``.

>>> import pickle
>>> load(pickle.dumps({"version": 1}), "story")
{'version': 1}
>>> load(b"not a pickle", "story")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
rashomon.errors.ConfigError: E003 saved story index cannot be read (...). ...
"""

from __future__ import annotations

import io
import pickle
from typing import Any, BinaryIO

from ..errors import ConfigError

# module paths of rashomon 0.1.0's flat tree -> where the classes of a saved state live now
MOVED = {
    "rashomon.families": "rashomon.group.families",
    "rashomon.stories": "rashomon.group.stories",
    "rashomon.represent": "rashomon.group.represent",
}
# what a saved state may hold besides rashomon's own classes (a state is read from our own store, but a
# store is a file anyone can hand us: nothing outside these is ever imported while reading one)
_ALLOWED = ("rashomon.", "numpy", "datasketch.", "builtins", "collections", "array", "copyreg", "_codecs")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        module = MOVED.get(module, module)
        if not (module == "numpy" or module.startswith(_ALLOWED)):
            raise pickle.UnpicklingError(f"unexpected {module}.{name} in a saved index")
        return super().find_class(module, name)


def load(data: bytes | BinaryIO, what: str) -> Any:
    """The object pickled in ``data`` (a saved ``what`` index: bytes, or a binary file read as it is
    unpickled), old module paths mapped to new ones."""
    try:
        return _Unpickler(io.BytesIO(data) if isinstance(data, bytes | bytearray) else data).load()
    except Exception as exc:  # noqa: BLE001 - any failure to read means: rebuild from the notes
        raise ConfigError(f"saved {what} index cannot be read ({exc})",
                          "The families and stories are rebuilt from the stored notes (nothing is parsed "
                          "again); or start a new store with another --db.") from exc
