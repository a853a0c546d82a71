"""Where the sources agree and where they differ, and the brief.

Per article (map stage): :mod:`.stance` (who backs or opposes what). Corpus stage, story by story:
:mod:`.claims` (check-worthy claims aligned across articles), :mod:`.compare` (differences: figures,
contradictions, what only one family reports), :mod:`.brief` (the cited brief), checked by :mod:`.support`.
"""
