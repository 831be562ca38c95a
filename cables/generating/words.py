"""The word model: synthetic cable prose from the real corpus.

A Markov chain over the paragraph text of the real corpus (``$CABLE_CORPUS`` or
``../shared/corpus``), built at run time and never stored, writes a pool of 30,000
synthetic sentences; paragraphs are drawn from the pool (see :class:`WordModel`). Without
the corpus a small built-in vocabulary is used, with a warning (``WordModel.warning``).
:func:`load_model` builds a model once per process.
"""

from __future__ import annotations

import bisect
import os
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path

# The built-in vocabulary, for when there is no real corpus.
BUILTIN_TEXT = """
The Ambassador met with the Foreign Minister on Tuesday to discuss the upcoming elections
and the government's plans for economic reform. The Minister said that the ruling party
remained committed to an open and transparent process, but he acknowledged that the
opposition had raised serious concerns about the voter registry. Embassy contacts report
that the security situation in the northern provinces has improved in recent weeks,
although sporadic violence continues along the border. Post will continue to monitor the
situation closely and report any significant developments. The government has asked for
additional assistance to strengthen its customs and border controls. Comment: The
Minister's remarks reflect a growing recognition within the government that cooperation
with the United States serves its long term interests. End comment. Local press coverage
of the visit was largely positive, focusing on the new trade agreement and the expansion
of the exchange program. Several senior officials privately expressed frustration with
the slow pace of the judicial reform, which they attribute to resistance within the
courts. The central bank governor told Econoff that inflation would likely remain high
through the end of the year because of rising food and fuel prices. The opposition
leader said his party would not participate in the dialogue unless the government
released the detained activists. Post recommends that the Department raise the issue in
the next round of bilateral consultations.
"""

QUOTE_ARTIFACT = re.compile(r"(?<![\w&])&(?=[^\s&])([^&\n]{0,400}?[^\s&])8(?![\w])")
PARAGRAPH_START = re.compile(r"^\s*¶?\s*\d{1,2}\s*\.\s*(?:\([A-Za-z/ ]{1,10}\)\s*)?")
PAGE_BREAK = re.compile(r"^[A-Z][A-Z .'()-]*\s+\d{5,}\s+\d{3}\s+OF\s+\d{3}\s*$", re.MULTILINE)
SENTENCE_END_CHARS = (".", "?", "!")
UPPER = re.compile("[A-Z]")
# Page-break lines run into the text, e-mail addresses, web links, rules of dashes and
# overlong tokens: not for the pool.
INLINE_JUNK = re.compile(
    r"\b[A-Z][A-Z .'-]*\s\d{5,}\s+\d{3}\s+OF\s+\d{3}\b|\S+@\S+|<?https?://\S+|\bwww\.\S+"
    r"|(?<!\S)[-=_*.]{3,}(?!\S)|\S{40,}"
)
LOWER = re.compile("[a-z]")


class WordModel:
    """Synthetic sentences from a Markov chain over the real corpus's words, for text that
    reads like cable prose without being any real cable's text.

    The chain: the training text is one flat list of words; a step jumps to a random
    occurrence of the current word and copies the 2–6 words that follow it there (an
    order-1 chain whose joins fall on shared words; verbatim runs are at most six words).
    The chain writes a pool of ``POOL`` sentences once, when the model is built (with a
    fixed seed, so the pool depends only on the corpus); cables are then made of
    sentences drawn from the pool, which costs one random draw per sentence rather than
    per word, so that cables at the full release's size (251,287) are cheap to generate.
    """

    RUN = 6  # the longest run copied in one step
    POOL = 30_000  # sentences in the pool
    LONGEST = 70  # words in a sentence, at most

    def __init__(self, paragraphs: list[str], source: str, warning: str = "", pool: int = POOL):
        self.pool = pool
        self.source = source
        self.warning = warning
        tokens: list[str] = []  # the whole training text, word by word
        for paragraph in paragraphs:
            tokens += paragraph.split()
        if len(tokens) < 4 * self.RUN:
            raise ValueError("no text to build a word model from")
        ids: dict[str, int] = {}
        token_ids = [ids.setdefault(word, len(ids)) for word in tokens]
        occurrences: list[list[int]] = [[] for _ in ids]
        # A run copied from near the end of a paragraph goes on into the next one: still
        # text. Only the last few words of all have no full run after them.
        for position, number in enumerate(token_ids[: -self.RUN - 1]):
            occurrences[number].append(position)
        ends = [
            position for position, word in enumerate(tokens) if word.endswith(SENTENCE_END_CHARS)
        ]
        starts = [
            position + 1
            for position in ends[:-1]
            if tokens[position + 1][:1].isupper() and position + 1 < len(tokens) - self.RUN - 1
        ]
        if not starts:
            raise ValueError("no sentences to build a word model from")
        self.token_count = len(tokens)
        self.vocabulary = len(ids)
        self.sentences = self.write_sentences(tokens, token_ids, occurrences, starts, ends)
        self.mean_sentence = sum(map(len, self.sentences)) / len(self.sentences) + 1

    def write_sentences(self, tokens, token_ids, occurrences, starts, ends) -> list[str]:
        """The pool: ``pool`` sentences walked on the chain with a fixed seed."""
        rand = random.Random("synthetic-sentences").random
        last = len(tokens) - 1
        sentences: list[str] = []
        seen: set[str] = set()
        misses = 0
        while len(sentences) < self.pool and misses < 2_000:
            position = starts[int(rand() * len(starts))]
            out = [tokens[position]]
            finished = tokens[position].endswith(SENTENCE_END_CHARS)
            while not finished and len(out) < self.LONGEST:
                options = occurrences[token_ids[position]]
                if not options:
                    break
                found = options[int(rand() * len(options))] + 1
                stop = found + 2 + int(rand() * (self.RUN - 1))
                # The first sentence end in the run, if any, ends the sentence.
                end = ends[min(bisect.bisect_left(ends, found), len(ends) - 1)]
                if found <= end < stop:
                    stop, finished = end + 1, True
                stop = min(stop, last)
                out += tokens[found:stop]
                position = stop - 1
            if len(out) < 4:
                misses += 1
                continue
            if not out[-1].endswith(SENTENCE_END_CHARS):
                out[-1] = out[-1].rstrip(",;:-") + "."
            sentence = " ".join(out)
            if sentence in seen:
                misses += 1
            else:
                misses = 0
                seen.add(sentence)
                sentences.append(sentence)
        return sentences

    @classmethod
    def from_texts(cls, texts: list[str], source: str) -> WordModel:
        return cls([paragraph for text in texts for paragraph in paragraph_texts(text)], source)

    @classmethod
    def builtin(cls, warning: str = "") -> WordModel:
        text = " ".join(BUILTIN_TEXT.split())
        return cls([text, text], "built-in vocabulary", warning, pool=3_000)

    def text(self, rand: Callable[[], float], length: int) -> str:
        """About ``length`` characters of whole sentences (never fewer than one)."""
        pool = self.sentences
        size = len(pool)
        count = max(1, int(length / self.mean_sentence + rand()))
        return " ".join([pool[int(rand() * size)] for _ in range(count)])

    def phrase(self, rand: Callable[[], float], words: int) -> list[str]:
        """``words`` consecutive words of one sentence, punctuation stripped."""
        sentence = self.sentences[int(rand() * len(self.sentences))]
        cleaned = PHRASE_JUNK.sub(" ", sentence).split()
        start = int(rand() * max(1, len(cleaned) - words))
        return cleaned[start : start + words] or ["Overview"]


PHRASE_JUNK = re.compile(r"[^A-Za-z0-9' -]+|(?<![A-Za-z])['-]|['-](?![A-Za-z])")


def paragraph_texts(text: str) -> Iterator[str]:
    """The numbered paragraphs of one real cable's text, each on one line, with quote
    artifacts repaired, straight quotes, no pilcrows; mostly-upper-case (old) text skipped."""
    text = PAGE_BREAK.sub("", text.replace("\r", ""))
    for block in re.split(r"\n[ \t]*\n", text):
        match = PARAGRAPH_START.match(block)
        if not match:
            continue
        body = " ".join(block[match.end() :].split())
        if len(body) < 120:
            continue
        head = body[:300]
        if len(LOWER.findall(head)) < 2 * len(UPPER.findall(head)):
            continue
        body = INLINE_JUNK.sub(" ", body)
        body = QUOTE_ARTIFACT.sub(r'"\1"', body)
        body = body.translate(STRAIGHTEN).replace("¶", "").replace("\\", "/")
        yield body


STRAIGHTEN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\xa0": " "})


def default_corpus() -> Path:
    """``$CABLE_CORPUS``, else ``../shared/corpus`` beside the project."""
    return Path(
        os.environ.get("CABLE_CORPUS", Path(__file__).resolve().parents[3] / "shared" / "corpus")
    )


_MODELS: dict[str, WordModel] = {}


def load_model(corpus: str | os.PathLike | None = None) -> WordModel:
    """The word model of the real corpus at ``corpus`` (default :func:`default_corpus`),
    built once per process; the built-in vocabulary, with a warning, if it is absent."""
    path = Path(corpus) if corpus else default_corpus()
    key = str(path.resolve())
    if key not in _MODELS:
        from ..parsing import SourceText, read_path

        texts = []
        if path.is_dir():
            texts = [item.text for item in read_path(path) if isinstance(item, SourceText)]
        if texts:
            model = WordModel.from_texts(texts, f"{len(texts)} cables of {path}")
        else:
            model = WordModel.builtin(
                f"warning: no real corpus at {path} (set CABLE_CORPUS); the text comes from "
                "a small built-in vocabulary and is repetitive"
            )
        _MODELS[key] = model
    return _MODELS[key]
