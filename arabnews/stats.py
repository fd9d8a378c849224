"""Per-group term statistics: frequencies (with dispersion), keyness, token totals.

Every function takes the corpus DataFrame (``id``, ``text`` and the grouping column, ``outlet`` by
default) or the token table of ``arabnews.text.tokens`` and returns a tidy pandas frame, one row
per group x term. Counting goes through one core, ``counting_expr`` + ``TOKEN_PATTERN`` run by
polars: ``count_terms`` (batch by batch, memory flat however large the corpus: see benchmarks/)
and the per-article pass behind ``term_frequencies``/``keyness`` use the same expression, and
``arabnews.text.tokenize`` gives exactly the same tokens.

Multiword names count as one term by default (``compounds=True``: every gazetteer name and any
``phrases=`` given, joined with "_" as ``arabnews.compounds`` defines); numbers and Latin tokens
are left out by default (``scripts=("arabic",)``), and ``.attrs["excluded_tokens"]`` says how
many tokens of each script were left out.

With one article per outlet, keyness scores describe that article, not the outlet: the output
carries the counts behind every score so a reader can see how little stands behind it.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd
import polars as pl

from arabnews import cache, checks
from arabnews.checks import LATIN_LETTER, SCRIPTS
from arabnews.measures import (G2_CRITICAL, chi2_sf_1df, dp_from_parts, log_likelihood,  # noqa: F401
                               log_odds_z, log_ratio)
from arabnews.folding import (SURFACE_PATTERN, TOKEN_PATTERN, counting_expr as folding_counting_expr,
                              display_table)
from arabnews.text import clitic_map, is_tokens_table, normalize, terms

__all__ = ["term_frequencies", "keyness", "count_terms", "count_tokens"]
# Also public, for other rooms (not exported by helpers): grouped_terms (the counts behind both
# tables), term_table and keyness_table (the tables finished from those counts).

DEFAULT_SCRIPTS = ("arabic",)
UNITS = ("token", "article")
MEASURES = ("log_ratio", "g2", "log_odds_z")
PANDAS_BATCH_ROWS = 20_000  # articles per batch when count_terms counts a pandas corpus


# --- the counting core -----------------------------------------------------------------------------
def compound_list(compounds: bool = True, phrases: Iterable[str] = ()) -> tuple[str, ...]:
    """Normalised multiword phrases to join into one term: the gazetteer's names (when
    ``compounds``) and the user's ``phrases``; () when there are none."""
    phrases = checks.check_words(phrases, "phrases")
    compounds = checks.check_bool(compounds, "compounds")
    if not compounds and not phrases:
        return ()
    from arabnews.compounds import compound_phrases
    return tuple(compound_phrases(extra=phrases, gazetteer=compounds))


def counting_expr(column: str = "text", *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
                  phrases: tuple[str, ...] = ()) -> pl.Expr:
    """``column`` as counting text in polars (``folding.counting_expr``: normalised, clitic
    tatweels turned into spaces), with each of ``phrases`` joined with "_" (one token)."""
    text = folding_counting_expr(pl.col(column).fill_null(""), fold_ya=fold_ya,
                                 fold_ta_marbuta=fold_ta_marbuta)
    if phrases:
        from arabnews.compounds import join_compounds
        text = join_compounds(text, phrases)
    return text


def script_expr(term: pl.Expr) -> pl.Expr:
    """'latin', 'number' or 'arabic' for a token (polars twin of ``text.script_of``)."""
    return (pl.when(term.str.contains(f"[{LATIN_LETTER}]")).then(pl.lit("latin"))
            .when(term.str.contains("^[0-9]")).then(pl.lit("number"))
            .otherwise(pl.lit("arabic")))


def _as_lazy(source, by: str) -> pl.LazyFrame:
    """The ``by`` and ``text`` columns of a pandas/polars frame as a polars LazyFrame."""
    if isinstance(source, pd.DataFrame):
        checks.check_frame(source, ("text",))
        checks.check_column(source, by)
        frame = pd.DataFrame({by: source[by].astype(str), "text": source["text"].fillna("").astype(str)})
        return pl.from_pandas(frame).lazy()
    if isinstance(source, pl.DataFrame):
        source = source.lazy()
    if not isinstance(source, pl.LazyFrame):
        raise TypeError(f"expected a pandas/polars DataFrame or a LazyFrame, got {type(source).__name__}")
    missing = {by, "text"} - set(source.collect_schema().names())
    if missing:
        raise ValueError(f"corpus is missing column(s) {sorted(missing)}")
    return source.select(pl.col(by).cast(pl.String), pl.col("text").fill_null(""))


def _batches(source, by: str):
    """Yield the source in pieces: slices of a pandas corpus, or each frame of an iterable."""
    if isinstance(source, pd.DataFrame):
        checks.check_frame(source, ("text",))
        checks.check_column(source, by)
        for start in range(0, max(len(source), 1), PANDAS_BATCH_ROWS):
            yield source.iloc[start:start + PANDAS_BATCH_ROWS]
    elif isinstance(source, (pl.DataFrame, pl.LazyFrame)):
        yield source
    elif isinstance(source, (str, bytes)) or not hasattr(source, "__iter__"):
        raise TypeError(f"expected a corpus frame or an iterable of frames, got {type(source).__name__}")
    else:
        yield from source


def _count_batch(batch, by: str, text: pl.Expr, term_map: dict[str, str] | None) -> pl.DataFrame:
    """``count_terms`` for one batch (one row per document), in polars' streaming engine."""
    doc_terms = text.str.extract_all(TOKEN_PATTERN)
    if term_map:
        doc_terms = doc_terms.list.eval(pl.element().replace(term_map))
    lf = (_as_lazy(batch, by)
          .select(pl.col(by).cast(pl.Categorical), term=doc_terms)  # group codes: cheaper to repeat
          .with_columns(first=pl.col("term").list.eval(pl.element().is_first_distinct()))
          .explode("term", "first")
          .drop_nulls("term")
          .group_by(by, "term")
          .agg(count=pl.len(), doc_freq=pl.col("first").sum()))
    return (lf.collect(engine="streaming")
            .with_columns(pl.col(by).cast(pl.String), pl.col("count", "doc_freq").cast(pl.Int64)))


def count_terms(source, by: str = "outlet", *, fold_ya: bool = False, fold_ta_marbuta: bool = False,
                term_map: dict[str, str] | None = None, compounds: bool = False,
                phrases: Iterable[str] = ()) -> pl.DataFrame:
    """Token counts per group: polars frame ``<by>, term, count, doc_freq`` (one row per document).

    ``source`` is a pandas corpus (counted in slices of ``PANDAS_BATCH_ROWS`` articles), a polars
    DataFrame/LazyFrame, any iterable of such frames (batches read from disk), each with columns
    ``<by>`` and ``text``, or a dask DataFrame (counted per partition by
    ``arabnews.cluster.count_terms_dask``, same options, same result). Only running per-group
    totals are kept between batches. All tokens of all scripts, exactly ``tokenize``'s; the raw
    core, so compounds are off here unless asked (``term_frequencies`` turns them on).
    ``term_map`` renames terms before counting (used by the opt-in clitic split).
    """
    options = dict(fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta, term_map=term_map,
                   compounds=compounds, phrases=phrases)
    if type(source).__module__.startswith("dask"):
        from arabnews.cluster import count_terms_dask
        return count_terms_dask(source, by, **options)
    text = counting_expr(fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta,
                         phrases=compound_list(compounds, phrases))
    total = None
    for batch in _batches(source, by):
        part = _count_batch(batch, by, text, term_map)
        if total is not None:
            part = (pl.concat([total, part]).group_by(by, "term")
                    .agg(pl.col("count").sum(), pl.col("doc_freq").sum()))
        total = part
    if total is None:
        return pl.DataFrame(schema={by: pl.String, "term": pl.String, "count": pl.Int64, "doc_freq": pl.Int64})
    return total


def count_tokens(corpus: pd.DataFrame, by: str = "outlet") -> pd.Series:
    """Number of tokens (all scripts, as ``tokenize`` finds them) per group ``by``, in one pass.

    The totals of ``count_terms`` without counting each term: what per-1,000 rates divide by.
    A dask DataFrame is counted per partition by ``arabnews.cluster.count_tokens_dask``.
    """
    if type(corpus).__module__.startswith("dask"):
        from arabnews.cluster import count_tokens_dask
        return count_tokens_dask(corpus, by)
    checks.check_corpus(corpus, ("text",))
    checks.check_column(corpus, by)
    codes, groups = pd.factorize(corpus[by])
    frame = pl.DataFrame({"group": codes, "text": pl.from_pandas(corpus["text"].fillna("").astype(str))})
    totals = (frame.lazy().select("group", counting_expr().str.count_matches(TOKEN_PATTERN).alias("n"))
              .group_by("group").agg(pl.col("n").sum()).collect())
    found = dict(totals.iter_rows())
    if groups.dtype == object:   # text labels: the one string dtype, whatever the loader left
        groups = groups.astype("str")
    return pd.Series([int(found.get(i, 0)) for i in range(len(groups))], index=groups, name="tokens")


# --- per-article counts: the pass behind term tables and keyness -------------------------------------
def _check_source(source, by: str, name: str = "corpus") -> pd.DataFrame:
    """A corpus (unique ids) or tokens table with the ``by`` column and at least one row."""
    table = is_tokens_table(source)
    frame = checks.check_corpus(source, ("id", "token") if table else ("id", "text"), name,
                                unique_ids=not table)
    checks.check_column(frame, by, "by", "the tokens table" if table else name)
    if frame.empty:
        raise ValueError(f"{name} is empty (0 {'tokens' if table else 'articles'}): the selection "
                         f"that made it matched nothing")
    return frame


class _Vocabulary:
    """Terms seen so far, each with a stable integer code (batches add the new ones). Terms
    arrive as polars Categoricals (one hash per token, in the group-by that counts them); their
    physical codes are turned into dense codes by a numpy lookup, so no string is joined."""

    def __init__(self):
        self.dense = np.full(0, -1, dtype=np.int64)   # categorical code -> dense code (-1: unseen)
        self.words: list = []

    def code(self, counts: pl.DataFrame) -> pl.DataFrame:
        """``doc, term, count`` (term String or Categorical) -> ``doc, code, count`` (strings
        dropped: 12 bytes a row)."""
        term = counts["term"].cast(pl.Categorical)
        physical = term.to_physical().to_numpy().astype(np.int64)
        unique = pl.DataFrame({"term": term}).unique("term")["term"]
        seen = unique.to_physical().to_numpy().astype(np.int64)
        if len(seen) and seen.max() >= len(self.dense):
            self.dense = np.concatenate([self.dense, np.full(seen.max() + 1 - len(self.dense), -1, np.int64)])
        unseen = self.dense[seen] < 0
        if unseen.any():
            self.dense[seen[unseen]] = np.arange(len(self.words), len(self.words) + int(unseen.sum()))
            self.words.extend(unique.filter(pl.Series(unseen)).cast(pl.String).to_list())
        return pl.DataFrame({"doc": counts["doc"].cast(pl.UInt32),
                             "code": self.dense[physical].astype(np.uint32),
                             "count": counts["count"].cast(pl.UInt32)})

    def terms(self) -> np.ndarray:
        return np.array(self.words, dtype=object)


def _corpus_article_counts(corpus, by, phrases, fold_ya, fold_ta_marbuta, display):
    """(``doc, code, count`` per article, terms by code, group of each doc, ``term, display`` or
    None): polars passes over slices of ``PANDAS_BATCH_ROWS`` articles (memory bounded by the
    slice, plus 12 bytes per article x term). Words are counted once; compounds change those
    counts (``compounds.compound_count_changes``: the same terms as joining the text first, one
    pass); the display spellings are a second query of each slice."""
    text = counting_expr(fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta)
    texts = corpus["text"].fillna("").astype(str)
    vocabulary, parts, surfaces, seen = _Vocabulary(), [], [], 0
    for start in range(0, len(corpus), PANDAS_BATCH_ROWS):
        piece = texts.iloc[start:start + PANDAS_BATCH_ROWS]
        frame = pl.DataFrame({"doc": np.arange(start, start + len(piece), dtype=np.uint32),
                              "text": pl.from_pandas(piece)})
        counted = frame.select("doc", text=text)    # the counting text, made once for both uses
        words = (counted.lazy().select("doc", term=pl.col("text").str.extract_all(TOKEN_PATTERN))
                 .explode("term").drop_nulls("term")
                 .select("doc", pl.col("term").cast(pl.Categorical), count=pl.lit(1, dtype=pl.Int64)))
        if phrases:     # compounds: their counts in, the words they joined out, in the same sum
            from arabnews.compounds import compound_count_changes
            changes = compound_count_changes(counted, phrases).with_columns(pl.col("term").cast(pl.Categorical))
            words = pl.concat([words, changes.lazy()])
        queries = [words.group_by("doc", "term").agg(pl.col("count").sum()).filter(pl.col("count") > 0)]
        if display:
            queries.append(frame.lazy().select(surface=pl.col("text").str.extract_all(SURFACE_PATTERN))
                           .explode("surface").drop_nulls().with_row_index("order", offset=seen)
                           .group_by("surface").agg(n=pl.len(), first=pl.col("order").min()))
        found = pl.collect_all(queries)
        counts = found[0]
        parts.append(vocabulary.code(counts))
        if display:
            surfaces.append(found[-1])
            seen += int(found[-1]["n"].sum())
    forms = None
    if display:
        merged = (pl.concat(surfaces).group_by("surface")
                  .agg(pl.col("n").sum(), pl.col("first").min()))
        forms = display_table(merged, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta)
    return pl.concat(parts), vocabulary.terms(), corpus[by].astype(str).to_numpy(), forms


def _tokens_article_counts(tok, by, display):
    """The same four results from a ``tokens()`` table (its tokenisation options apply)."""
    docs, ids = pd.factorize(tok["id"])
    groups = pd.Series(tok[by].astype(str).to_numpy()).groupby(docs).first()
    counts = (pl.DataFrame({"doc": docs.astype(np.uint32), "term": tok["token"].astype(str).to_numpy()})
              .group_by("doc", "term").agg(count=pl.len()))
    vocabulary = _Vocabulary()
    coded = vocabulary.code(counts)
    forms = None
    if display and "display" in tok.columns:
        forms = pl.from_pandas(tok[["token", "display"]].drop_duplicates("token")
                               .rename(columns={"token": "term"}).astype(str))
    elif display and "surface" in tok.columns:
        surfaces = (pl.from_pandas(tok[["surface"]].astype(str)).with_row_index("order")
                    .group_by("surface").agg(n=pl.len(), first=pl.col("order").min()))
        forms = display_table(surfaces)
    return coded, vocabulary.terms(), groups.reindex(range(len(ids))).to_numpy(), forms


def _split_clitic_counts(coded: pl.DataFrame, terms_: np.ndarray) -> tuple[pl.DataFrame, pd.DataFrame]:
    """Per-article counts with attested proclitic forms merged into their base, and the merges."""
    totals = np.bincount(coded["code"].to_numpy(), weights=coded["count"].to_numpy(), minlength=len(terms_))
    vocabulary = {t: int(n) for t, n in zip(terms_, totals) if n}
    mapping = clitic_map(vocabulary)
    code_of = {t: i for i, t in enumerate(terms_)}
    new_code = np.arange(len(terms_), dtype=np.uint32)
    for term, (_, base) in mapping.items():
        new_code[code_of[term]] = code_of[base]
    merged = (coded.with_columns(code=pl.Series(new_code[coded["code"].to_numpy()]))
              .group_by("doc", "code").agg(pl.col("count").sum()))
    merges = (pd.DataFrame([(t, c, b, vocabulary[t]) for t, (c, b) in mapping.items()],
                           columns=["term", "clitic", "base", "count"])
              .sort_values(["count", "term"], ascending=[False, True], ignore_index=True))
    return merged, merges


def grouped_terms(source, by: str = "outlet", *, scripts: Iterable[str] = DEFAULT_SCRIPTS,
                  compounds: bool = True, phrases: Iterable[str] = (), split_clitics: bool = False,
                  fold_ya: bool = False, fold_ta_marbuta: bool = False, display: bool = True) -> pd.DataFrame:
    """The counts behind ``term_frequencies`` and ``keyness``: ``<by>, term, count, doc_freq, dp,
    dp_norm[, display]`` of the kept ``scripts``, stopwords still in, unsorted.

    attrs: ``excluded_tokens`` (script -> tokens left out), ``totals`` and ``articles``
    (per group: kept tokens, articles with at least one), ``compounds``, ``compound_tokens``,
    ``clitic_merges`` when split. A dask DataFrame is reduced partition by partition
    (``arabnews.cluster``), with the same result.
    """
    if type(source).__module__.startswith("dask"):
        from arabnews.cluster import grouped_terms_dask
        return grouped_terms_dask(source, by, scripts=scripts, compounds=compounds, phrases=phrases,
                                  split_clitics=split_clitics, fold_ya=fold_ya,
                                  fold_ta_marbuta=fold_ta_marbuta, display=display)
    scripts = checks.check_scripts(scripts)
    plain = _check_source(cache.without_attrs(source, keep=("fingerprint",)), by)
    options = dict(compounds=checks.check_bool(compounds, "compounds"),
                   split_clitics=checks.check_bool(split_clitics, "split_clitics"),
                   fold_ya=checks.check_bool(fold_ya, "fold_ya"),
                   fold_ta_marbuta=checks.check_bool(fold_ta_marbuta, "fold_ta_marbuta"))
    display = checks.check_bool(display, "display")
    # keyed by every option and the grouping column's values (a regrouped corpus keeps its
    # fingerprint, ids and texts); None: not cached (cache off, a tokens table, no fingerprint)
    key = None if is_tokens_table(plain) or not cache.enabled() else cache.corpus_key(
        plain, GROUPED_CACHE_KIND, GROUPED_CACHE_VERSION, by, list(scripts),
        int(pd.util.hash_pandas_object(plain[by].astype(str), index=False).sum() % (1 << 63)),
        list(compound_list(compounds, phrases)), sorted(options.items()))
    found = _cached_grouped(key, display)
    if found is not None:
        return found
    df = _group_terms(plain, by, scripts, phrases=phrases, display=display, **options)
    if key is not None:
        cache.save(GROUPED_CACHE_KIND, key + ("_display" if display else ""), df)
    return df


GROUPED_CACHE_KIND = "grouped_terms"
GROUPED_CACHE_VERSION = 1   # bump when the grouped table's definition changes


def _cached_grouped(key: str | None, display: bool) -> pd.DataFrame | None:
    """The cached grouped table for ``key`` (entries ``key`` and ``key_display``); without display
    spellings, one cached with them (the column dropped) will do."""
    if key is None:
        return None
    for stored in ([key + "_display"] if display else [key, key + "_display"]):
        found = cache.load(GROUPED_CACHE_KIND, stored)
        if found is not None:
            if not display and "display" in found.columns:
                attrs = found.attrs
                found = found.drop(columns="display")
                found.attrs = attrs
            return found
    return None


def _group_terms(source: pd.DataFrame, by: str, scripts: tuple[str, ...], *, compounds: bool = True,
                 phrases: Iterable[str] = (), split_clitics: bool = False, fold_ya: bool = False,
                 fold_ta_marbuta: bool = False, display: bool = True) -> pd.DataFrame:
    """``grouped_terms`` on a checked pandas corpus or tokens table. The per-article arithmetic
    runs on integer codes (numpy bincounts, one polars group-by)."""
    phrase_list = compound_list(compounds, phrases)
    if is_tokens_table(source):
        coded, terms_, doc_groups, forms = _tokens_article_counts(source, by, display)
    else:
        coded, terms_, doc_groups, forms = _corpus_article_counts(source, by, phrase_list, fold_ya,
                                                                  fold_ta_marbuta, display)
    merges = None
    if checks.check_bool(split_clitics, "split_clitics"):
        coded, merges = _split_clitic_counts(coded, terms_)
    code = coded["code"].to_numpy().astype(np.int64)
    count = coded["count"].to_numpy().astype(np.int64)
    vocab = pl.DataFrame({"term": pl.Series(list(terms_), dtype=pl.String),
                          "total": np.bincount(code, weights=count, minlength=len(terms_))})
    vocab = vocab.with_columns(script=script_expr(pl.col("term")))
    excluded = dict(vocab.filter(~pl.col("script").is_in(scripts))
                    .group_by("script").agg(pl.col("total").sum()).iter_rows())
    joined = vocab.filter(pl.col("term").str.contains("_", literal=True)).select(
        tokens=pl.col("total").sum(),
        words=(pl.col("total") * (pl.col("term").str.count_matches("_", literal=True) + 1)).sum())
    keep = vocab["script"].is_in(scripts).to_numpy()[code]
    doc = coded["doc"].to_numpy()[keep].astype(np.int64)
    code, count = code[keep], count[keep]
    group_codes, group_names = pd.factorize(doc_groups)
    size = np.bincount(doc, weights=count, minlength=len(doc_groups))        # kept tokens per article
    has_tokens = size > 0
    total = np.bincount(group_codes, weights=size, minlength=len(group_names))
    articles = np.bincount(group_codes[has_tokens], minlength=len(group_names))
    smallest = pd.Series(size[has_tokens]).groupby(group_codes[has_tokens]).min().reindex(
        range(len(group_names))).to_numpy()
    group = group_codes[doc]
    per_key = (pl.DataFrame({"key": group * len(vocab) + code, "count": count,
                             "share": size[doc] / total[group]}).lazy()
               .with_columns(gap=(pl.col("count") / pl.col("count").sum().over("key") - pl.col("share")).abs())
               .group_by("key").agg(pl.col("count").sum(), doc_freq=pl.len(), gap=pl.col("gap").sum(),
                                    share=pl.col("share").sum())
               .collect())
    keys = per_key["key"].to_numpy()
    key_group = keys // len(vocab)
    dp, dp_norm = dp_from_parts(per_key["gap"].to_numpy(), per_key["share"].to_numpy(),
                                smallest[key_group] / total[key_group])
    df = pd.DataFrame({by: np.asarray(group_names, dtype=object)[key_group],
                       "term": terms_[keys % len(vocab)], "count": per_key["count"].to_numpy().astype(np.int64),
                       "doc_freq": per_key["doc_freq"].to_numpy().astype(np.int64), "dp": dp,
                       "dp_norm": dp_norm})
    if forms is not None:
        df["display"] = _display_column(terms_, forms)[keys % len(vocab)]
    df.attrs["groups"] = sorted(str(g) for g in group_names)   # every group, even one with no kept token
    df.attrs["scripts"] = list(scripts)
    df.attrs["excluded_tokens"] = {k: int(v) for k, v in sorted(excluded.items())}
    df.attrs["totals"] = {str(g): int(n) for g, n, a in zip(group_names, total, articles) if a}
    df.attrs["articles"] = {str(g): int(a) for g, a in zip(group_names, articles) if a}
    df.attrs["compounds"] = len(phrase_list)
    df.attrs["compound_tokens"] = {k: int(v or 0) for k, v in joined.row(0, named=True).items()}
    if merges is not None:
        df.attrs["clitic_merges"] = merges
    return df


def _display_column(terms_: np.ndarray, forms: pl.DataFrame) -> np.ndarray:
    """Display spelling of each term of the vocabulary; a compound (كيم_جونغ_اون) shows its
    words' spellings joined by spaces unless the compound itself has one."""
    shown = (pl.DataFrame({"term": pl.Series(list(terms_), dtype=pl.String)})
             .join(forms.select("term", "display"), on="term", how="left", maintain_order="left")
             .with_columns(pl.when(pl.col("display") == "").then(None).otherwise(pl.col("display"))
                           .alias("display")))
    display = shown["display"].to_numpy().astype(object)
    missing = np.flatnonzero(shown["display"].is_null().to_numpy())
    compounds = [i for i in missing if "_" in terms_[i]]
    display[missing] = terms_[missing]
    if compounds:
        lookup = dict(forms.filter(pl.col("term").is_in(
            list({w for i in compounds for w in terms_[i].split("_")}))).select("term", "display").iter_rows())
        for i in compounds:
            display[i] = " ".join(lookup.get(w) or w for w in terms_[i].split("_"))
    return display


display_column = _display_column   # public name for arabnews.cluster (the same display rule)


def _stopword_set(stopwords) -> frozenset[str]:
    """The user's stopwords as terms: normalised, Latin lower-cased, phrases "_"-joined."""
    words = checks.check_words(stopwords, "stopwords")
    return frozenset("_".join(terms(w)) or normalize(w) for w in words)


# --- term frequencies --------------------------------------------------------------------------
def term_frequencies(corpus: pd.DataFrame, by: str = "outlet", *, stopwords: Iterable[str] = (),
                     scripts: Iterable[str] = DEFAULT_SCRIPTS, min_count: int = 1,
                     split_clitics: bool = False, display: bool = True, compounds: bool = True,
                     phrases: Iterable[str] = (), fold_ya: bool = False,
                     fold_ta_marbuta: bool = False) -> pd.DataFrame:
    """Per-group term table: ``<by>, term, count, per_1k, doc_freq, tfidf, dp, dp_norm, display``.

    ``corpus`` is the corpus or a ``tokens()`` table. ``per_1k`` is per 1,000 tokens of the
    group (all tokens of the kept ``scripts``, stopwords included, so removing stopwords does not
    inflate the rest); ``doc_freq`` = articles of the group using the term; ``tfidf`` = per_1k x
    ln(groups / groups using the term); ``dp`` = Gries' DP over the articles of the group (0 =
    spread as evenly as the article lengths predict, near 1 = in one article), ``dp_norm`` its
    normalised form (NaN for a one-article group); ``display`` = most frequent original spelling.
    ``.attrs``: ``excluded_tokens`` (numbers/Latin left out), ``removed`` (stopwords, min_count),
    ``compound_tokens`` (multiword-name tokens, and the words they joined), ``totals``, ``articles``.
    """
    df = grouped_terms(corpus, by, scripts=scripts, compounds=compounds, phrases=phrases,
                       split_clitics=split_clitics, fold_ya=fold_ya, fold_ta_marbuta=fold_ta_marbuta,
                       display=display)
    return term_table(df, by, stopwords=stopwords, min_count=min_count)


def _table_order(table: pd.DataFrame, by: str) -> np.ndarray:
    """Row order of a term table: group, count (highest first), term; one row per group x term,
    so no ties. Sorted by polars: strings by code point, as pandas sorts them, in a fraction of
    the time."""
    keys = pl.DataFrame({"group": pl.Series(table[by].astype(str).to_numpy(), dtype=pl.String),
                         "count": table["count"].to_numpy(),
                         "term": pl.Series(table["term"].astype(str).to_numpy(), dtype=pl.String)})
    return (keys.with_row_index("row").sort(["group", "count", "term"], descending=[False, True, False])
            ["row"].to_numpy())


def term_table(grouped: pd.DataFrame, by: str = "outlet", *, stopwords: Iterable[str] = (),
               min_count: int = 1) -> pd.DataFrame:
    """``term_frequencies`` from a ``grouped_terms`` table: per_1k, tfidf, stopwords and
    ``min_count`` removed (and counted in ``attrs["removed"]``), sorted."""
    min_count = checks.check_int(min_count, "min_count", minimum=1)
    stop = _stopword_set(stopwords)
    df = grouped
    group_codes, groups = pd.factorize(df[by])
    term_codes = pd.factorize(df["term"])[0]
    totals = np.bincount(group_codes, weights=df["count"].to_numpy(), minlength=len(groups))[group_codes]
    groups_with_term = np.bincount(term_codes)[term_codes]     # one row per group x term
    df = df.assign(per_1k=df["count"] / totals * 1000)
    df["tfidf"] = df["per_1k"] * np.log(len(groups) / groups_with_term)
    is_stop = df["term"].isin(stop)
    too_rare = df["count"] < min_count
    removed = {"stopword_rows": int(is_stop.sum()), "stopword_tokens": int(df.loc[is_stop, "count"].sum()),
               "below_min_count_rows": int((too_rare & ~is_stop).sum()),
               "below_min_count_tokens": int(df.loc[too_rare & ~is_stop, "count"].sum())}
    columns = [by, "term", "count", "per_1k", "doc_freq", "tfidf", "dp", "dp_norm"]
    columns += ["display"] if "display" in df.columns else []
    out = df.loc[~is_stop & ~too_rare, columns]
    out = out.iloc[_table_order(out, by)].reset_index(drop=True)
    out.attrs.update(grouped.attrs)
    out.attrs["removed"] = removed
    return out


# --- keyness -----------------------------------------------------------------------------------
def _sides(groups: set[str], target, reference, by: str) -> tuple[str, set[str]]:
    """Validated target group and reference groups (default: every other group)."""
    target = str(target)
    if target not in groups:
        raise ValueError(f"target {target!r} is not a value of {by!r}: {sorted(groups)}")
    if reference is None:
        reference_groups = groups - {target}
    else:
        reference_groups = {str(reference)} if isinstance(reference, str) else {str(r) for r in reference}
        unknown = reference_groups - groups
        if unknown or target in reference_groups:
            raise ValueError(f"bad reference {sorted(reference_groups)} for target {target!r} "
                             f"(groups: {sorted(groups)})")
    if not reference_groups:
        raise ValueError(f"no reference: {by!r} has only the group {target!r}")
    return target, reference_groups


def keyness(corpus: pd.DataFrame, target: str, reference: str | Iterable[str] | None = None,
            by: str = "outlet", *, measure: str = "log_ratio", unit: str = "token",
            stopwords: Iterable[str] = (), scripts: Iterable[str] = DEFAULT_SCRIPTS,
            min_count: int = 1, prior_scale: float = 1.0, split_clitics: bool = False,
            display: bool = True, compounds: bool = True, phrases: Iterable[str] = ()) -> pd.DataFrame:
    """Terms over/under-used by ``target`` against ``reference`` (default: all other groups).

    Columns: term, target, count_target, count_reference, total_target, total_reference, g2
    (signed: + = more frequent in target; critical values 3.84 / 6.63 / 10.83 for p < .05 /
    .01 / .001), p_value, log_ratio (effect size, binary log), log_odds_z (Monroe et al. 2008,
    prior = ``prior_scale`` x pooled counts), display. Sorted by ``measure``, highest first.

    ``unit="token"`` compares token counts; ``unit="article"`` is text dispersion keyness (Egbert
    & Biber 2019): counts are articles containing the term and totals are articles (with at least
    one token), so a word repeated in one long article does not become key. Terms below
    ``min_count`` (target + reference) are dropped and counted in ``.attrs["removed"]``.
    """
    checks.check_choice(measure, MEASURES, "measure")
    checks.check_choice(unit, UNITS, "unit")
    df = grouped_terms(corpus, by, scripts=scripts, compounds=compounds, phrases=phrases,
                       split_clitics=split_clitics, display=display)
    return keyness_table(df, target, reference, by, measure=measure, unit=unit, stopwords=stopwords,
                         min_count=min_count, prior_scale=prior_scale)


def keyness_table(grouped: pd.DataFrame, target: str, reference: str | Iterable[str] | None = None,
                  by: str = "outlet", *, measure: str = "log_ratio", unit: str = "token",
                  stopwords: Iterable[str] = (), min_count: int = 1,
                  prior_scale: float = 1.0) -> pd.DataFrame:
    """``keyness`` from a ``grouped_terms`` table (its ``attrs`` give the group sizes)."""
    checks.check_choice(measure, MEASURES, "measure")
    checks.check_choice(unit, UNITS, "unit")
    min_count = checks.check_int(min_count, "min_count", minimum=1)
    prior_scale = checks.check_number(prior_scale, "prior_scale", minimum=0)
    stop = _stopword_set(stopwords)
    df = grouped
    scripts = grouped.attrs.get("scripts", DEFAULT_SCRIPTS)
    target, reference_groups = _sides(set(grouped.attrs.get("groups", [])), target, reference, by)
    value = "count" if unit == "token" else "doc_freq"
    sizes = df.attrs["totals"] if unit == "token" else df.attrs["articles"]
    total_t = int(sizes.get(target, 0))
    total_r = int(sum(sizes.get(g, 0) for g in reference_groups))
    what = f"{'tokens' if unit == 'token' else 'articles with tokens'} of scripts {list(scripts)}"
    if total_t == 0:
        raise ValueError(f"target {target!r} has no {what}: nothing to compare (choose another "
                         f"target or keep more scripts)")
    if total_r == 0:
        raise ValueError(f"reference {sorted(reference_groups)} has no {what}: nothing to compare")
    is_target = (df[by] == target).to_numpy()
    on_a_side = is_target | df[by].isin(reference_groups).to_numpy()
    codes, names = pd.factorize(df["term"].to_numpy()[on_a_side])   # order: the final sort's
    values = df[value].to_numpy()[on_a_side].astype(np.int64)
    a = np.bincount(codes, weights=values * is_target[on_a_side], minlength=len(names)).astype(np.int64)
    b = np.bincount(codes, weights=values * ~is_target[on_a_side], minlength=len(names)).astype(np.int64)
    wide = pd.DataFrame({"term": names})
    g2 = log_likelihood(a, b, total_t - a, total_r - b)
    if unit == "token":     # prior: pooled counts, summed over the vocabulary
        pooled = (a + b) * prior_scale
        alpha0 = pooled.sum()
    else:                   # per term, a Beta prior of pooled present/absent articles + 1/2 each
        pooled = (a + b + 0.5) * prior_scale
        alpha0 = (total_t + total_r + 1) * prior_scale
    out = pd.DataFrame({
        "term": wide["term"].to_numpy(), "target": target, "count_target": a, "count_reference": b,
        "total_target": total_t, "total_reference": total_r,
        "g2": np.where(a / total_t > b / total_r, g2, -g2), "p_value": chi2_sf_1df(g2),
        "log_ratio": log_ratio(a, b, total_t, total_r),
        "log_odds_z": log_odds_z(a, b, total_t, total_r, pooled, alpha0),
    })
    if "display" in df.columns:     # one spelling per term: the one of its first row
        first = np.empty(len(names), dtype=np.int64)
        first[codes[::-1]] = np.arange(len(codes))[::-1]
        out["display"] = df["display"].to_numpy()[on_a_side][first]
    is_stop, too_rare = out["term"].isin(stop), (out["count_target"] + out["count_reference"]) < min_count
    removed = {"stopword_rows": int(is_stop.sum()), "below_min_count_rows": int((too_rare & ~is_stop).sum())}
    out = out[~is_stop & ~too_rare].sort_values([measure, "term"], ascending=[False, True], ignore_index=True)
    out.attrs.update({k: v for k, v in df.attrs.items() if k != "articles"})
    out.attrs.update(removed=removed, reference_groups=sorted(reference_groups), unit=unit)
    return out
