"""Active listening from the *pair* (customer turn, reply): does the reply reflect what was said?

One estimator, ``PairClassifier``, scores a pair with one multinomial logistic regression over
- TF-IDF of the reply alone (as the mechanism classifier does: word and character n-grams), and
- ``PAIR_FEATURES``: cheap linguistic features of the pair, standardised, scaled by
  ``pair_weight``: content-word overlap (stemmed Jaccard, share of the customer's content words
  the reply covers, share of the reply's content that is new), verbatim copying (longest copied
  run, share of reply words in copied runs of at least 3 and 4 words: parroting), TF-IDF cosine
  of the reply and each of its sentences to the customer turn, character-trigram cosine,
  reflective stems ("it sounds like", "so you", "you feel", ...) and where they are, second
  person + feeling word, questions, advice markers, self-disclosure, a few interactions, and
  the sentences that voice understanding in general ("I understand": EPITOME's weak level), name
  a feeling ("that must be...") or share the same experience ("I went through...": strong);
- optionally (the accurate tier) sentence-encoder similarities of reply and customer turn
  (``encoder_features``), when ``fit`` and ``predict_proba`` are given ``encoder=``.

Two data sets train two instances (see scripts/train_listening.py): EPITOME interpretations
levels 0/1/2 and AnnoMI reflection / question / other. ``ListeningModel`` bundles them; the
EPITOME head also gives the engine its interpretations level
(``ml.mechanisms.PairInterpretations``).

Parroting: echoing the customer's words back is not active listening, but EPITOME and AnnoMI hold
few such replies, so ``fit`` can add synthetic parrots (``parrot_share``): for a share of the
training pairs, a reply made of one or two of the customer's own sentences echoed verbatim
(sometimes after "So" or "It sounds like"), labelled ``parrot_label``. Likewise
``mismatch_share`` adds reflections paired with another customer's turn, labelled
``parrot_label``, so a reflective stem about something else is not taken for listening.

Rare classes: as in the mechanism classifier, ``fit`` multiplies the class probabilities by
weights chosen from ``DECISION_GRID`` to maximise macro-F1 on out-of-fold predictions over the
*training* pairs (grouped k-fold), and reports the renormalised, corrected probabilities.

Run time uses NumPy/SciPy only; scikit-learn is imported inside ``fit``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from heard.errors import ModelError, NotFittedError
from heard.ml.artefact import load_artefact, save_artefact
from heard.ml.text_classifier import LinearHead
from heard.ml.vectorizer import Analyzer, TfidfFeatures

DECISION_GRID = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having he
    he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if
    in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on
    once only or other ought our ours ourselves out over own same shan't she she'd she'll she's
    should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up
    very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    which while who who's whom why why's with won't would wouldn't you you'd you'll you're you've
    your yours yourself yourselves just like really also get got im ive dont cant will one even
    much know think feel go going things thing well yeah yes okay ok oh um uh mm hmm lot something
    anything people""".split()
)
SECOND_PERSON = frozenset("you your you're you've you'd you'll yourself yours ur u".split())
FIRST_PERSON = frozenset("i me my mine myself i'm i've i'd i'll im ive".split())
FEELINGS = frozenset(
    """feel feeling feelings felt sad upset angry frustrated frustrating anxious anxiety worried
    worry scared afraid hurt hurting lonely alone depressed depression stressed stress
    overwhelmed overwhelming tired exhausted hopeless helpless confused annoyed disappointed
    disappointing unhappy happy glad relieved ashamed guilty embarrassed nervous terrible awful
    hard difficult tough painful pain struggle struggling rough heartbroken miserable lost
    stuck trapped""".split()
)
_REFLECTIVE = re.compile(
    r"\b(?:it\s+(?:sounds|seems|looks)\s+(?:like|as\s+if|as\s+though|that)|sounds\s+like|"
    r"seems\s+(?:like|that)|so\s+you(?:'re|\s+are|'ve|\s+have|\s+feel|\s+want|\s+think)?|"
    r"you(?:'re|\s+are)\s+(?:feeling|saying|telling|worried|afraid|scared|not\s+sure)|"
    r"you\s+(?:feel|felt|mean|want|think|said|say|seem|sound|must|might|wish)|"
    r"you've\s+been|you\s+have\s+been|i\s+hear|i'm\s+hearing|what\s+i'm\s+hearing|"
    r"if\s+i\s+understand|in\s+other\s+words|that\s+must|must\s+(?:be|feel|have)|"
    r"i\s+can\s+(?:see|tell|imagine|understand)|i\s+(?:understand|get\s+it|see\s+that)|"
    r"i\s+know\s+(?:how|what|that\s+feel)|on\s+(?:the\s+)?one\s+hand|part\s+of\s+you)\b"
)
_ADVICE = re.compile(
    r"\b(?:you\s+should|you\s+need\s+to|you\s+have\s+to|you\s+could|you\s+might\s+want|"
    r"try(?:ing)?|have\s+you\s+(?:tried|considered|thought)|i\s+(?:would\s+)?(?:recommend|"
    r"suggest|advise)|maybe\s+you|why\s+don't\s+you|make\s+sure|don't|do\s+not|please)\b"
)
_DISCLOSURE = re.compile(
    r"\b(?:i've\s+been|i\s+have\s+been|i\s+was|i\s+had|i\s+used\s+to|me\s+too|same\s+here|"
    r"i\s+went\s+through|i've\s+had|i\s+struggle|i\s+feel\s+the\s+same|happened\s+to\s+me|"
    r"been\s+there|my\s+(?:own|experience))\b"
)
# EPITOME's levels of interpretation: a *weak* one voices understanding in general ("I understand",
# "I can relate", "I know what you mean"); a *strong* one names what the seeker feels or has been
# through ("that must be exhausting", "you're going through a lot") or shares the same experience
# ("I went through this when my dad died"). One pattern each, counted per sentence.
_GENERIC_UNDERSTANDING = re.compile(
    r"\b(?:i\s+(?:can\s+|could\s+|totally\s+|completely\s+|really\s+|kind\s+of\s+|somewhat\s+)?"
    r"(?:understand|relate|resonate|get\s+(?:it|that|you|what)|feel\s+you|hear\s+you|"
    r"know\s+(?:what\s+you|how\s+you|the\s+feeling|that\s+feeling|exactly|right))|"
    r"same\s+(?:here|with\s+me|boat)|me\s+too|i\s+feel\s+(?:the\s+same|that|this)|"
    r"(?:been|was|am)\s+there|know\s+the\s+feeling|understandable|that\s+makes\s+sense|"
    r"i\s+know,?\s+right)\b"
)
_OWN_EXPERIENCE = re.compile(
    r"\b(?:i\s+(?:was|had|used\s+to|went|felt|did|got|lost|tried|have\s+been|'ve\s+been)|"
    r"i've\s+(?:been|had|felt|gone|struggled|lost|dealt)|when\s+i\s+was|"
    r"my\s+(?:ex|mom|dad|mother|father|wife|husband|girlfriend|boyfriend|friend|therapist|"
    r"depression|anxiety))\b"
)
_INFERRED_FEELING = re.compile(
    r"\b(?:must\s+(?:be|feel|have\s+been)|sounds?\s+(?:like|so|really|awful|terrible|hard|rough)|"
    r"seems?\s+like|you(?:'re|\s+are)\s+(?:feeling|going\s+through|dealing)|you\s+(?:feel|felt|seem)|"
    r"it's\s+(?:hard|tough|difficult|rough|awful)|that's\s+(?:hard|tough|rough|awful|terrible))\b"
)
_QUESTION_START = re.compile(
    r"^(?:what|how|why|when|where|who|which|do|does|did|are|is|was|were|have|has|can|could|"
    r"would|will|tell\s+me)\b"
)

PAIR_FEATURES = (
    "reply_words_log",
    "context_words_log",
    "reply_sentences_log",
    "stem_jaccard",
    "context_coverage",
    "reply_from_context",
    "longest_copied_run",
    "copied_share_run3",
    "copied_share_run4",
    "max_sentence_copied_share_run4",
    "tfidf_cosine",
    "max_sentence_tfidf_cosine",
    "char_trigram_cosine",
    "reflective_stems_log",
    "reflective_first_sentence",
    "reflective_sentence_cosine",
    "reflective_position",
    "you_feeling_sentence",
    "you_sentence_cosine",
    "you_sentence_coverage",
    "question_marks_log",
    "question_sentence_share",
    "starts_with_question",
    "advice_markers_log",
    "first_person_share",
    "second_person_share",
    "disclosure_markers_log",
    "feeling_words_log",
    "novel_content_share",
    "reflective_x_coverage",
    "reflective_x_copied",
    "copied_x_from_context",
    "reply_inside_context",
    "generic_understanding",
    "generic_understanding_share",
    "own_experience",
    "own_experience_share",
    "inferred_feeling",
    "inferred_feeling_share",
    "generic_understanding_short",
    "generic_understanding_only",
)


class Encoder(Protocol):
    """What ``encoder_features`` needs of a sentence encoder (heard.encoders.SentenceEncoder)."""

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> NDArray[np.float32]: ...


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem ("feeling", "feels", "felt"→"felt"): cheap and good enough
    to match a customer's word with the reply's."""
    if len(word) <= 3:
        return word
    for suffix in ("ingly", "edly", "ness", "ment", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "ls":
                base = base[:-1]  # "stopped" → "stop"
            return base
    return word


def _norm(text: str) -> str:
    return text.translate(_APOSTROPHES).lower()


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens with inner apostrophes ("don't")."""
    return _TOKEN.findall(_norm(text))


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (at . ! ? before white space, or at a line break), non-empty."""
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def content_stems(words: Iterable[str]) -> list[str]:
    return [stem(w) for w in words if w not in STOPWORDS and len(w) > 1]


def _norm_of(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def _cosine(a: Mapping[str, float], b: Mapping[str, float], b_norm: float | None = None) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    get = large.get
    dot = sum(v * get(k, 0.0) for k, v in small.items())
    na = _norm_of(a)
    nb = _norm_of(b) if b_norm is None else b_norm
    return dot / (na * nb) if na and nb else 0.0


def _weighted(stems: Sequence[str], idf: Mapping[str, float], default: float) -> dict[str, float]:
    counts = Counter(stems)
    return {s: (1.0 + math.log(c)) * idf.get(s, default) for s, c in counts.items()}


def _trigrams(text: str) -> Counter[str]:
    padded = " " + " ".join(tokens(text)) + " "
    return Counter([padded[i : i + 3] for i in range(len(padded) - 2)])


def _copied_mask(reply: Sequence[str], grams: set[tuple[str, ...]], n: int) -> list[bool]:
    """For each reply token, whether it lies in an n-gram that also occurs in the context."""
    mask = [False] * len(reply)
    for i in range(len(reply) - n + 1):
        if tuple(reply[i : i + n]) in grams:
            for j in range(i, i + n):
                mask[j] = True
    return mask


def _longest_run(reply: Sequence[str], context: Sequence[str]) -> int:
    """Length of the longest run of words the reply copies verbatim from the context."""
    if not reply or not context:
        return 0
    positions: dict[str, list[int]] = {}
    for j, word in enumerate(context):
        positions.setdefault(word, []).append(j)
    best = 0
    previous: dict[int, int] = {}
    for word in reply:
        current = {j: previous.get(j - 1, 0) + 1 for j in positions.get(word, ())}
        if current:
            best = max(best, max(current.values()))
        previous = current
    return best


def pair_features(
    context: str, reply: str, idf: Mapping[str, float], default_idf: float
) -> list[float]:
    """The raw (unstandardised) ``PAIR_FEATURES`` of one pair; ``idf`` maps stems to idf."""
    r_tokens = tokens(reply)
    c_tokens = tokens(context)
    r_stems = content_stems(r_tokens)
    c_stems = content_stems(c_tokens)
    r_set, c_set = set(r_stems), set(c_stems)
    shared = r_set & c_set
    union = r_set | c_set
    c_vector = _weighted(c_stems, idf, default_idf)
    c_norm = _norm_of(c_vector)
    sentences = split_sentences(reply) or [reply]
    grams3 = {tuple(c_tokens[i : i + 3]) for i in range(len(c_tokens) - 2)}
    grams4 = {tuple(c_tokens[i : i + 4]) for i in range(len(c_tokens) - 3)}
    mask3 = _copied_mask(r_tokens, grams3, 3)
    mask4 = _copied_mask(r_tokens, grams4, 4)
    n_reply = max(len(r_tokens), 1)

    reflective_count = 0
    reflective_first = 0.0
    reflective_cosine = 0.0
    reflective_position = 0.0
    you_feeling = 0.0
    you_cosine = 0.0
    you_covered: set[str] = set()
    max_sentence_cosine = 0.0
    max_sentence_copied = 0.0
    questions = 0
    generic = own = inferred = 0
    for index, sentence in enumerate(sentences):
        lowered = _norm(sentence)
        generic += bool(_GENERIC_UNDERSTANDING.search(lowered))
        own += bool(_OWN_EXPERIENCE.search(lowered))
        inferred += bool(_INFERRED_FEELING.search(lowered))
        s_tokens = tokens(sentence)
        s_stems = content_stems(s_tokens)
        cosine = _cosine(_weighted(s_stems, idf, default_idf), c_vector, c_norm)
        max_sentence_cosine = max(max_sentence_cosine, cosine)
        if len(s_tokens) >= 4:
            s_grams = _copied_mask(s_tokens, grams4, 4)
            max_sentence_copied = max(max_sentence_copied, sum(s_grams) / len(s_tokens))
        hits = len(_REFLECTIVE.findall(lowered))
        if hits:
            if reflective_count == 0:
                reflective_position = 1.0 - index / max(len(sentences) - 1, 1)
            reflective_count += hits
            reflective_first = max(reflective_first, float(index == 0))
            reflective_cosine = max(reflective_cosine, cosine)
        words = set(s_tokens)
        if words & SECOND_PERSON:
            you_cosine = max(you_cosine, cosine)
            you_covered |= set(s_stems) & c_set
            if words & FEELINGS:
                you_feeling = 1.0
        if lowered.rstrip().endswith("?"):
            questions += 1
    token_set = r_tokens
    coverage = len(shared) / len(c_set) if c_set else 0.0
    from_context = len(shared) / len(r_set) if r_set else 0.0
    copied4 = sum(mask4) / n_reply
    reflective = float(reflective_count > 0)
    normalised_reply = " ".join(r_tokens)
    inside = float(len(r_tokens) >= 3 and normalised_reply in " ".join(c_tokens))
    reply_norm = _norm(reply)
    return [
        math.log1p(len(r_tokens)),
        math.log1p(len(c_tokens)),
        math.log1p(len(sentences)),
        len(shared) / len(union) if union else 0.0,
        coverage,
        from_context,
        min(_longest_run(r_tokens, c_tokens), 12) / 12.0,
        sum(mask3) / n_reply,
        copied4,
        max_sentence_copied,
        _cosine(_weighted(r_stems, idf, default_idf), c_vector, c_norm),
        max_sentence_cosine,
        _cosine(_trigrams(reply), _trigrams(context)),
        math.log1p(reflective_count),
        reflective_first,
        reflective_cosine,
        reflective_position,
        you_feeling,
        you_cosine,
        len(you_covered) / len(c_set) if c_set else 0.0,
        math.log1p(reply.count("?")),
        questions / len(sentences),
        float(bool(_QUESTION_START.match(reply_norm.lstrip()))),
        math.log1p(len(_ADVICE.findall(reply_norm))),
        sum(t in FIRST_PERSON for t in token_set) / n_reply,
        sum(t in SECOND_PERSON for t in token_set) / n_reply,
        math.log1p(len(_DISCLOSURE.findall(reply_norm))),
        math.log1p(sum(t in FEELINGS for t in token_set)),
        len(r_set - c_set) / len(r_set) if r_set else 0.0,
        reflective * coverage,
        reflective * copied4,
        copied4 * from_context,
        inside,
        float(generic > 0),
        generic / len(sentences),
        float(own > 0),
        own / len(sentences),
        float(inferred > 0),
        inferred / len(sentences),
        float(generic > 0 and len(r_tokens) < 25),
        float(generic > 0 and not own and not inferred),
    ]


class PairFeatures:
    """``PAIR_FEATURES`` for many pairs, standardised with the training mean and deviation.

    ``fit`` learns the stems' idf (over customer turns and replies) and the standardisation.
    """

    def __init__(self, *, min_df: int = 2) -> None:
        self.min_df = min_df

    def fit(self, contexts: Sequence[str], replies: Sequence[str]) -> PairFeatures:
        df: Counter[str] = Counter()
        for text in (*contexts, *replies):
            df.update(set(content_stems(tokens(text))))
        n = len(contexts) + len(replies)
        kept = sorted(s for s, c in df.items() if c >= self.min_df)
        self.idf_ = {s: math.log((1.0 + n) / (1.0 + df[s])) + 1.0 for s in kept}
        self.default_idf_ = math.log((1.0 + n) / (1.0 + self.min_df - 1)) + 1.0
        raw = self.raw(contexts, replies)
        self.mean_ = raw.mean(axis=0)
        std = raw.std(axis=0)
        self.scale_ = np.where(std > 1e-9, std, 1.0)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "idf_"):
            raise NotFittedError("PairFeatures is not fitted yet: call fit() or load() first")

    def raw(self, contexts: Sequence[str], replies: Sequence[str]) -> NDArray[np.float64]:
        if len(contexts) != len(replies):
            raise ValueError(f"{len(contexts)} customer turns for {len(replies)} replies")
        idf = self.idf_ if hasattr(self, "idf_") else {}
        default = getattr(self, "default_idf_", 1.0)
        rows = [pair_features(c, r, idf, default) for c, r in zip(contexts, replies, strict=True)]
        return np.asarray(rows, dtype=np.float64).reshape(len(replies), len(PAIR_FEATURES))

    def transform(self, contexts: Sequence[str], replies: Sequence[str]) -> NDArray[np.float64]:
        self._check_fitted()
        return np.asarray((self.raw(contexts, replies) - self.mean_) / self.scale_)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        self._check_fitted()
        terms = sorted(self.idf_)
        return {
            f"{prefix}terms": np.array(terms, dtype=np.str_),
            f"{prefix}idf": np.array([self.idf_[t] for t in terms], dtype=np.float64),
            f"{prefix}mean": self.mean_,
            f"{prefix}scale": self.scale_,
        }

    def config(self) -> dict[str, Any]:
        return {"min_df": self.min_df, "default_idf": self.default_idf_, "names": PAIR_FEATURES}

    @classmethod
    def from_arrays(
        cls, config: Mapping[str, Any], arrays: Mapping[str, np.ndarray], prefix: str
    ) -> PairFeatures:
        if list(config.get("names", ())) != list(PAIR_FEATURES):
            raise ModelError("the saved pair features differ from this heard's PAIR_FEATURES")
        features = cls(min_df=int(config["min_df"]))
        terms = [str(t) for t in arrays[f"{prefix}terms"]]
        features.idf_ = dict(zip(terms, arrays[f"{prefix}idf"].astype(float).tolist(), strict=True))
        features.default_idf_ = float(config["default_idf"])
        features.mean_ = np.asarray(arrays[f"{prefix}mean"], dtype=np.float64)
        features.scale_ = np.asarray(arrays[f"{prefix}scale"], dtype=np.float64)
        return features


def encoder_features(
    encoder: Encoder, contexts: Sequence[str], replies: Sequence[str]
) -> NDArray[np.float64]:
    """Sentence-encoder similarities of each pair (for the accurate tier), (n, 4):
    cosine of reply and customer turn, the best and mean reply sentence against the customer
    turn, and the best reply sentence against any customer sentence."""
    reply_sentences = [split_sentences(r) or [r or " "] for r in replies]
    context_sentences = [split_sentences(c) or [c or " "] for c in contexts]
    texts: list[str] = []
    for c, r, rs, cs in zip(contexts, replies, reply_sentences, context_sentences, strict=True):
        texts.extend([c or " ", r or " ", *rs, *cs])
    vectors = encoder.encode(texts).astype(np.float64)
    out = np.zeros((len(replies), 4))
    position = 0
    for i, (rs, cs) in enumerate(zip(reply_sentences, context_sentences, strict=True)):
        c_vec, r_vec = vectors[position], vectors[position + 1]
        r_sent = vectors[position + 2 : position + 2 + len(rs)]
        c_sent = vectors[position + 2 + len(rs) : position + 2 + len(rs) + len(cs)]
        position += 2 + len(rs) + len(cs)
        to_context = r_sent @ c_vec
        out[i] = [
            float(r_vec @ c_vec),
            to_context.max(),
            to_context.mean(),
            (r_sent @ c_sent.T).max(),
        ]
    return out


def parrot_reply(context: str, rng: np.random.Generator) -> str | None:
    """A synthetic parrot: one or two of the customer's sentences echoed back verbatim, sometimes
    after a reflective opener; None when the customer turn is too short to echo."""
    sentences = [s for s in split_sentences(context) if len(tokens(s)) >= 4]
    if not sentences:
        return None
    start = int(rng.integers(len(sentences)))
    echoed = " ".join(sentences[start : start + int(rng.integers(1, 3))])
    opener = ("", "", "So ", "It sounds like ", "You said ", "So you're saying ")[
        int(rng.integers(6))
    ]
    if opener and not echoed.startswith(("I ", "I'")):
        echoed = echoed[0].lower() + echoed[1:]
    return opener + echoed


class PairClassifier:
    """Class probabilities of a (customer turn, reply) pair (see the module docstring).

    ``fit(contexts, replies, labels, groups=..., encoder=...)`` returns self;
    ``predict_proba(contexts, replies, encoder=...)`` gives (n, n_classes) prior-corrected
    probabilities with columns in ``classes_`` order (0..n_classes-1);
    ``reflection_probability`` sums the columns listed in ``reflection_classes``.
    """

    KIND = "heard.listening_pair_classifier"
    metadata_: dict[str, Any]

    def __init__(
        self,
        *,
        analyzers: Sequence[Analyzer] = (Analyzer("word", 1, 3), Analyzer("char", 2, 5)),
        min_df: int = 2,
        C: float = 1.0,
        pair_weight: float = 1.0,
        use_text: bool = True,
        parrot_share: float = 0.0,
        mismatch_share: float = 0.0,
        parrot_label: int = 0,
        reflection_classes: Sequence[int] = (1, 2),
        tune_decisions: bool = True,
        folds: int = 5,
        seed: int = 0,
    ) -> None:
        self.analyzers = tuple(analyzers)
        self.min_df = min_df
        self.C = C
        self.pair_weight = pair_weight
        self.use_text = use_text
        self.parrot_share = parrot_share
        self.mismatch_share = mismatch_share
        self.parrot_label = parrot_label
        self.reflection_classes = tuple(reflection_classes)
        self.tune_decisions = tune_decisions
        self.folds = folds
        self.seed = seed

    # --- training --------------------------------------------------------------------------------

    def _augment(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        labels: Sequence[int],
        groups: Sequence[str],
    ) -> tuple[list[str], list[str], list[int], list[str]]:
        c, r, y, g = list(contexts), list(replies), list(labels), list(groups)
        rng = np.random.default_rng(self.seed)
        n = len(contexts)
        if self.parrot_share > 0:
            for i in np.flatnonzero(rng.random(n) < self.parrot_share).tolist():
                parrot = parrot_reply(contexts[i], rng)
                if parrot is not None:
                    c.append(contexts[i])
                    r.append(parrot)
                    y.append(self.parrot_label)
                    g.append(groups[i])
        if self.mismatch_share > 0:
            positive = [i for i in range(n) if labels[i] in self.reflection_classes]
            by_group = np.asarray(groups)
            for i in positive:
                if rng.random() >= self.mismatch_share:
                    continue
                j = int(rng.integers(n))
                if by_group[j] == groups[i] or not contexts[j].strip():
                    continue
                c.append(contexts[j])
                r.append(replies[i])
                y.append(self.parrot_label)
                g.append(groups[i])
        return c, r, y, g

    def _fit_parts(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        labels: Sequence[int],
        encoder: Encoder | None,
    ) -> tuple[
        TfidfFeatures | None,
        PairFeatures,
        NDArray[np.float64] | None,
        NDArray[np.float64] | None,
        LinearHead,
    ]:
        text = (
            TfidfFeatures(self.analyzers, min_df=self.min_df).fit(replies)
            if self.use_text
            else None
        )
        pair = PairFeatures(min_df=self.min_df).fit(contexts, replies)
        extra_mean = extra_scale = None
        extra = encoder_features(encoder, contexts, replies) if encoder is not None else None
        if extra is not None:
            extra_mean = extra.mean(axis=0)
            std = extra.std(axis=0)
            extra_scale = np.where(std > 1e-9, std, 1.0)
        matrix = self._matrix(text, pair, extra_mean, extra_scale, contexts, replies, encoder)
        head = LinearHead(C=self.C, class_weight="balanced").fit(matrix, np.asarray(labels))
        return text, pair, extra_mean, extra_scale, head

    def _matrix(
        self,
        text: TfidfFeatures | None,
        pair: PairFeatures,
        extra_mean: NDArray[np.float64] | None,
        extra_scale: NDArray[np.float64] | None,
        contexts: Sequence[str],
        replies: Sequence[str],
        encoder: Encoder | None,
    ) -> sparse.csr_matrix:
        dense = pair.transform(contexts, replies) * self.pair_weight
        if extra_mean is not None and extra_scale is not None:
            if encoder is None:
                raise ValueError("this model was fitted with a sentence encoder: pass encoder=")
            extra = encoder_features(encoder, contexts, replies)
            dense = np.hstack([dense, (extra - extra_mean) / extra_scale * self.pair_weight])
        blocks = [sparse.csr_matrix(dense.astype(np.float32))]
        if text is not None:
            blocks.insert(0, text.transform(replies))
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    def fit(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        labels: Sequence[int],
        *,
        groups: Sequence[str] | None = None,
        encoder: Encoder | None = None,
    ) -> PairClassifier:
        if not len(contexts) == len(replies) == len(labels):
            raise ValueError("contexts, replies and labels must have the same length")
        y = np.asarray(labels, dtype=np.int64)
        if y.size == 0 or y.min() < 0:
            raise ValueError("labels must be non-negative class indices")
        self.n_classes_ = int(y.max()) + 1
        if len(set(y.tolist())) < 2:
            raise ValueError("fit needs at least two classes")
        group_list = list(groups) if groups is not None else [str(i) for i in range(len(y))]
        c, r, yy, _ = self._augment(contexts, replies, y.tolist(), group_list)
        parts = self._fit_parts(c, r, yy, encoder)
        self.text_, self.pair_, self.extra_mean_, self.extra_scale_, self.head_ = parts
        self.classes_ = np.arange(self.n_classes_)
        self.decision_weights_ = np.ones(self.n_classes_)
        if self.tune_decisions:
            self.decision_weights_ = self._tune(contexts, replies, y, group_list, encoder)
        return self

    def out_of_fold(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        labels: NDArray[np.int64],
        groups: Sequence[str],
        encoder: Encoder | None = None,
    ) -> NDArray[np.float64]:
        """Uncorrected probabilities of each *real* pair from a model fitted without its group
        (synthetic pairs are added to the training folds only)."""
        from sklearn.model_selection import GroupKFold

        folds = min(self.folds, len(set(groups)))
        out = np.zeros((len(labels), self.n_classes_))
        for train, held in GroupKFold(n_splits=folds).split(replies, groups=groups):
            c, r, y, _ = self._augment(
                [contexts[i] for i in train],
                [replies[i] for i in train],
                labels[train].tolist(),
                [groups[i] for i in train],
            )
            text, pair, mean, scale, head = self._fit_parts(c, r, y, encoder)
            matrix = self._matrix(
                text,
                pair,
                mean,
                scale,
                [contexts[i] for i in held],
                [replies[i] for i in held],
                encoder,
            )
            out[np.ix_(held, head.classes_.astype(int))] = head.predict_proba(matrix)
        return out

    def _tune(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        labels: NDArray[np.int64],
        groups: Sequence[str],
        encoder: Encoder | None,
    ) -> NDArray[np.float64]:
        oof = self.out_of_fold(contexts, replies, labels, groups, encoder)
        self.oof_ = oof
        best, best_f1 = np.ones(self.n_classes_), -1.0
        for combo in product(DECISION_GRID, repeat=self.n_classes_ - 1):
            weights = np.array([1.0, *combo])
            score = macro_f1(labels, (oof * weights).argmax(axis=1), self.n_classes_)
            if score > best_f1 + 1e-9:
                best, best_f1 = weights, score
        self.cv_macro_f1_ = best_f1
        return best

    # --- prediction ------------------------------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "head_"):
            raise NotFittedError("PairClassifier is not fitted yet: call fit() or load() first")

    def predict_proba(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        *,
        encoder: Encoder | None = None,
    ) -> NDArray[np.float64]:
        """(n, n_classes) prior-corrected probabilities, columns in class order."""
        self._check_fitted()
        raw = np.zeros((len(replies), self.n_classes_))
        raw[:, self.head_.classes_.astype(int)] = self._head_proba(contexts, replies, encoder)
        weighted = raw * self.decision_weights_
        return np.asarray(weighted / weighted.sum(axis=1, keepdims=True))

    def _head_proba(
        self, contexts: Sequence[str], replies: Sequence[str], encoder: Encoder | None
    ) -> NDArray[np.float64]:
        """The head's probabilities, scoring each feature block with its own slice of the
        weights (no sparse stacking: a single pair costs a fraction of a millisecond)."""
        dense = self.pair_.transform(contexts, replies) * self.pair_weight
        if self.extra_mean_ is not None and self.extra_scale_ is not None:
            if encoder is None:
                raise ValueError("this model was fitted with a sentence encoder: pass encoder=")
            extra = encoder_features(encoder, contexts, replies)
            dense = np.hstack(
                [dense, (extra - self.extra_mean_) / self.extra_scale_ * self.pair_weight]
            )
        coef = self.head_.coef_.astype(np.float64)
        scores = np.zeros((len(replies), coef.shape[0])) + self.head_.intercept_
        start = 0
        if self.text_ is not None:
            for block in self.text_.blocks_:
                width = block.size
                scores += np.asarray(block.transform(replies) @ coef[:, start : start + width].T)
                start += width
        scores += dense @ coef[:, start:].T
        if coef.shape[0] == 1:  # binary: one row of weights
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def predict(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        *,
        encoder: Encoder | None = None,
    ) -> NDArray[np.int64]:
        proba = self.predict_proba(contexts, replies, encoder=encoder)
        return np.asarray(proba.argmax(axis=1), dtype=np.int64)

    def reflection_probability(
        self,
        contexts: Sequence[str],
        replies: Sequence[str],
        *,
        encoder: Encoder | None = None,
    ) -> NDArray[np.float64]:
        """(n,) probability that the reply reflects the customer turn."""
        proba = self.predict_proba(contexts, replies, encoder=encoder)
        return np.asarray(proba[:, list(self.reflection_classes)].sum(axis=1))

    # --- persistence -----------------------------------------------------------------------------

    def save(self, directory: str | Path, *, metadata: Mapping[str, Any] | None = None) -> Path:
        self._check_fitted()
        arrays = self.pair_.arrays("pair/")
        arrays.update(self.head_.arrays("head/"))
        arrays["decision_weights"] = np.asarray(self.decision_weights_, dtype=np.float64)
        if self.text_ is not None:
            arrays.update(self.text_.arrays("text/"))
        if self.extra_mean_ is not None and self.extra_scale_ is not None:
            arrays["extra/mean"] = self.extra_mean_
            arrays["extra/scale"] = self.extra_scale_
        config = {
            "params": {
                "min_df": self.min_df,
                "C": self.C,
                "pair_weight": self.pair_weight,
                "use_text": self.use_text,
                "parrot_share": self.parrot_share,
                "mismatch_share": self.mismatch_share,
                "parrot_label": self.parrot_label,
                "reflection_classes": list(self.reflection_classes),
                "tune_decisions": self.tune_decisions,
                "folds": self.folds,
                "seed": self.seed,
            },
            "n_classes": self.n_classes_,
            "text": self.text_.config() if self.text_ is not None else None,
            "pair": self.pair_.config(),
            "head": self.head_.config(),
            "metadata": dict(metadata or {}),
        }
        return save_artefact(directory, kind=self.KIND, config=config, arrays=arrays)

    @classmethod
    def load(cls, directory: str | Path) -> PairClassifier:
        config, arrays = load_artefact(directory, kind=cls.KIND)
        try:
            text_config = config["text"]
            text = (
                TfidfFeatures.from_arrays(text_config, arrays, "text/")
                if text_config is not None
                else None
            )
            params = dict(config["params"])
            model = cls(
                analyzers=text.analyzers if text is not None else (),
                **params,
            )
            model.text_ = text
            model.pair_ = PairFeatures.from_arrays(config["pair"], arrays, "pair/")
            model.head_ = LinearHead.from_arrays(config["head"], arrays, "head/")
            model.n_classes_ = int(config["n_classes"])
            model.classes_ = np.arange(model.n_classes_)
            model.decision_weights_ = np.asarray(arrays["decision_weights"], dtype=np.float64)
            model.extra_mean_ = arrays.get("extra/mean")
            model.extra_scale_ = arrays.get("extra/scale")
        except (KeyError, TypeError) as error:
            raise ModelError(f"{directory}: the listening model is incomplete ({error})") from error
        model.metadata_ = dict(config.get("metadata", {}))
        return model


def macro_f1(labels: NDArray[np.int64], predicted: NDArray[np.int64], n_classes: int) -> float:
    """Macro-averaged F1 over classes 0..n_classes-1 (a class never seen nor predicted counts 0)."""
    return float(np.mean(per_class_f1(labels, predicted, n_classes)))


def per_class_f1(
    labels: NDArray[np.int64], predicted: NDArray[np.int64], n_classes: int
) -> list[float]:
    scores = []
    for k in range(n_classes):
        tp = float(np.sum((labels == k) & (predicted == k)))
        fp = float(np.sum((labels != k) & (predicted == k)))
        fn = float(np.sum((labels == k) & (predicted != k)))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return scores


@dataclass(frozen=True, slots=True)
class ListeningOutput:
    """For one pair: P(interpretations level 0/1/2) (EPITOME), P(reflection / question / other)
    (AnnoMI), and ``reflection``, the probability that the reply reflects the customer turn
    (P(reflection) of the AnnoMI head)."""

    interpretations: tuple[float, float, float]
    behaviour: tuple[float, float, float]
    reflection: float


class ListeningModel:
    """The two listening heads saved side by side: ``interpretations/`` and ``behaviour/``."""

    PARTS = ("interpretations", "behaviour")

    def __init__(self, interpretations: PairClassifier, behaviour: PairClassifier) -> None:
        self.interpretations = interpretations
        self.behaviour = behaviour

    def predict(self, contexts: Sequence[str], replies: Sequence[str]) -> list[ListeningOutput]:
        levels = self.interpretations.predict_proba(contexts, replies)
        behaviour = self.behaviour.predict_proba(contexts, replies)
        reflection = behaviour[:, list(self.behaviour.reflection_classes)].sum(axis=1)
        return [
            ListeningOutput(
                (float(a[0]), float(a[1]), float(a[2])),
                (float(b[0]), float(b[1]), float(b[2])),
                float(p),
            )
            for a, b, p in zip(levels, behaviour, reflection, strict=True)
        ]

    def reflection(self, contexts: Sequence[str], replies: Sequence[str]) -> NDArray[np.float64]:
        """P(reflection) for each pair from the AnnoMI head alone: what the engine needs, at half
        the cost of ``predict``."""
        return np.asarray(self.behaviour.reflection_probability(contexts, replies))

    def save(self, directory: str | Path, *, metadata: Mapping[str, Any] | None = None) -> Path:
        root = Path(directory)
        self.interpretations.save(root / "interpretations", metadata=metadata)
        self.behaviour.save(root / "behaviour", metadata=metadata)
        return root

    @classmethod
    def load(cls, directory: str | Path) -> ListeningModel:
        root = Path(directory)
        return cls(
            PairClassifier.load(root / "interpretations"), PairClassifier.load(root / "behaviour")
        )
