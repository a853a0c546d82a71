"""Which reports are one: syndication families (copies, rewrites, translations of one report) and stories
(reports of one real-world event), built incrementally as articles arrive.

Per article (map stage, in the workers): :mod:`.features` (family fingerprints, story feature counts,
document vectors) over the text representations of :mod:`.represent`. Corpus stage: :mod:`.families`
(``FamilyIndex``), :mod:`.stories` (``StoryIndex``, with its block clustering in :mod:`.story_linkage` and
its array functions in :mod:`.story_math`), their saved state (:mod:`.state`), a story's title and date
(:mod:`.story_titles`). :mod:`.metrics` (BCubed) measures clusterings for the tests and benchmarks.
"""
