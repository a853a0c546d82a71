"""What happened: political events in the PLOVER ontology.

Per article (map stage): :mod:`.events` (who did what to whom, when and where, from the parse), with
:mod:`.lexicon` (the PLOVER dictionaries, compiled once), :mod:`.verbs` (which verbs and event nouns report an
event) and :mod:`.roles` (who acts on whom, where and when). Corpus stage: :mod:`.event_merge` (one event
reported by several articles merged, actors completed from the entities).
"""
