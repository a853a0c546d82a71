"""When things happened.

Per article (map stage): :mod:`.times` (temporal expressions resolved against the article's date, with the
patterns of :mod:`.timex` and the calendar arithmetic of :mod:`.timecalc`). Corpus stage: :mod:`.timeline`
(dates inferred for undated articles, the merged timeline).
"""
