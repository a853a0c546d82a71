"""One typed configuration object: defaults, then a TOML file, then ``RASHOMON_*`` environment
variables, then explicit overrides (CLI flags). It is passed explicitly to every stage.

>>> cfg = Config().with_overrides(brief_sentences=5)
>>> cfg.brief_sentences
5
"""

from __future__ import annotations

import dataclasses
import gc
import ipaddress
import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True)
class Config:
    # store and run
    db: str = "rashomon.db"
    workers: int = 0  # worker processes; 0 is "auto" (the usable cores, as memory and the input allow)
    batch_size: int = 64
    seed: int = 13
    engine: str = "local"  # local | dask
    scheduler: str | None = None  # dask scheduler address; None starts a LocalCluster
    # inputs
    max_file_bytes: int = 5_000_000
    fetch: bool = False
    fetch_timeout: float = 20.0  # seconds for a whole fetch (redirects and every byte), not per read
    fetch_max_bytes: int = 5_000_000
    fetch_max_redirects: int = 5
    fetch_allow_private: bool = False  # fetch from loopback, private and link-local addresses (read/fetch.py)
    # networks fetched from although not public (an intranet's news server): CIDRs, "10.1.0.0/16,fd00::/8"
    fetch_allowed_networks: tuple[str, ...] = ()
    # inputs that name no outlet (CLI --outlet): a user's word for where a file came from
    outlet: str | None = None
    # cleaning
    min_body_chars: int = 40
    outlet_repeat_min: int = 3  # a line seen in this many articles of one outlet is boilerplate
    # families (syndication)
    family_shingle: int = 5
    family_num_perm: int = 128
    family_jaccard: float = 0.5
    family_align: float = 0.40  # rewrites score ~0.5+, independent reports of one event <= 0.25 (benchmarks/clustering.md)
    # a report and its translation: share of anchored sentences matched in order (benchmarks/languages.md)
    family_translation: float = 0.5
    # stories
    story_threshold: float = 0.14  # average-linkage cut on the similarity with shared neighbours (ECB+ halves)
    story_window_days: int = 60  # no time penalty within it; beyond, window/gap unless one text names the other's date
    story_attach: float = 0.75  # a lone article joins its closest story at this share of story_threshold
    story_local_max: int = 400  # articles re-clustered locally per arrival; beyond, join the best story
    # threads (stories of one long-running topic)
    thread_threshold: float = 0.22  # cosine of rarity-weighted shared names and topic words (ECB+: group/threads.py)
    thread_min_names: int = 2  # named things two linked stories must share
    # brief
    brief_sentences: int = 8
    # web
    max_upload_bytes: int = 5_000_000
    # following feeds (rashomon watch, run/watch.py)
    watch_interval: float = 300.0  # seconds between two polls of one feed
    watch_max_backoff: float = 21600.0  # the longest wait after errors in a row (the wait doubles per error)
    watch_host_delay: float = 1.0  # seconds between two requests to one host (politeness)

    def with_overrides(self, **values: Any) -> Config:
        """A copy with the given fields replaced; ``None`` values are ignored (unset CLI flags)."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}",
                              f"Known settings: {', '.join(sorted(known))}.")
        clean = {k: _checked(k, _coerce(self, k, v)) for k, v in values.items() if v is not None}
        return dataclasses.replace(self, **clean)

    @classmethod
    def load(cls, path: str | Path | None = None, env: dict[str, str] | None = None, **overrides: Any) -> Config:
        """Defaults < TOML file (``rashomon.toml`` in the working directory, or ``path``) < env < overrides."""
        cfg = cls()
        file = Path(path) if path else Path("rashomon.toml")
        if path and not file.exists():
            raise ConfigError(f"config file not found: {str(file)!r}", "Pass an existing TOML file to --config.")
        if file.exists():
            try:
                data = tomllib.loads(file.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"cannot read {str(file)!r}: {exc}", "Fix the TOML syntax.") from exc
            except RecursionError:  # tomllib recurses once per level of nested arrays or inline tables
                raise ConfigError(f"cannot read {str(file)!r}: nested too deep", "Fix the TOML file.") from None
            except OSError as exc:
                raise ConfigError(f"cannot read {str(file)!r}: {exc.strerror or exc}",
                                  "Pass a readable TOML file to --config.") from exc
            table = data.get("rashomon", data)
            if not isinstance(table, dict):
                raise ConfigError(f"{str(file)!r}: 'rashomon' must be a table of settings",
                                  "Write the settings under a [rashomon] header, or at the top level.")
            cfg = cfg.with_overrides(**table)
        source: Mapping[str, str] = os.environ if env is None else env
        from_env = {f.name: source[f"RASHOMON_{f.name.upper()}"] for f in fields(cls)
                    if f"RASHOMON_{f.name.upper()}" in source}
        return cfg.with_overrides(**from_env).with_overrides(**overrides)


# the range of each numeric setting (low, high; None: open); values outside it would fail later, mid-run.
# workers 0 is "auto" (the usable cores); a negative count is refused by _coerce with the choices.
_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "workers": (0, None), "batch_size": (1, None), "max_file_bytes": (1, None), "fetch_timeout": (0.001, None),
    "fetch_max_bytes": (1, None), "fetch_max_redirects": (0, 100), "min_body_chars": (0, None),
    "outlet_repeat_min": (1, None), "family_shingle": (1, 100), "family_num_perm": (1, 4096),
    "family_jaccard": (0, 1), "family_align": (0, 1), "story_threshold": (0, None), "story_window_days": (1, None),
    "story_attach": (0, None), "story_local_max": (1, None), "thread_threshold": (0, 1),
    "thread_min_names": (0, None), "brief_sentences": (0, None), "max_upload_bytes": (1, None),
    "watch_interval": (1, None), "watch_max_backoff": (1, None), "watch_host_delay": (0, 3600),
}
_CHOICES = {"engine": ("local", "dask")}


def _checked(name: str, value: Any) -> Any:
    """A setting's value, refused with a ConfigError when it is not finite, out of range or not a choice."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"setting {name!r} must be a finite number, got {value!r}", "Fix the value.")
    low, high = _BOUNDS.get(name, (None, None))
    if isinstance(value, int | float) and not isinstance(value, bool) and (
            (low is not None and value < low) or (high is not None and value > high)):
        span = (f"at least {low:g}" if high is None else f"at most {high:g}" if low is None
                else f"between {low:g} and {high:g}")
        raise ConfigError(f"setting {name!r} must be {span}, got {value!r}", "Fix the value.")
    if name in _CHOICES and value not in _CHOICES[name]:
        raise ConfigError(f"setting {name!r} must be one of {', '.join(_CHOICES[name])}, got {value!r}",
                          "Fix the value.")
    return value


def _coerce(cfg: Config, name: str, value: Any) -> Any:
    """Convert strings from files and the environment into the field's type, with a clear error."""
    current = getattr(cfg, name)
    if name == "fetch_allowed_networks":
        return _networks(value)
    if name == "workers":
        if isinstance(value, str) and value.strip().lower() == "auto":
            return 0
        try:
            count = int(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: inf from a TOML file
            count = -1
        if count < 0 or isinstance(value, bool):
            raise ConfigError(f"setting 'workers' must be 'auto' or a number of processes, got {value!r}",
                              "Use --workers auto (the default), or 1 (one process), or e.g. 4.")
        return count
    kind = type(current) if current is not None else str
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    try:
        if kind is bool:
            if isinstance(value, str):
                if value.lower() in {"1", "true", "yes", "on"}:
                    return True
                if value.lower() in {"0", "false", "no", "off"}:
                    return False
                raise ValueError(value)
            return bool(value)
        return kind(value)
    except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: an int setting given inf
        raise ConfigError(f"setting {name!r} must be {kind.__name__}, got {value!r}",
                          "Fix the value in the flag, environment variable or config file.") from exc


def _networks(value: Any) -> tuple[str, ...]:
    """A list of networks (TOML) or a comma-separated string (environment), each a valid CIDR."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(x, str) for x in items):
        raise ConfigError(f"setting 'fetch_allowed_networks' must be a list of networks, got {value!r}",
                          'Write e.g. ["10.1.0.0/16"], or RASHOMON_FETCH_ALLOWED_NETWORKS=10.1.0.0/16,fd00::/8.')
    out = tuple(x.strip() for x in items if x.strip())
    for net in out:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError as exc:
            raise ConfigError(f"setting 'fetch_allowed_networks': {net!r} is not a network ({exc})",
                              "Write networks as CIDRs, e.g. 10.1.0.0/16 or 127.0.0.0/8.") from None
    return out


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_blas() -> None:
    """One thread for NumPy's and SciPy's BLAS, unless the user set a count: set before either loads it (they
    are imported later, by what needs them), so it holds in this process and in the workers it forks.

    rashomon's matrix products are small and many (placing an article scores it against a few dozen
    others: 50 x 256 products), and its processes already use every core (a worker each, and this one
    placing while they parse). OpenBLAS's second thread made each such product ~20x slower on a busy
    2-core machine (334 us against 16 us for 50 x 256), its threads spinning on cores the workers need:
    placing 840 articles took 7.4 s of CPU, 3.6 s with one thread, the same placements (a product's
    threads split its rows and columns, never a sum, so every number is the same)."""
    if not any(os.environ.get(name) for name in BLAS_THREADS):
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def freeze_survivors() -> None:
    """For a process that ends with its command (the CLI's, and the workers it forks): whatever survives a
    full pass of the cycle collector is frozen (``gc.freeze``), so the next full pass walks only what was made
    since. A run's notes, indexes and tables live to its end, and each full pass walked them all again: on
    840 articles the parent spent 1.6 s of its 21 s of CPU in 12 full passes, and each reduce worker a
    tenth of its time. The cost: a frozen object that later becomes part of a garbage cycle is never freed,
    which a process that ends with its command can afford (a server, which does not, never calls this).
    Passes over the youngest objects come every YOUNG_PASS new containers: at 700, a run made thousands of
    them, each walking what had just been built and would live on anyway."""
    if _freeze_after_full_pass not in gc.callbacks:
        gc.callbacks.append(_freeze_after_full_pass)
    gc.set_threshold(YOUNG_PASS, *gc.get_threshold()[1:])


#: new containers between two passes over the youngest generation in a run (Python's default: 700)
YOUNG_PASS = 10_000


def survivors_frozen() -> bool:
    """Whether this process freezes what survives (:func:`freeze_survivors`): code that freezes everything
    for a moment (to fork) then leaves it frozen rather than thawing what this policy froze."""
    return _freeze_after_full_pass in gc.callbacks


def _freeze_after_full_pass(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info.get("generation") == 2:
        gc.freeze()
