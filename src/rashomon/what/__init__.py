"""What happened: political events in the PLOVER ontology.

Per article (map stage): :mod:`.events` (who did what to whom, when and where, from the parse). Corpus stage:
:mod:`.event_merge` (one event reported by several articles merged, actors completed from the entities).
"""
