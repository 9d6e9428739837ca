"""Verify candidate pairs on the two texts, weigh their evidence and name their relation.

Candidates (LSH band keys, equal hashes, word keys) only propose. Each pair is measured on the
two texts themselves:

- **shingles**: the word 5-grams of the fingerprint. Their Jaccard similarity is the pair's
  ``similarity``; the *containment* of A in B is the share of A's shingles found in B. Verbatim
  reuse keeps them; any rewording breaks them.
- **content bigrams**: pairs of adjacent words of the *story text* (:func:`story_text`: no
  quotation, no statement printed after a lead-in, no photo caption, no site notice), leaving out
  pairs of two function words ("of the"). Rewritten wire copy keeps many of them where it keeps
  few 5-grams; quotations are left out because two independent reports of one event quote the
  same words.

Two identical texts are always related (``exact``, or ``version`` from one place). Any other
pair must pass a cheap floor (``min_shared`` content bigrams shared, ``floor`` of the copy's) to
be weighed: its ordered evidence (:func:`features`, :mod:`provenance.evidence`) is turned into a
calibrated confidence by the shipped decision, and the pair is kept at ``min_confidence``. A kept
pair is named by :func:`classify`:

=================  ===========================================================================
``exact``          the same normalised text (equal content hashes) from another publisher
``version``        a kept or identical pair of the same publisher, URL or site: a version of
                   one story, or the same article filed twice
``compilation``    the source is three times the copy's length or more and the copy holds less
                   than a quarter of it: a page (a live blog, a digest) that carries the story
``wholly``         60% of the copy's content bigrams and 30% of its 5-grams are the source's:
                   a republication, possibly trimmed, padded, re-headlined or lightly edited
``partially``      any other kept pair: a rewrite, or a story built partly on the source
=================  ===========================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import xxhash

from .evidence import Decision, Features, Ordered, aligned_sentences, in_order, shipped_decision
from .fingerprint import U32, Fingerprint, count_common, sentence_ends, story_reading, word_hashes
from .sites import captured_url, registered_domain

Relation = Literal["exact", "wholly", "partially", "compilation", "version"]
RELATIONS: tuple[Relation, ...] = ("exact", "wholly", "partially", "compilation", "version")  # strongest first
STRENGTH: dict[Relation, int] = {relation: len(RELATIONS) - i for i, relation in enumerate(RELATIONS)}

# Function words: a bigram of two of them says nothing about who wrote a text. English ...
_FUNCTION_WORDS = (
    "a an the and or but nor so yet of to in on at by for with from into onto upon as than that this these "
    "those it its is are was were be been being am has have had having do does did not no it's he she they "
    "we you i me him her them us his hers their theirs our ours your yours my mine who whom whose which what "
    "when where why how there here then also just only very more most such can could will would shall should "
    "may might must said says say after before over under about up down out off if while because s t"
)
# ... and of the other languages most news is written in, so that two unrelated articles in German
# or Spanish do not look alike for sharing "und die" or "de la".
_OTHER_FUNCTION_WORDS = (
    # German
    "der die das den dem des ein eine einer eines einem einen und oder aber nicht ist sind waren wird "
    "werden wurde haben hatte mit von zu zum zur im in am an auf aus bei für über unter nach vor als "
    "auch noch nur wie wenn dass sich sie er es wir ich ihr sein seine ihre diese dieser dieses "
    # French
    "le la les un une des du de d l et ou mais ne pas est sont était été être a ont avait avec pour par "
    "sur dans en au aux ce cette ces qui que qu il elle ils elles nous vous se sa ses leur leurs plus "
    # Spanish and Portuguese
    "el los las lo unos unas y o pero no es son era fue ser ha han había con por para sobre entre del al "
    "su sus este esta estos estas ese esa que se le les como más o os as um uma uns umas e mas não é são "
    "foi ser tem com por para em no na nos nas do da dos das ao à pelo pela seu sua "
    # Italian and Dutch
    "il gli i una uno e ed ma non è sono era stato essere ha hanno con per su tra fra nel nella dei delle "
    "degli al alla che si ci suo sua het een en of maar niet is zijn was waren wordt werd heeft hebben "
    "met van te voor op aan bij uit als ook dat die dit deze zich hij zij wij "
    # Urdu
    "کے کی کا میں اور سے نے کو پر کہ ہے ہیں تھا تھی تھے ہو ہوں ہوا ہوئی ہوئے ہوگا ہوگی گا گی گے یہ وہ اس ان "
    "جو جس جن بھی تو نہ نہیں ہی کر کیا کیے کرنے کرتے رہے رہا رہی لیے لئے ساتھ بعد کسی کوئی اپنے اپنی "
    "ایک دیا دی گیا گئی گئے جائے جا سکتا سکتے والے والی والا تک کہا "
    # Arabic and Persian
    "في من على إلى عن أن إن مع هذا هذه التي الذي الذين كان كانت قد لا ما و ثم أو بين بعد قبل عند كل هو هي "
    "ذلك تلك حيث لم لن وقال قال در به از که را با این آن است بود شد برای تا یک هم نیز می ها "
    # Hindi
    "के की का में और से ने को पर है हैं था थी थे यह वह इस उस जो भी तो न नहीं ही कर किया लिए साथ एक कहा"
)
STOPWORDS = frozenset(_FUNCTION_WORDS.split()) | frozenset(_OTHER_FUNCTION_WORDS.split())
# Quotations, in the forms news text prints them: curly and straight double quotes; the wire's
# ASCII ``...'' (and "...''); doubled and single curly quotes; straight single quotes around words
# ('created confusion', never the apostrophe of "didn't"); guillemets, German and CJK quotes; and a
# quotation a paragraph opens and does not close (it goes on in the next paragraph, as news style
# has it, or was cut there).
QUOTED = re.compile(  # one class of opening marks first (a fast scan), then which quotation it opens
    r"[“‘`\"«„「『'](?:(?<=“)[^”]{0,1500}”|(?<=‘)‘[^’]{0,1500}’’|(?<=`)`[^\n]{0,1500}?''"
    r"|(?<=\")[^\"\n]{0,1500}?(?:\"|'')|(?<=«)[^»]{0,1500}»|(?<=„)[^“”]{0,1500}[“”]"
    r"|(?<=「)[^」]{0,1500}」|(?<=『)[^』]{0,1500}』|(?<![\w’']‘)(?<=‘)[^’\n]{1,1500}’"
    r"|(?<![\w']')(?<=')(?=\w)[^'\n]{0,300}?[\w.,!?]'(?![\w'])"
    r"|(?m:(?<!\S[“\"])(?<=[“\"])[^”\"\n]{20,1500}+$))"
)


@dataclass(frozen=True)
class MatchPolicy:
    """What turns measurements into a relation (see the module docstring)."""

    # the decision's probability that a pair is kept at: by default, the operating point fitted with it
    min_confidence: float = field(default_factory=lambda: shipped_decision().min_confidence)
    floor: float = 0.1  # share of the copy's content bigrams in the source for a pair to be weighed at all
    min_shared: int = 15  # content bigrams a pair must share to be weighed at all
    wholly: float = 0.6  # a kept pair is wholly derived with this share of the copy's content bigrams ...
    wholly_verbatim: float = 0.3  # ... and this share of its 5-grams in the source (else partially)

    @classmethod
    def from_dict(cls, values: Mapping[str, str]) -> MatchPolicy:
        """Settings from their names and values as text (names it does not know are left aside)."""
        kinds: dict[str, Any] = {f.name: f.type for f in fields(cls)}
        chosen: dict[str, Any] = {
            k: int(v) if kinds[k] in ("int", int) else float(v) for k, v in values.items() if k in kinds
        }
        return cls(**chosen)

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be between 0 and 1, got {self.min_confidence}")
        for name in ("floor", "wholly", "wholly_verbatim"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {getattr(self, name)}")
        if self.min_shared < 1:
            raise ValueError(f"min_shared must be at least 1, got {self.min_shared}")


DEFAULT_POLICY = MatchPolicy()


@dataclass(frozen=True)
class Profile:
    """What verification needs of a text: its exact hash, its two sets of hashed n-grams, and
    where it was published (a derived text from the same place is a version, not a copy)."""

    content_hash: str
    shingles: U32 | None  # the fingerprint's word k-grams, sorted, unique (None: not read yet)
    bigrams: U32  # content-word bigrams of its story text (no quotations, no photo captions), sorted, unique
    places: frozenset[str] = frozenset()  # the publisher (folded) and the URLs of the article
    ordered: Ordered | None = None  # what the ordered evidence needs of its story text (None: not read yet)

    @property
    def read(self) -> bool:
        """Whether it holds all that verifying needs (a stored text recalled only to be ruled out
        on its content bigrams is read without its shingles and ordered evidence)."""
        return self.shingles is not None and self.ordered is not None


STOPWORD_HASHES = np.unique(np.array([xxhash.xxh32_intdigest(w.encode("utf-8")) for w in STOPWORDS], np.uint32))


# A photo's caption or credit: "(AP Photo/Evan Vucci)", "(Photo by NAME/Getty Images)", "REUTERS/
# Kevin Lamarque", "NAME / Getty Images", "Photo: ...", "FILE - In this April 23, 2019 file photo,
# ...": the wire's captions stand on many pages, galleries are made of them, and they are no story.
# Credits stand at a caption's end, labels and AP's "FILE - In this ... photo" at its start.
_CAPTION_END = re.compile(
    r"\((?:[A-Z][\w.&'-]*\s)?(?:Photo|Foto|Image|Picture)s?(?:\s*/|\s+by\b|\s*:)"
    r"|\b(?:REUTERS|AFP|EPA(?:-EFE)?|AP|ANP|DPA|dpa|XINHUA)/[A-Z]"
    r"|/\s?(?:Getty Images|AFP|AP|Reuters|EPA|Shutterstock|Bloomberg|Alamy)\b[^.]{0,40}$"
    r"|Credit(?:Credit)?[A-Z][^.]{0,80}(?:Getty Images|Press|Reuters|AP|AFP)\s*$"
)
_CAPTION_START = re.compile(
    r"(?:Photo|Photo Illustration|Image|Picture|Foto|Bild|Caption)\s*(?:credit)?\s*:"
    r"|(?:FILE\s*[-–—]\s*)?In this (?:[^.]{0,120}\s)?(?:file )?photo(?:graph)?"
    r"(?:,|\s+(?:taken|made|provided|released)\b)"
    r"|(?:Slide|Photo|Image)?\s*\d{1,3}\s*(?:of|/)\s*\d{1,3}\s*$"
)
_END_WORDS = ("/", "hoto", "mage", "icture", "Foto", "Credit")
_START_WORDS = ("Photo", "Image", "Picture", "Foto", "Bild", "Caption", "FILE", "In this", "Slide")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE = re.compile(r".+?(?:[.!?؟۔]+[\"'”’»)\]]*(?=\s|$)|[。！？]|$)", re.S)  # "$1.2 billion" is one
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def is_caption(paragraph: str) -> bool:
    """Whether a paragraph is a photo's caption or credit line."""
    paragraph = paragraph.strip()
    tail = paragraph[-200:]
    if any(word in tail for word in _END_WORDS) and _CAPTION_END.search(tail):
        return True
    starts = paragraph.startswith(_START_WORDS) or (len(paragraph) < 24 and paragraph[:1].isdigit())
    return starts and _CAPTION_START.match(paragraph) is not None


# A site's notice: "Copyright 2019 The Associated Press. All rights reserved. This material may not
# be published ...", "© 2008 Courtesy of The Sports Network", to the end of its line (where a page
# without paragraph breaks ends its last one with it). Every page of a site or a wire carries it.
NOTICE = re.compile(r"(?:Copyright|©|\([cC]\))\s*(?:©\s*|\([cC]\)\s*)?(?:19|20)\d\d\b[^\n]{0,400}$", re.M)
_NOTICE_MARKS = ("Copyright", "©", "(c)", "(C)")  # one of them opens every notice


def may_hold_notice(text: str) -> bool:
    """Whether :data:`NOTICE` may match in ``text``: one of their opening marks stands there. Most
    texts have none, and the search tries each place of a text (20 us of 4 KB, one-off timing)."""
    return any(mark in text for mark in _NOTICE_MARKS)


def without_notices(text: str, instead: str) -> str:
    """``text`` with each :data:`NOTICE` replaced by ``instead``."""
    return NOTICE.sub(instead, text) if may_hold_notice(text) else text


def _table_row(paragraph: str) -> bool:
    paragraph = paragraph.strip()
    return len(paragraph) > 1 and paragraph[0] == "|" and paragraph[-1] == "|"


TEMPLATE_ROW = 25  # words: a table row shorter than this, on a page whose story is elsewhere, is template


# A paragraph that introduces a statement printed as it was given, without quotation marks: "The
# County Emergency Office issued the following statement:", "She wrote on Twitter:".
_LEAD_IN = re.compile(
    r"\b(?:statement|said|says|saying|wrote|writes|tweeted|posted|read|reads|following|announced|told)\b[^.!?]{0,80}:$",
    re.I,
)
STATEMENT_PARAGRAPHS = 2  # paragraphs after a lead-in that are the statement it introduces, at most


def _statements(paragraphs: list[str]) -> list[bool]:
    """Whether each paragraph is part of a statement that a lead-in paragraph introduces (see
    :data:`_LEAD_IN`): the paragraphs after it, up to :data:`STATEMENT_PARAGRAPHS`, or to the next lead-in."""
    inside = [False] * len(paragraphs)
    left = 0
    for i, paragraph in enumerate(paragraphs):
        text = paragraph.strip()
        if len(text) < 300 and text.endswith(":") and _LEAD_IN.search(text):  # a lead-in ends in a colon
            left = STATEMENT_PARAGRAPHS
            continue
        if left:
            inside[i] = True
            left -= 1
    return inside


def set_aside(paragraphs: list[str]) -> list[bool]:
    """Whether each paragraph of a text is no story text: a photo's caption or credit; a statement
    printed without quotation marks after a lead-in ("... issued the following statement:"), which
    independent reports print alike; or a short table row (``| cell |``, as extraction writes a
    table) of a page whose story stands in paragraphs of its own (the site's template laid out in
    a table around it: "| Come see us again. |"). Where the story itself is told in short rows,
    they stay."""
    aside = [
        caption or statement
        for caption, statement in zip(map(is_caption, paragraphs), _statements(paragraphs), strict=True)
    ]
    short_rows = [_table_row(p) and len(p.split()) < TEMPLATE_ROW for p in paragraphs]
    if any(short_rows):
        sizes = [0 if caption else len(p.split()) for p, caption in zip(paragraphs, aside, strict=True)]
        if sum(size for size, short in zip(sizes, short_rows, strict=True) if not short) * 2 >= sum(sizes):
            aside = [a or short for a, short in zip(aside, short_rows, strict=True)]
    return aside


def story_text(text: str) -> str:
    """A text with what independent reports share without copying each other set aside: its
    quotations (a press conference's words, a tweet), its photo captions (the wire's, which
    stand on every page that runs the photo), a page template's table rows and copyright notices
    (on every page a site serves)."""
    paragraphs = PARAGRAPH_BREAK.split(text)
    kept = [p for p, aside in zip(paragraphs, set_aside(paragraphs), strict=True) if not aside]
    return without_notices(QUOTED.sub(" \n ", "\n\n".join(kept)), " \n ")


@lru_cache(maxsize=256)
def content_bigrams(text: str) -> U32:
    """A 32-bit hash of each pair of adjacent words of the text's story text (quotations and photo
    captions set aside, see :func:`story_text`), but pairs of two function words; sorted, unique.
    (Computed from the words' xxh32, vectorised: profiles are not stored, so the hash is free to
    be fast.) Kept for the last texts asked (a story page compares its source with every copy),
    read-only: callers share them."""
    bigrams = read_story(story_text(text)).bigrams
    bigrams.flags.writeable = False
    return bigrams


def sorted_members(values: U32, ordered: U32) -> np.ndarray:
    """Whether each of ``values`` is in ``ordered`` (sorted): a binary search each, no sort."""
    if len(ordered) == 0:
        return np.zeros(len(values), bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    found: np.ndarray = ordered[at] == values
    return found


MARK = "zqsentencezq"  # a token no text holds, put between the parts of a text hashed in one pass
MARK_HASH = np.uint32(xxhash.xxh32_intdigest(MARK.encode()))


@dataclass(frozen=True)
class Reading:
    """A story text read once (:func:`read_story`): what its profile and its ordered evidence are
    both made of."""

    words: U32  # its words' hashes, in order
    starts: np.ndarray  # the first word of each sentence
    bigrams: U32  # its content bigrams (adjacent words but two function words, hashed), sorted, distinct
    first: np.ndarray  # the place of the first word of each, where it first stands

    def ordered(self) -> Ordered:
        """What the ordered evidence needs of the text (see :class:`provenance.evidence.Ordered`)."""
        return Ordered.of(self.words, self.starts, STOPWORD_HASHES, self.first)


def read_story(story: str) -> Reading:
    """A story text's hashed words in order, the first word of each sentence, and its content
    bigrams with the first place of each, in one pass (compiled): a sentence ends after ., !, ?
    and their kin (and the quotes and brackets closing after them) before a space, at a line's
    end before a space, and after 。！？."""
    ends = sentence_ends(story)
    parts = [story[start:end] for start, end in zip([0, *ends], [*ends, len(story)], strict=True)]
    return Reading(*story_reading(word_hashes(f" {MARK} ".join(parts)), MARK_HASH, STOPWORD_HASHES))


def story_words(story: str) -> tuple[U32, np.ndarray]:
    """The hashed words of a story text, in order, and the index of the first word of each of its
    sentences (see :func:`read_story`)."""
    reading = read_story(story)
    return reading.words, reading.starts


def ordered_evidence(story: str) -> tuple[U32, Ordered]:
    """The content bigrams (sorted, unique) of a story text (:func:`story_text`) and what the
    ordered evidence needs of it (see :class:`provenance.evidence.Ordered`)."""
    reading = read_story(story)
    return reading.bigrams, reading.ordered()


def profile(
    text: str,
    fp: Fingerprint,
    places: frozenset[str] = frozenset(),
    *,
    ordered: bool = True,
    reading: Reading | None = None,
) -> Profile:
    """A text's profile; ``ordered``: with what the ordered evidence needs (a worker reads it with
    the text; a stored text recalled only to be ruled out cheaply does without, see
    :func:`with_order`); ``reading``: its story text read (:func:`read_story`), where the caller
    has it."""
    reading = read_story(story_text(text)) if reading is None else reading
    return Profile(fp.content_hash, fp.shingles, reading.bigrams, places, reading.ordered() if ordered else None)


def with_order(found: Profile, reading: Reading, shingles: U32 | None = None) -> Profile:
    """A profile read without its ordered evidence (``profile(..., ordered=False)``), with it, from
    its story text read (:func:`read_story`); ``shingles``: its shingle set, where it was read
    without it too."""
    if found.ordered is None:
        found = replace(found, ordered=reading.ordered())
    return found if found.shingles is not None else replace(found, shingles=shingles)


def places(publisher: str | None, *urls: str | None, template: str | None = None) -> frozenset[str]:
    """Where an article was published, as :attr:`Profile.places` holds it: its publisher, its
    URLs, and the site they are on (pages of one site share its templates and its own texts), or
    for a page without an address, the template it shares with other pages of its folder. A
    web archive's capture is where the page it captured is: the two are versions of one page."""
    found = {f"template:{template}"} if template else set()
    for url in urls:
        url = captured_url(url) or url
        if url and url.strip():
            found.add(f"url:{url.strip()}")
            site = registered_domain(url)
            if site:
                found.add(f"site:{site}")
    if publisher and publisher.strip():
        found.add(f"publisher:{publisher.strip().casefold()}")
    return frozenset(found)


@dataclass(frozen=True)
class Overlap:
    """Two sets measured against each other."""

    shared: int
    size_a: int
    size_b: int

    @classmethod
    def of(cls, a: U32, b: U32) -> Overlap:
        """``a`` and ``b`` sorted, of distinct values (as profiles hold them)."""
        return cls(count_common(a, b), len(a), len(b))

    @property
    def similarity(self) -> float:
        union = self.size_a + self.size_b - self.shared
        return self.shared / union if union else 1.0

    @property
    def containment_a(self) -> float:
        """The share of A found in B."""
        return self.shared / self.size_a if self.size_a else 0.0

    @property
    def containment_b(self) -> float:
        """The share of B found in A."""
        return self.shared / self.size_b if self.size_b else 0.0

    @property
    def reuse(self) -> float:
        """The larger containment: the share of the copy found in its source."""
        return max(self.containment_a, self.containment_b)


@dataclass(frozen=True)
class Measures:
    """A pair measured on its 5-gram shingles and on its content bigrams."""

    shingles: Overlap
    bigrams: Overlap
    same_place: bool = False  # same publisher or same URL

    @property
    def shared(self) -> int:
        return self.shingles.shared

    @property
    def similarity(self) -> float:
        return self.shingles.similarity

    @property
    def containment_a(self) -> float:
        return self.shingles.containment_a

    @property
    def containment_b(self) -> float:
        return self.shingles.containment_b


def measure(a: Profile, b: Profile) -> Measures:
    """Measure two profiled texts against each other."""
    return Measures(_shingle_overlap(a, b), Overlap.of(a.bigrams, b.bigrams), bool(a.places & b.places))


def _shingle_overlap(a: Profile, b: Profile) -> Overlap:
    if a.shingles is None or b.shingles is None:
        raise ValueError("a profile without its shingles: read it with profile(...) or ProfileCache.complete")
    return Overlap.of(a.shingles, b.shingles)


def features(a: Profile, b: Profile, m: Measures | None = None) -> tuple[Features, bool]:
    """The ordered evidence of a pair (see :mod:`provenance.evidence`), read with the copy as the
    text more of whose content bigrams the other holds (the shorter where they tie), and whether
    that copy is ``a``."""
    mine, theirs = a.ordered, b.ordered
    if mine is None or theirs is None:
        raise ValueError("a profile without its ordered evidence: read it with profile(...) or with_order")
    m = m or measure(a, b)
    a_copy = (m.bigrams.containment_a, -mine.words) >= (m.bigrams.containment_b, -theirs.words)
    copy, source = (a, b) if a_copy else (b, a)
    copied, original = (mine, theirs) if a_copy else (theirs, mine)
    reuse, coverage = m.bigrams.containment_a, m.bigrams.containment_b
    if not a_copy:
        reuse, coverage = coverage, reuse
    ordered = in_order(copy.bigrams, copied, source.bigrams, original) if m.bigrams.shared else 0
    aligned = aligned_sentences(copied, original)
    n_copy, n_source = max(copied.words, 1), max(original.words, 1)
    return Features(
        reuse=reuse,
        coverage=coverage,
        verbatim=m.shingles.containment_a if a_copy else m.shingles.containment_b,
        in_order=ordered / max(len(copy.bigrams), 1),
        sentences=aligned.aligned / max(aligned.counted, 1),
        sentences_in_order=aligned.in_order / max(aligned.counted, 1),
        support=math.log1p(aligned.aligned),
        ratio=max(-4.0, min(4.0, math.log(n_source / n_copy))),
        shared=math.log1p(m.bigrams.shared),
    ), a_copy


def verify(
    a: Profile, b: Profile, policy: MatchPolicy = DEFAULT_POLICY, decision: Decision | None = None
) -> Verdict | None:
    """The relation of two profiled texts, with its measures and confidence, or None where they
    are not related. Identical texts are always related (``exact``, or ``version`` from one
    place). Other pairs must share ``min_shared`` content bigrams and ``floor`` of the copy's
    (most candidates fail there, cheaply); the rest are weighed by ``decision`` (the shipped one
    by default) and kept at ``min_confidence``."""
    if a.content_hash == b.content_hash:
        m = measure(a, b)
        return Verdict("version" if m.same_place else "exact", m, 1.0)
    words = Overlap.of(a.bigrams, b.bigrams)
    if not _past_floor(words, policy):
        return None
    m = Measures(_shingle_overlap(a, b), words, bool(a.places & b.places))
    found, _ = features(a, b, m)
    confidence = (decision or shipped_decision()).confidence(found)
    if confidence < policy.min_confidence:
        return None
    return Verdict(classify(m, found, policy=policy), m, confidence, found)


def relate(a: Profile, b: Profile, policy: MatchPolicy = DEFAULT_POLICY) -> tuple[Relation | None, Measures]:
    """The relation of two profiled texts (None: not related) and their measures."""
    found = verify(a, b, policy)
    return (None, measure(a, b)) if found is None else (found.relation, found.measures)


def weighed(a: Profile, b: Profile, policy: MatchPolicy = DEFAULT_POLICY) -> bool:
    """Whether a pair gets past the floor to be weighed, or is two identical texts (see :func:`verify`)."""
    return a.content_hash == b.content_hash or _past_floor(Overlap.of(a.bigrams, b.bigrams), policy)


def _past_floor(words: Overlap, policy: MatchPolicy) -> bool:
    return words.shared >= policy.min_shared and words.reuse >= policy.floor


@dataclass(frozen=True)
class Verdict:
    """A verified pair: its relation, measures, the decision's confidence and what it weighed."""

    relation: Relation
    measures: Measures
    confidence: float
    features: Features | None = None  # None for identical texts (no decision was needed)


COMPILATION_RATIO = math.log(3)  # a source three times the copy's length ...
COMPILATION_COVERAGE = 0.25  # ... of which the copy holds less than a quarter carries other stories


def classify(m: Measures, found: Features, *, policy: MatchPolicy = DEFAULT_POLICY) -> Relation:
    """The relation of a pair the decision kept, from its evidence: a version where the two texts
    are from one place; a compilation where the source is a page many times the copy's length
    that the copy is a small part of (a live blog, a digest, a gallery); wholly where most of the
    copy is the source's, verbatim; else partially."""
    if m.same_place:
        return "version"
    if found.ratio >= COMPILATION_RATIO and found.coverage < COMPILATION_COVERAGE:
        return "compilation"
    if found.reuse >= policy.wholly and found.verbatim >= policy.wholly_verbatim:
        return "wholly"
    return "partially"
