"""Week 6's sentence classifier: short sentences in five classes by the average of their word
vectors (the learner's own sentence_to_avg) and a softmax layer, against a bag-of-words softmax
trained the same way on the same sentences.

    X_train, Y_train, X_test, Y_test, classes = load_sentences()
    averaged = train_average_classifier(X_train, Y_train, word_to_vec_map, sentence_to_avg)
    counted = train_bag_of_words_classifier(X_train, Y_train)
    plot_confusion(Y_test, predict_labels(averaged, X_test), classes)
    print(unseen_word_report({"averaged": averaged, "bag of words": counted}, X_train, X_test,
                             Y_test))

Both models are softmax(W x + b) on one column x per sentence, trained full-batch by Adam on
the cross-entropy (plus a small L2 penalty), from seeded weights; only x differs: the mean word
vector, or the count of each training word. A word no training sentence holds gets no weight
in the bag of words, while its vector still lands near the vectors of related words.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from .cnn import TrainingStopped, _adam_step
from .data import DATASETS_DIR, DatasetError
from .learner_code import failure_words
from .rnn_utils import column_softmax

__all__ = ["SENTENCES_FILE", "SentenceModel", "UnseenReport", "accuracy", "bag_of_words",
           "confusion_counts", "load_sentences", "plot_confusion", "plot_losses", "predict_labels",
           "train_average_classifier", "train_bag_of_words_classifier", "unseen_word_report"]

SENTENCES_FILE = "sentences.tsv"
HEADER = ["sentence", "label", "split"]
SPLITS = ("train", "test")
WORDS = re.compile(r"[A-Za-z]+( [A-Za-z]+)*")


# -- the data -----------------------------------------------------------------------------------
def _fail(path: Path, problem: str, fix: str | None = None):
    fix = fix or ("It comes with the course repository: restore it with `git checkout -- "
                  "datasets/sentences.tsv` (or clone the repository again), or give the path of "
                  "a file in its format (see datasets/README.md).")
    raise DatasetError(f"Cannot load the sentences '{path}': {problem}. {fix}")


def load_sentences(path=None):
    """The labelled sentences of datasets/sentences.tsv (or $COURSE_DATASETS/sentences.tsv).

    Returns `X_train, Y_train, X_test, Y_test, classes`: the sentences as lists of str, the
    labels as int arrays (m,), label k = `classes[k]` (the class names in the order the file
    first uses them). The file: lines starting with # are comments, then the header
    `sentence<TAB>label<TAB>split`, then one sentence a line, its words letters only, one space
    apart, its split `train` or `test`.
    """
    if path is None:
        path = Path(os.environ.get("COURSE_DATASETS") or DATASETS_DIR) / SENTENCES_FILE
    path = Path(path)
    if not path.exists():
        where = " ($COURSE_DATASETS is set: check it)" if os.environ.get("COURSE_DATASETS") else ""
        _fail(path, f"there is no such file{where}")
    if path.is_dir():
        _fail(path, "it is a folder", "Give the path of the .tsv file, e.g. "
              "datasets/sentences.tsv.")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        _fail(path, f"it is not UTF-8 text ({error.reason} at byte {error.start})")
    numbered = [(n, line) for n, line in enumerate(lines, 1)
                if line.strip() and not line.startswith("#")]
    if not numbered or numbered[0][1].split("\t") != HEADER:
        got = repr(numbered[0][1][:60]) if numbered else "nothing"
        _fail(path, f"its first line after the comments must be the header "
              f"'sentence<TAB>label<TAB>split', found {got}")
    sentences = {split: [] for split in SPLITS}
    labels = {split: [] for split in SPLITS}
    classes: list[str] = []
    for n, line in numbered[1:]:
        parts = line.split("\t")
        if len(parts) != 3:
            _fail(path, f"line {n} has {len(parts)} tab-separated fields, not 3 (sentence, "
                  f"label, split): {line[:60]!r}", "Separate the fields with one tab each.")
        sentence, label, split = parts
        if not WORDS.fullmatch(sentence):
            _fail(path, f"the sentence on line {n}, {sentence[:60]!r}, must be words of "
                  "letters a-z only, one space apart", "Remove digits, punctuation and extra "
                  "spaces: sentence_to_avg splits on spaces, so 'rain.' would not be 'rain'.")
        if split not in SPLITS:
            _fail(path, f"line {n} has the split {split!r}", "Write train or test.")
        if not re.fullmatch(r"[a-z]+", label):
            _fail(path, f"line {n} has the label {label!r}", "Labels are lower-case words.")
        if label not in classes:
            classes.append(label)
        sentences[split].append(sentence)
        labels[split].append(classes.index(label))
    if len(classes) < 2:
        _fail(path, f"it has {len(classes)} class{'es' if len(classes) != 1 else ''}, "
              "a classifier needs 2 or more", "Add sentences of other labels.")
    for split in SPLITS:
        missing = [c for k, c in enumerate(classes) if k not in labels[split]]
        if missing:
            _fail(path, f"its {split} split has no sentence of {', '.join(missing)}",
                  "Give every class sentences in both splits.")
    return (sentences["train"], np.array(labels["train"]), sentences["test"],
            np.array(labels["test"]), classes)


# -- features -----------------------------------------------------------------------------------
def _sentences(sentences, name: str = "sentences") -> list[str]:
    if isinstance(sentences, str) or not all(isinstance(s, str) for s in sentences):
        raise TypeError(f"{name} must be a list of str (one sentence each), as load_sentences "
                        f"returns, got {type(sentences).__name__}.")
    sentences = list(sentences)
    if not sentences:
        raise ValueError(f"{name} is empty: give at least one sentence.")
    return sentences


def _check_map(word_to_vec_map) -> int:
    if not isinstance(word_to_vec_map, dict) or not word_to_vec_map:
        raise TypeError("word_to_vec_map must be a non-empty dict word -> 1-D vector, got "
                        f"{type(word_to_vec_map).__name__}.")
    shapes = {np.shape(v) for v in word_to_vec_map.values()}
    if len(shapes) != 1 or len(next(iter(shapes))) != 1:
        raise ValueError("word_to_vec_map's vectors must be 1-D and all of one length, found "
                         f"shapes {sorted(shapes)[:3]}.")
    return next(iter(shapes))[0]


def _averages(sentences: list[str], word_to_vec_map: dict, average) -> np.ndarray:
    """(n, m): one column per sentence, the learner's average held to its contract."""
    if not callable(average):
        raise TypeError("average: pass your function sentence_to_avg itself (without "
                        f"parentheses), got {type(average).__name__}.")
    n = _check_map(word_to_vec_map)
    name = getattr(average, "__name__", "your function")
    columns = np.zeros((n, len(sentences)))
    for j, sentence in enumerate(sentences):
        try:
            with np.errstate(all="ignore"):
                out = average(sentence, word_to_vec_map)
        except Exception as error:  # the learner's code may raise anything
            raise TrainingStopped(re.sub(r"<[^>]+>", "", failure_words(average, error)).replace(
                "move a slider again", "run this again")) from None
        if out is None:
            raise TrainingStopped(f"{name} returned None for {sentence!r}: did you forget its "
                                  "return?")
        if np.shape(out) != (n,):
            raise TrainingStopped(f"{name}({sentence!r}, word_to_vec_map) returned shape "
                                  f"{np.shape(out)}, but it must be the vectors' shape ({n},).")
        if not np.all(np.isfinite(out)):
            raise TrainingStopped(f"{name}({sentence!r}, word_to_vec_map) returned nan or inf: "
                                  "when no word is known it must return zeros, not divide by 0.")
        columns[:, j] = out
    return columns


def bag_of_words(sentences, vocabulary) -> np.ndarray:
    """(len(vocabulary), m): how often each vocabulary word occurs in each sentence (the words
    of `sentence.lower().split()`, as sentence_to_avg takes them; other words are not counted)."""
    sentences = _sentences(sentences)
    index = {word: i for i, word in enumerate(vocabulary)}
    counts = np.zeros((len(index), len(sentences)))
    for j, sentence in enumerate(sentences):
        for word in sentence.lower().split():
            if word in index:
                counts[index[word], j] += 1
    return counts


def _words(sentences) -> list[str]:
    return sorted({w for s in sentences for w in s.lower().split()})


# -- the softmax layer and its training ---------------------------------------------------------
@dataclass
class SentenceModel:
    """softmax(W x + b) on the sentences' columns x (`features`); `losses` per iteration."""

    kind: str
    W: np.ndarray
    b: np.ndarray
    losses: list[float]
    classes: list[str]
    features: object = field(repr=False)  # sentences -> (n, m)
    vocabulary: list[str] | None = None  # the bag of words' words

    def probabilities(self, sentences) -> np.ndarray:
        """(n_classes, m): each sentence's class probabilities."""
        return column_softmax(self.W @ self.features(_sentences(sentences)) + self.b)


def _labels(labels, m: int, n_classes: int | None) -> np.ndarray:
    y = np.asarray(labels)
    if y.ndim == 2 and 1 in y.shape:
        y = y.ravel()
    if y.shape != (m,) or not np.issubdtype(y.dtype, np.integer) or (y.size and y.min() < 0):
        raise ValueError(f"labels must be {m} whole numbers 0, 1, ... (one per sentence), as "
                         f"load_sentences returns, got {y.dtype} {np.shape(labels)}.")
    if n_classes is not None and y.max() >= n_classes:
        raise ValueError(f"labels go up to {y.max()}, but there are {n_classes} classes "
                         f"(labels 0 to {n_classes - 1}).")
    return y


def _fit(X: np.ndarray, y: np.ndarray, n_classes: int, iterations: int, learning_rate: float,
         l2: float, seed: int):
    """Full-batch Adam on mean cross-entropy + l2/2 ||W||²: W, b and the loss curve."""
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) or \
            iterations < 1:
        raise ValueError(f"iterations must be a whole number of at least 1, got {iterations!r}.")
    if not learning_rate > 0 or not l2 >= 0:
        raise ValueError(f"learning_rate must be > 0 and l2 >= 0, got {learning_rate!r} and "
                         f"{l2!r}.")
    n, m = X.shape
    rng = np.random.default_rng(seed)
    params = {"W": rng.normal(size=(n_classes, n)) * 0.01, "b": np.zeros((n_classes, 1))}
    moments = {}
    Y = np.eye(n_classes)[:, y]
    losses = []
    for t in range(1, iterations + 1):
        P = column_softmax(params["W"] @ X + params["b"])
        losses.append(float(-np.mean(np.log(np.maximum(P[y, np.arange(m)], 1e-300)))
                            + l2 / 2 * np.sum(params["W"] ** 2)))
        dZ = (P - Y) / m
        grads = {"dW": dZ @ X.T + l2 * params["W"], "db": dZ.sum(axis=1, keepdims=True)}
        params, moments = _adam_step(params, grads, moments, t, learning_rate)
    return params["W"], params["b"], losses


def _classes(classes, y: np.ndarray) -> list[str]:
    if classes is None:
        return [str(k) for k in range(int(y.max()) + 1)]
    classes = [str(c) for c in classes]
    if y.max() >= len(classes):
        raise ValueError(f"labels go up to {y.max()}, but classes names only {len(classes)}.")
    return classes


def train_average_classifier(sentences, labels, word_to_vec_map, average, *, classes=None,
                             iterations: int = 400, learning_rate: float = 0.05,
                             l2: float = 1e-3, seed: int = 0) -> SentenceModel:
    """softmax(W avg + b), avg = `average(sentence, word_to_vec_map)` (your sentence_to_avg),
    trained on `sentences` and `labels`; `classes` names the labels (load_sentences's)."""
    sentences = _sentences(sentences)
    y = _labels(labels, len(sentences), None if classes is None else len(classes))
    X = _averages(sentences, word_to_vec_map, average)
    W, b, losses = _fit(X, y, len(_classes(classes, y)), iterations, learning_rate, l2, seed)
    return SentenceModel("averaged word vectors", W, b, losses, _classes(classes, y),
                         lambda s: _averages(s, word_to_vec_map, average))


def train_bag_of_words_classifier(sentences, labels, *, classes=None, iterations: int = 400,
                                  learning_rate: float = 0.05, l2: float = 1e-3,
                                  seed: int = 0) -> SentenceModel:
    """The baseline: softmax(W counts + b), counts of each word of the training sentences
    (`bag_of_words`), trained as train_average_classifier trains (same loss, steps, seed)."""
    sentences = _sentences(sentences)
    y = _labels(labels, len(sentences), None if classes is None else len(classes))
    vocabulary = _words(sentences)
    X = bag_of_words(sentences, vocabulary)
    W, b, losses = _fit(X, y, len(_classes(classes, y)), iterations, learning_rate, l2, seed)
    return SentenceModel("bag of words", W, b, losses, _classes(classes, y),
                         lambda s: bag_of_words(s, vocabulary), vocabulary)


def _check_model(model) -> SentenceModel:
    if not isinstance(model, SentenceModel):
        raise TypeError("model must be what train_average_classifier or "
                        f"train_bag_of_words_classifier returns, got {type(model).__name__}.")
    return model


def predict_labels(model: SentenceModel, sentences) -> np.ndarray:
    """Each sentence's most probable label (int array (m,))."""
    return _check_model(model).probabilities(sentences).argmax(axis=0)


def accuracy(model: SentenceModel, sentences, labels) -> float:
    """The share of `sentences` whose predicted label is `labels`'s."""
    predicted = predict_labels(model, sentences)
    return float(np.mean(predicted == _labels(labels, predicted.size, len(model.classes))))


# -- the confusion matrix -----------------------------------------------------------------------
def confusion_counts(labels, predicted, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes): entry [i, j] counts the sentences of class i predicted as j."""
    y = _labels(labels, np.size(labels), n_classes)
    p = _labels(predicted, y.size, n_classes)
    counts = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(counts, (y, p), 1)
    return counts


def plot_confusion(labels, predicted, classes, *, title: str | None = None) -> Figure:
    """The confusion matrix: rows the true class, columns the predicted one, each cell's count
    written in it, the title saying the accuracy."""
    classes = [str(c) for c in classes]
    counts = confusion_counts(labels, predicted, len(classes))
    fig = Figure(figsize=(4.8, 4.2), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(1, counts.max()))
    for (i, j), count in np.ndenumerate(counts):
        ax.text(j, i, str(count), ha="center", va="center",
                color="white" if count > counts.max() / 2 else "black")
    ax.set_xticks(range(len(classes)), classes, rotation=30, ha="right")
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    share = np.trace(counts) / counts.sum()
    ax.set_title(f"{title + ': ' if title else ''}{np.trace(counts)} of {counts.sum()} right "
                 f"({share:.0%})")
    return fig


def plot_losses(models: dict) -> Figure:
    """Each model's training loss per iteration (`models` maps a name to a SentenceModel)."""
    if not isinstance(models, dict) or not models:
        raise TypeError("models must be a dict name -> model, e.g. {'averaged': averaged, "
                        "'bag of words': counted}.")
    fig = Figure(figsize=(5.5, 3.4), layout="constrained")
    ax = fig.add_subplot()
    for name, model in models.items():
        losses = _check_model(model).losses
        ax.plot(np.arange(1, len(losses) + 1), losses, label=f"{name}: {losses[-1]:.3f} at the end")
    ax.set_xlabel("iteration")
    ax.set_ylabel("training loss (cross-entropy + L2)")
    ax.legend()
    return fig


# -- sentences with words unseen in training ----------------------------------------------------
@dataclass
class UnseenReport:
    """The test sentences holding words no training sentence holds, and how each model did."""

    rows: list[dict]
    models: list[str]
    min_unseen: int = 1

    def accuracies(self) -> dict[str, float]:
        """Each model's accuracy on these sentences."""
        return {name: float(np.mean([row["right"][name] for row in self.rows]))
                if self.rows else float("nan") for name in self.models}

    def __str__(self) -> str:
        words = "a word" if self.min_unseen == 1 else f"{self.min_unseen} or more words"
        lines = [f"{len(self.rows)} test sentences hold {words} that no training sentence holds "
                 "(in [brackets]); the true class first, then ✓ right, ✗ wrong:"]
        for row in self.rows:
            marks = "  ".join(f"{'✓' if row['right'][n] else '✗'} {n}: {row['predicted'][n]}"
                              for n in self.models)
            words = " ".join(f"[{w}]" if w in row["unseen"] else w for w in row["words"])
            lines.append(f"  {row['label']:>8}  {words}   ->  {marks}")
        lines.append("accuracy on these: " + ", ".join(
            f"{name} {share:.0%}" for name, share in self.accuracies().items()))
        return "\n".join(lines)


def unseen_word_report(models: dict, train_sentences, test_sentences, test_labels, *,
                       word_to_vec_map=None, min_unseen: int = 1) -> UnseenReport:
    """The test sentences with at least `min_unseen` words that no training sentence holds
    (and, if `word_to_vec_map` is given, that it holds: words with a vector), each with its
    unseen words and every model's prediction; `models` maps a name to a SentenceModel."""
    if not isinstance(models, dict) or not models:
        raise TypeError("models must be a dict name -> model, e.g. {'averaged': averaged, "
                        "'bag of words': counted}.")
    for model in models.values():
        _check_model(model)
    seen = set(_words(_sentences(train_sentences, "train_sentences")))
    test_sentences = _sentences(test_sentences, "test_sentences")
    classes = next(iter(models.values())).classes
    y = _labels(test_labels, len(test_sentences), len(classes))
    predicted = {name: predict_labels(model, test_sentences) for name, model in models.items()}
    rows = []
    for j, sentence in enumerate(test_sentences):
        words = sentence.lower().split()
        unseen = [w for w in dict.fromkeys(words) if w not in seen and (
            word_to_vec_map is None or w in word_to_vec_map)]
        if len(unseen) >= min_unseen:
            rows.append({"sentence": sentence, "words": words, "label": classes[y[j]],
                         "unseen": unseen,
                         "predicted": {n: classes[p[j]] for n, p in predicted.items()},
                         "right": {n: bool(p[j] == y[j]) for n, p in predicted.items()}})
    return UnseenReport(rows, list(models), min_unseen)
