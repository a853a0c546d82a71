"""Who is involved and who said what.

Per article (map stage, on the spaCy parse): :mod:`.mentions` (named-entity mentions and the article's
people), :mod:`.quotes` (direct quotes and their speakers, with :mod:`.quote_marks`, :mod:`.quote_cues`,
:mod:`.speakers`), :mod:`.actors` (event participants coded as states or sectors, for ``what``).
Corpus stage: :mod:`.entities` (one canonical entity per referent), :mod:`.quote_groups` (speakers as
entities, one group per statement, wording differences). Shared lexicons: :mod:`.names`.
"""
