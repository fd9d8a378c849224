"""helpers: the notebooks' one import.

    import helpers as h
    corpus = h.load_corpus()                       # corpus -> clean text + audit
    freqs = h.term_frequencies(corpus)             # tokens -> tidy per-outlet tables
    h.plot_top_terms(freqs, outlet="aljazeera")    # -> correctly shaped RTL Arabic charts

Everything public lives in the small package ``arabnews`` beside this file, one room per concern;
this module only gathers the public names so a reader can guess them (quanteda-style verbs).
"""
from arabnews.corpus import *    # noqa: F401,F403  load_corpus, corpus errors
from arabnews.cleaning import *  # noqa: F401,F403  clean_article, cleaning_report
from arabnews.text import *      # noqa: F401,F403  normalize, tokenize, tokens, stopwords
from arabnews.stats import *     # noqa: F401,F403  term_frequencies, keyness
from arabnews.trends import *    # noqa: F401,F403  term_trends, entity_trends
from arabnews.compounds import *  # noqa: F401,F403  compound_phrases (multiword names as one term)
from arabnews.ngrams import *    # noqa: F401,F403  ngrams, collocations
from arabnews.concordance import *  # noqa: F401,F403  kwic, dispersion (clitic-aware)
from arabnews.entities import *  # noqa: F401,F403  entity_mentions, entity_frequencies, ...
from arabnews.shaping import *   # noqa: F401,F403  shape_for_display, Arabic fonts
from arabnews.plots import *     # noqa: F401,F403  plot_*, save_figure
from arabnews.display import *   # noqa: F401,F403  show_rtl and other notebook display helpers
from arabnews.describe import *  # noqa: F401,F403  corpus-true sentences: describe_corpus, say, say_empty
from arabnews.classroom import *  # noqa: F401,F403  check_answer (exercise checks), classroom copies
