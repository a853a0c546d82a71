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


def test_the_given_names_table_answers_as_gender_guesser_does():
    """rashomon keeps gender-guesser's answers as a plain table (it loads in a fifth of the time): for every
    name the package knows, in any case, and for words it does not know, the answer is the package's."""
    import gender_guesser.detector as gender

    from rashomon.text.geo import GivenNames, name_dictionary

    detector = gender.Detector(case_sensitive=False)
    table = name_dictionary()
    assert isinstance(table, GivenNames)
    names = list(detector.names)
    words = names + [n.upper() for n in names[::7]] + [n.title() for n in names[::5]] + \
        ["Mannschaft", "Kethra", "", "İlse", "MARÍA", "Jean-Claude"]
    assert [table.get_gender(w) for w in words] == [detector.get_gender(w) for w in words]
    assert [table.get_gender(w) for w in ("Hillary", "Donald", "Addison", "Kethra")] == ["female", "male", "andy", "unknown"]
