"""Week 6's sentence classifier: the sentences file loads (and a broken one is refused in words),
the averaged-vector softmax learns on controlled synthetic vectors and classifies sentences of
words no training sentence holds while the bag of words cannot, training is seeded, the
confusion figure draws the counted matrix, and the learner's failing average is named."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils import sentence_classifier as sc
from course_utils.cnn import TrainingStopped
from course_utils.data import DatasetError

CLASSES = ["joy", "food", "weather"]


def mean_vector(sentence, word_to_vec_map):
    """api.md's sentence_to_avg, written here (course_utils must not ship it)."""
    known = [word_to_vec_map[w] for w in sentence.lower().split() if w in word_to_vec_map]
    return np.mean(known, axis=0) if known else np.zeros(next(iter(word_to_vec_map.values())).shape)


# -- a controlled world: each class has a direction, its words lie near it --------------------
TRAIN_WORDS = {"joy": ["glad", "happy", "sing", "joy"], "food": ["bread", "milk", "eat", "meat"],
               "weather": ["rain", "snow", "wind", "storm"]}
TEST_WORDS = {"joy": ["merry", "rejoice"], "food": ["honey", "figs"],
              "weather": ["hail", "thunder"]}
FILLERS = ["the", "a", "we", "was", "and", "of"]


@pytest.fixture(scope="module")
def world():
    rng = np.random.default_rng(7)
    directions = 3 * np.eye(3, 10)  # one direction per class, in 10 dimensions
    vectors = {w: rng.normal(scale=0.3, size=10) for w in FILLERS}
    for k, c in enumerate(CLASSES):
        for w in TRAIN_WORDS[c] + TEST_WORDS[c]:
            vectors[w] = directions[k] + rng.normal(scale=0.5, size=10)

    def sentences(words_of, n):
        out, labels = [], []
        for i in range(n):
            k = i % 3
            content = rng.choice(words_of[CLASSES[k]], size=2)
            filler = rng.choice(FILLERS, size=3)
            out.append(" ".join(rng.permutation(np.r_[content, filler])))
            labels.append(k)
        return out, np.array(labels)

    train, y_train = sentences(TRAIN_WORDS, 60)
    test, y_test = sentences(TEST_WORDS, 30)
    return vectors, train, y_train, test, y_test


# -- the file -----------------------------------------------------------------------------------
def test_the_committed_sentences_load_balanced_with_five_classes():
    X_train, Y_train, X_test, Y_test, classes = sc.load_sentences()
    assert classes == ["joy", "sorrow", "food", "weather", "family"]
    assert len(X_train) == Y_train.size == 175 and len(X_test) == Y_test.size == 75
    np.testing.assert_array_equal(np.bincount(Y_train), [35] * 5)
    np.testing.assert_array_equal(np.bincount(Y_test), [15] * 5)
    assert X_train[0] == "I am so glad you came to see us" and Y_train[0] == 0
    assert len(set(X_train + X_test)) == 250, "no sentence twice"
    seen = {w for s in X_train for w in s.lower().split()}
    new = [s for s in X_test if set(s.lower().split()) - seen]
    assert len(new) >= 60, "most test sentences hold words no training sentence holds"


def write(tmp_path, body: str, header="sentence\tlabel\tsplit\n"):
    path = tmp_path / "s.tsv"
    path.write_text("# a comment\n" + header + body, encoding="utf-8")
    return path


GOOD = "we sing\tjoy\ttrain\nbread\tfood\ttrain\nglad\tjoy\ttest\nmilk\tfood\ttest\n"


def test_a_small_file_loads_with_classes_in_first_use_order(tmp_path):
    X_train, Y_train, X_test, Y_test, classes = sc.load_sentences(write(tmp_path, GOOD))
    assert (X_train, X_test, classes) == (["we sing", "bread"], ["glad", "milk"], ["joy", "food"])
    np.testing.assert_array_equal(Y_train, [0, 1])
    np.testing.assert_array_equal(Y_test, [0, 1])


@pytest.mark.parametrize("body, header, words", [
    (GOOD, "text\tlabel\tsplit\n", "header 'sentence<TAB>label<TAB>split', found 'text"),
    (GOOD + "we sing joy train\n", None, "line 7 has 1 tab-separated fields, not 3"),
    (GOOD + "rain, snow\tweather\ttrain\n", None, "line 7, 'rain, snow', must be words"),
    (GOOD + "rain\tweather\tdev\n", None, "line 7 has the split 'dev'. Write train or test."),
    (GOOD + "rain\tWeather\ttrain\n", None, "line 7 has the label 'Weather'"),
    (GOOD + "rain\tweather\ttrain\n", None, "its test split has no sentence of weather"),
    ("we sing\tjoy\ttrain\nglad\tjoy\ttest\n", None, "it has 1 class, a classifier needs 2"),
    ("", None, "found nothing"),
])
def test_a_malformed_file_is_refused_naming_the_line_and_the_fix(tmp_path, body, header, words):
    path = write(tmp_path, body, header or "sentence\tlabel\tsplit\n")
    if words == "found nothing":
        path.write_text("# only a comment\n")
    with pytest.raises(DatasetError, match="Cannot load the sentences") as error:
        sc.load_sentences(path)
    assert words in str(error.value)


def test_a_missing_file_or_a_folder_is_refused_with_the_fix(tmp_path, monkeypatch):
    with pytest.raises(DatasetError, match="there is no such file. It comes with the course "
                       "repository: restore it with `git checkout -- datasets/sentences.tsv`"):
        sc.load_sentences(tmp_path / "none.tsv")
    with pytest.raises(DatasetError, match="it is a folder. Give the path of the .tsv file"):
        sc.load_sentences(tmp_path)
    monkeypatch.setenv("COURSE_DATASETS", str(tmp_path))
    with pytest.raises(DatasetError, match=r"\(\$COURSE_DATASETS is set: check it\)"):
        sc.load_sentences()
    (tmp_path / "sentences.tsv").write_bytes(b"sentence\tlabel\tsplit\n\xff\tjoy\ttrain\n")
    with pytest.raises(DatasetError, match="it is not UTF-8 text"):
        sc.load_sentences()


# -- features -------------------------------------------------------------------------------------
def test_bag_of_words_counts_lower_cased_words_of_the_vocabulary():
    counts = sc.bag_of_words(["Rain rain snow", "hail", "snow"], ["rain", "snow"])
    np.testing.assert_array_equal(counts, [[2, 0, 0], [1, 0, 1]])


# -- training -------------------------------------------------------------------------------------
def test_the_averaged_model_learns_and_classifies_unseen_words(world):
    vectors, train, y_train, test, y_test = world
    model = sc.train_average_classifier(train, y_train, vectors, mean_vector, classes=CLASSES)
    assert model.W.shape == (3, 10) and model.b.shape == (3, 1) and len(model.losses) == 400
    assert model.losses[0] == pytest.approx(np.log(3), abs=0.05), "starts near chance"
    assert model.losses[-1] < 0.3 * model.losses[0]
    assert sc.accuracy(model, train, y_train) == 1.0
    assert not {w for s in test for w in s.split()} & set(sum(TRAIN_WORDS.values(), []))
    assert sc.accuracy(model, test, y_test) >= 0.9, "new words near their class's direction"
    P = model.probabilities(test)
    np.testing.assert_allclose(P.sum(axis=0), 1)
    np.testing.assert_array_equal(sc.predict_labels(model, test), P.argmax(axis=0))


def test_the_bag_of_words_learns_its_words_but_not_unseen_ones(world):
    vectors, train, y_train, test, y_test = world
    model = sc.train_bag_of_words_classifier(train, y_train, classes=CLASSES)
    assert model.vocabulary == sorted(set(" ".join(train).split()))
    assert sc.accuracy(model, train, y_train) == 1.0
    assert sc.accuracy(model, test, y_test) < 0.6, "only the fillers are known"
    only_unseen = [" ".join(TEST_WORDS[c]) for c in CLASSES]
    P = model.probabilities(only_unseen)
    np.testing.assert_allclose(P, np.tile(P[:, :1], 3)), "one answer for all: the bias alone"
    averaged = sc.train_average_classifier(train, y_train, vectors, mean_vector, classes=CLASSES)
    np.testing.assert_array_equal(sc.predict_labels(averaged, only_unseen), [0, 1, 2])


def test_training_is_seeded_and_the_seed_counts(world):
    vectors, train, y_train, _, _ = world
    runs = [sc.train_average_classifier(train, y_train, vectors, mean_vector, seed=s,
                                        iterations=20) for s in (0, 0, 1)]
    assert runs[0].losses == runs[1].losses
    np.testing.assert_array_equal(runs[0].W, runs[1].W)
    assert runs[0].losses != runs[2].losses
    bows = [sc.train_bag_of_words_classifier(train, y_train, seed=s, iterations=20)
            for s in (3, 3)]
    np.testing.assert_array_equal(bows[0].W, bows[1].W)
    assert runs[0].classes == ["0", "1", "2"], "labels named by number without classes"


def objective(W, b, X, y, l2):
    """Mean cross-entropy of softmax(W X + b) + l2/2 ||W||², and its gradient in W and b."""
    Z = W @ X + b
    log_p = Z - Z.max(axis=0) - np.log(np.exp(Z - Z.max(axis=0)).sum(axis=0))
    dZ = (np.exp(log_p) - np.eye(W.shape[0])[:, y]) / y.size
    return (-log_p[y, np.arange(y.size)].mean() + l2 / 2 * np.sum(W ** 2),
            dZ @ X.T + l2 * W, dZ.sum(axis=1, keepdims=True))


@pytest.mark.parametrize("kind", ["averaged", "bag of words"])
def test_the_loss_curve_starts_at_the_seeded_weights_and_ends_at_the_minimum(world, kind):
    """losses[0] is the objective of the seeded start (W ~ 0.01 N(0, 1), b = 0); trained long,
    the objective's gradient at W, b vanishes."""
    vectors, train, y_train, _, _ = world
    if kind == "averaged":
        X = np.stack([mean_vector(s, vectors) for s in train], axis=1)
        fit = lambda **kw: sc.train_average_classifier(train, y_train, vectors, mean_vector, **kw)  # noqa: E731
    else:
        X = sc.bag_of_words(train, sorted(set(" ".join(train).split())))
        fit = lambda **kw: sc.train_bag_of_words_classifier(train, y_train, **kw)  # noqa: E731
    start = fit(iterations=1, l2=0.5, seed=4)
    W0 = np.random.default_rng(4).normal(size=(3, X.shape[0])) * 0.01
    assert start.losses[0] == pytest.approx(objective(W0, 0, X, y_train, 0.5)[0], rel=1e-12)
    end = fit(iterations=3000, l2=0.1, learning_rate=0.02)
    loss, dW, db = objective(end.W, end.b, X, y_train, 0.1)
    assert end.losses[-1] == pytest.approx(loss, rel=1e-3)
    assert np.abs(dW).max() < 1e-3 and np.abs(db).max() < 1e-3, (np.abs(dW).max(), db)


# -- bad input and the learner's failures ---------------------------------------------------------
def test_the_learners_failing_average_is_named_in_words(world):
    vectors, train, y_train, _, _ = world

    def sentence_to_avg(sentence, word_to_vec_map):
        raise NotImplementedError

    with pytest.raises(TrainingStopped, match="sentence_to_avg is not implemented yet"):
        sc.train_average_classifier(train, y_train, vectors, sentence_to_avg)
    with pytest.raises(TrainingStopped, match=r"returned shape \(1, 10\), but it must be the "
                       r"vectors' shape \(10,\)"):
        sc.train_average_classifier(train, y_train, vectors,
                                    lambda s, m: mean_vector(s, m)[None])
    with pytest.raises(TrainingStopped, match="returned None .* forget its return"):
        sc.train_average_classifier(train, y_train, vectors, lambda s, m: None)
    with pytest.raises(TrainingStopped, match="returned nan or inf"):
        sc.train_average_classifier(["unknown words"], [0], vectors,
                                    lambda s, m: np.full(10, np.nan))
    with pytest.raises(TypeError, match="pass your function sentence_to_avg itself"):
        sc.train_average_classifier(train, y_train, vectors, mean_vector(train[0], vectors))


def test_bad_arguments_are_refused_with_the_fix(world):
    vectors, train, y_train, _, _ = world
    with pytest.raises(ValueError, match="labels must be 60 whole numbers"):
        sc.train_bag_of_words_classifier(train, y_train[:5])
    with pytest.raises(ValueError, match="labels go up to 2, but there are 2 classes"):
        sc.train_bag_of_words_classifier(train, y_train, classes=["a", "b"])
    with pytest.raises(TypeError, match="sentences must be a list of str"):
        sc.train_bag_of_words_classifier("we sing", [0])
    with pytest.raises(ValueError, match="vectors must be 1-D and all of one length"):
        sc.train_average_classifier(train, y_train, {"a": np.zeros(3), "b": np.zeros(4)},
                                    mean_vector)
    with pytest.raises(ValueError, match="iterations must be a whole number of at least 1"):
        sc.train_bag_of_words_classifier(train, y_train, iterations=0)
    with pytest.raises(TypeError, match="model must be what train_average_classifier"):
        sc.predict_labels({"W": 1}, train)


# -- the confusion figure and the unseen-word report ----------------------------------------------
def test_the_confusion_figure_draws_the_counts_with_the_class_names():
    labels, predicted = [0, 0, 1, 2, 2, 2, 1], [0, 1, 1, 2, 2, 0, 1]
    want = np.array([[1, 1, 0], [0, 2, 0], [1, 0, 2]])
    np.testing.assert_array_equal(sc.confusion_counts(labels, predicted, 3), want)
    fig = sc.plot_confusion(labels, predicted, CLASSES, title="averaged")
    ax, = fig.axes
    np.testing.assert_array_equal(ax.images[0].get_array(), want)
    cells = {(t.get_position()): t.get_text() for t in ax.texts}
    assert cells == {(j, i): str(want[i, j]) for i in range(3) for j in range(3)}
    assert [t.get_text() for t in ax.get_xticklabels()] == CLASSES
    assert [t.get_text() for t in ax.get_yticklabels()] == CLASSES
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted class", "true class")
    assert ax.get_title() == "averaged: 5 of 7 right (71%)"


def test_the_loss_figure_draws_each_models_curve(world):
    vectors, train, y_train, _, _ = world
    models = {"averaged": sc.train_average_classifier(train, y_train, vectors, mean_vector,
                                                      iterations=30),
              "bag of words": sc.train_bag_of_words_classifier(train, y_train, iterations=40)}
    ax, = sc.plot_losses(models).axes
    for line, (name, model) in zip(ax.get_lines(), models.items(), strict=True):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, len(model.losses) + 1))
        np.testing.assert_array_equal(line.get_ydata(), model.losses)
        assert line.get_label() == f"{name}: {model.losses[-1]:.3f} at the end"


def test_the_unseen_word_report_lists_the_new_words_and_each_models_answer(world):
    vectors, train, y_train, test, y_test = world
    models = {"averaged": sc.train_average_classifier(train, y_train, vectors, mean_vector,
                                                      classes=CLASSES),
              "bag of words": sc.train_bag_of_words_classifier(train, y_train, classes=CLASSES)}
    report = sc.unseen_word_report(models, train, test, y_test)
    assert len(report.rows) == 30, "every test sentence holds a test word"
    row = report.rows[0]
    assert row["sentence"] == test[0] and row["label"] == CLASSES[y_test[0]]
    assert row["unseen"] == list(dict.fromkeys(w for w in test[0].split()
                                               if w in sum(TEST_WORDS.values(), [])))
    for name, model in models.items():
        predicted = sc.predict_labels(model, test)
        assert report.accuracies()[name] == pytest.approx(np.mean(predicted == y_test))
        assert [r["predicted"][name] for r in report.rows] == [CLASSES[p] for p in predicted]
    assert report.accuracies()["averaged"] > report.accuracies()["bag of words"] + 0.3
    text = str(report)
    assert text.startswith("30 test sentences hold a word that no training sentence holds")
    assert "[" + row["unseen"][0] + "]" in text.splitlines()[1]
    none = sc.unseen_word_report(models, train, train, y_train)
    assert none.rows == [] and np.isnan(none.accuracies()["averaged"])
    only_vectors = sc.unseen_word_report(models, train, ["zzz glad", "zzz"], [0, 0],
                                         word_to_vec_map=vectors)
    assert only_vectors.rows == [], "zzz has no vector, so it does not count"


# -- with the course's word vectors -------------------------------------------------------------
def test_on_the_course_sentences_the_word_vectors_beat_the_bag_of_words():
    """The point of section 8: with train_word_vectors() (learned from the World English Bible)
    the averaged model classifies the test sentences, whose class words training never showed,
    far better than the bag of words (measured: 68 vs 50 of 75 right)."""
    word_vectors = pytest.importorskip("course_utils.word_vectors")
    vectors = word_vectors.train_word_vectors()
    X_train, Y_train, X_test, Y_test, classes = sc.load_sentences()
    words = [w for s in X_train + X_test for w in s.lower().split()]
    assert np.mean([w in vectors for w in words]) > 0.99
    averaged = sc.train_average_classifier(X_train, Y_train, vectors, mean_vector,
                                           classes=classes)
    counted = sc.train_bag_of_words_classifier(X_train, Y_train, classes=classes)
    assert sc.accuracy(counted, X_train, Y_train) == 1.0, "it knows its training words"
    assert sc.accuracy(averaged, X_test, Y_test) >= 0.85
    assert sc.accuracy(counted, X_test, Y_test) <= 0.72
    report = sc.unseen_word_report({"averaged": averaged, "bag of words": counted}, X_train,
                                   X_test, Y_test)
    assert len(report.rows) == 72
    shares = report.accuracies()
    assert shares["averaged"] >= shares["bag of words"] + 0.15, shares
