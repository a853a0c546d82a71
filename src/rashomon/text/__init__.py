"""Text tools every stage shares (no stage of its own): the spaCy pipeline (:mod:`.nlp`), places and the
states behind them (:mod:`.geo`), figures normalised across wordings (:mod:`.quantities`), and passages,
content keys and similarity for comparing sentences without a parse (:mod:`.textsim`).
"""
