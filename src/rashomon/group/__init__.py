"""Which reports are one: syndication families (copies, rewrites, translations of one report) and stories
(reports of one real-world event), built incrementally as articles arrive.

Per article (map stage, in the workers): :mod:`.features` (family fingerprints, story feature counts,
document vectors) over the text representations of :mod:`.represent`. Corpus stage: :mod:`.families`
(``FamilyIndex``), :mod:`.stories` (``StoryIndex``), their saved state (:mod:`.state`). :mod:`.metrics`
(BCubed) measures clusterings for the tests and benchmarks.
"""
