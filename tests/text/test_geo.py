from rashomon.text import geo


def test_capitals_demonyms_and_names_resolve_to_states():
    assert geo.state_of("Ottawa") == "CAN"
    assert geo.state_of("Tokyo") == "JPN"
    assert geo.state_of("Canadian") == "CAN"
    assert geo.state_of("Canadians") == "CAN"
    assert geo.state_of("Chinese") == "CHN"  # not Macau, which shares the demonym
    assert geo.state_of("U.S.") == "USA"
    assert geo.state_of("the United Kingdom") == "GBR"
    assert geo.state_of("Tehran") == "IRN"


def test_cities_are_places_but_do_not_stand_for_a_state():
    assert geo.place_kind("Osaka") == "city"
    assert geo.country_of("Osaka") == "JPN"
    assert geo.state_of("Osaka") is None


def test_non_places():
    assert geo.lookup("Friday") is None
    assert geo.lookup("") is None
    assert geo.state_of("in") is None  # two-letter codes are not words
