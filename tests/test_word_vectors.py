"""Week 6's word vectors: web_cooccurrence.h5 and its rebuild, load_cooccurrence's refusals, and
course_utils.word_vectors (PPMI, the truncated SVD, the trained vectors and what they know)."""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from course_utils.data import DATASETS_DIR, DatasetError
from course_utils.word_vectors import (
    EQUALIZE_PAIRS,
    Cooccurrence,
    analogy_rank,
    bias_plane,
    load_cooccurrence,
    nearest,
    plot_bias_plane,
    ppmi,
    train_word_vectors,
    truncated_svd,
)

FILE = DATASETS_DIR / "web_cooccurrence.h5"
BUILDER = DATASETS_DIR / "build_word_vectors.py"
MODULE_CONF = Path("/usr/share/sword/mods.d/engWEB2015eb.conf")
GENDER_WORDS = ["man", "woman", "king", "queen", "he", "she", "son", "daughter", "father",
                "mother", "brother", "sister", "husband", "wife", "boy", "girl"]


@pytest.fixture(scope="module")
def cooc():
    return load_cooccurrence()


@pytest.fixture(scope="module")
def vectors(cooc):
    return train_word_vectors(cooc)


def analogy(a, b, c, word_to_vec_map):
    """api.md's rule: the word d maximizing cos(e_b - e_a, e_d - e_c), none of the three."""
    words = list(word_to_vec_map)
    E = np.array([word_to_vec_map[w] for w in words])
    g = word_to_vec_map[b] - word_to_vec_map[a]
    D = E - word_to_vec_map[c]
    scores = D @ g / np.maximum(np.linalg.norm(D, axis=1) * np.linalg.norm(g), 1e-12)
    scores[[words.index(w) for w in (a, b, c)]] = -np.inf
    return words[int(np.argmax(scores))]


def cos(u, v):
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


# ---------------------------------------------------------------- the committed file


def test_the_file_holds_the_documented_counts(cooc):
    counts = dict(item.rsplit(" ", 1) for item in cooc.attrs["counts"].split("; "))
    assert counts == {"verses": "37791", "tokens": "913270", "distinct_words": "14888",
                      "vocabulary": "5000", "kept_tokens": "891469",
                      "nonzero_pairs_upper_triangle": "491289"}
    assert len(cooc.vocabulary) == 5000 and set(GENDER_WORDS) <= set(cooc.vocabulary)
    assert np.all(np.diff(cooc.word_counts) <= 0) and cooc.word_counts.sum() == 891469
    assert cooc.vocabulary[:3] == ["the", "and", "of"]
    assert np.all(cooc.rows <= cooc.cols) and cooc.rows.size == 491289
    X = cooc.matrix()
    assert X.shape == (5000, 5000) and np.array_equal(X, X.T)
    sixtieths = cooc.counts.astype(np.float64) * 60  # sums of 60/d, d = 1..5, in float32
    np.testing.assert_allclose(sixtieths, np.round(sixtieths), rtol=1e-6)
    assert cooc.attrs["window"] == 5 and FILE.stat().st_size < 5_000_000


def test_provenance(cooc):
    a = cooc.attrs
    assert a["source"].startswith("Debian package sword-text-web 426.0-1, SWORD module "
                                  "engWEB2015eb") and "libsword-utils" in a["source"]
    assert "public domain" in a["licence"]
    assert a["source_sha256"].startswith("engWEB2015eb.conf ")
    assert a["source_sha256"].count(";") == 6  # the .conf and the module's six data files
    assert a["built_by"].startswith("datasets/build_word_vectors.py")


def test_readme_gives_the_committed_size_and_sha256():
    readme = (DATASETS_DIR / "README.md").read_text()
    assert hashlib.sha256(FILE.read_bytes()).hexdigest() in readme
    assert f"{FILE.stat().st_size:,} bytes" in readme


def test_rebuild_gives_the_committed_bytes(tmp_path):
    if shutil.which("mod2imp") is None or not MODULE_CONF.is_file():
        pytest.skip("the SWORD module engWEB2015eb or mod2imp is not installed (apt-get install "
                    "sword-text-web libsword-utils): cannot rebuild web_cooccurrence.h5")
    out = tmp_path / "web_cooccurrence.h5"
    done = subprocess.run([sys.executable, BUILDER, "--out", out], capture_output=True,
                          text=True, check=True)
    assert "tokens 913,270" in done.stdout
    assert out.read_bytes() == FILE.read_bytes(), (
        "datasets/web_cooccurrence.h5 is stale: run `python datasets/build_word_vectors.py` and "
        "commit it and its sha256 in datasets/README.md"
    )


# ---------------------------------------------------------------- loading refusals


def write(path, **changes):
    arrays = {"vocabulary": np.array([b"a", b"b", b"c"]), "word_counts": np.array([5, 3, 2]),
              "rows": np.array([0, 0, 1]), "cols": np.array([1, 2, 2]),
              "counts": np.array([1.0, 0.5, 2.0], np.float32)} | changes
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            if value is not None:
                f.create_dataset(key, data=value)
    return path


def raw(path, data: bytes):
    path.write_bytes(data)
    return path


def test_a_good_small_file_loads(tmp_path):
    c = load_cooccurrence(write(tmp_path / "ok.h5"))
    assert c.vocabulary == ["a", "b", "c"]
    assert c.matrix().tolist() == [[0, 1, 0.5], [1, 0, 2], [0.5, 2, 0]]


@pytest.mark.parametrize("make, words", [
    (lambda p: p / "none.h5", ["no such file", "git checkout -- datasets/web_cooccurrence.h5",
                               "apt-get install sword-text-web libsword-utils"]),
    (lambda p: p, ["it is a folder", "datasets/web_cooccurrence.h5"]),
    (lambda p: raw(p / "e.h5", b""), ["it is empty"]),
    (lambda p: raw(p / "t.h5", b"not hdf5" * 50), ["not an HDF5 file"]),
    (lambda p: write(p / "k.h5", counts=None), ["it has no counts", "found: cols, rows"]),
    (lambda p: write(p / "v.h5", vocabulary=np.array([1, 2, 3])), ["vocabulary must be"]),
    (lambda p: write(p / "d.h5", vocabulary=np.array([b"a", b"a", b"c"])), ["more than once"]),
    (lambda p: write(p / "w.h5", word_counts=np.array([5, 3])), ["word_counts must be 3"]),
    (lambda p: write(p / "l.h5", cols=np.array([1, 2])), ["one length"]),
    (lambda p: write(p / "r.h5", cols=np.array([1, 2, 3])), ["word indices 0 to 2"]),
    (lambda p: write(p / "n.h5", counts=np.array([1, np.nan, 2.0])), ["positive numbers"]),
    (lambda p: write(p / "z.h5", counts=np.array([1, 0, 2.0])), ["positive numbers"]),
])
def test_bad_files_are_refused_with_the_problem_and_the_fix(tmp_path, make, words):
    with pytest.raises(DatasetError) as err:
        load_cooccurrence(make(tmp_path))
    assert err.value.__cause__ is None and err.value.__context__ is None
    for word in words:
        assert word in str(err.value)


# ---------------------------------------------------------------- PPMI and the SVD


def test_ppmi_by_hand():
    X = np.array([[0, 4, 1], [4, 0, 0], [1, 0, 2]], float)
    n = X.sum(1)
    M = ppmi(X, alpha=1)
    expected = np.maximum(np.log(X * n.sum() / np.outer(n, n), where=X > 0,
                                 out=np.full((3, 3), -np.inf)), 0)
    np.testing.assert_allclose(M, expected, rtol=1e-6)
    assert M[0, 2] == 0 < M[2, 2]  # below chance -> 0; more often than chance -> positive
    smooth = n ** 0.75 / (n ** 0.75).sum()
    np.testing.assert_allclose(ppmi(X)[0, 1], np.log(4 / n[0] / smooth[1]), rtol=1e-6)


@pytest.mark.parametrize("bad, words", [(np.ones(3), "square"), (np.ones((2, 3)), "square"),
                                        (-np.ones((2, 2)), ">= 0"),
                                        (np.full((2, 2), np.nan), ">= 0")])
def test_ppmi_refuses_what_is_not_a_count_matrix(bad, words):
    with pytest.raises(ValueError, match=words):
        ppmi(bad)
    with pytest.raises(ValueError, match="alpha"):
        ppmi(np.ones((2, 2)), alpha=0)


def test_truncated_svd_finds_the_strongest_directions():
    rng = np.random.default_rng(1)  # rank 8 and a little noise, as PPMI matrices decay
    M = rng.normal(size=(80, 8)) @ np.diag([9, 8, 7, 6, 5, 4, 3, 2.0]) @ rng.normal(size=(8, 60))
    M += 0.01 * rng.normal(size=M.shape)
    U, S, Vt = truncated_svd(M, 5)
    exact = np.linalg.svd(M, compute_uv=False)[:5]
    np.testing.assert_allclose(S, exact, rtol=1e-6)
    np.testing.assert_allclose(U.T @ U, np.eye(5), atol=1e-10)
    assert U.shape == (80, 5) and Vt.shape == (5, 60)
    with pytest.raises(ValueError, match="dim must be a whole number from 1 to 59"):
        truncated_svd(M, 60)


# ---------------------------------------------------------------- the vectors


def test_vectors_are_unit_length_and_seeded(cooc, vectors):
    assert isinstance(cooc, Cooccurrence) and list(vectors) == cooc.vocabulary
    E = np.array(list(vectors.values()))
    assert E.shape == (5000, 50) and E.dtype == np.float64
    np.testing.assert_allclose(np.linalg.norm(E, axis=1), 1, atol=1e-9)
    again = train_word_vectors(cooc, seed=0)
    assert all(np.array_equal(vectors[w], again[w]) for w in ("king", "the", cooc.vocabulary[-1]))
    other = train_word_vectors(cooc, dim=20, seed=1)
    assert other["king"].shape == (20,)
    with pytest.raises(TypeError, match="load_cooccurrence"):
        train_word_vectors(cooc.matrix())


def test_neighbours_are_the_expected_words(vectors):
    def near(word):
        return {w for w, _ in nearest(word, vectors, k=6)}
    assert "silver" in near("gold") and "bronze" in near("gold")
    assert {"streams", "springs", "rivers"} <= near("water")
    assert {"food", "unleavened"} <= near("bread")
    assert "jerusalem" in near("city")
    assert {"darius", "nebuchadnezzar"} & near("king")
    first = nearest("Gold", vectors, k=3)
    assert first[0][0] == "silver" and first[0][1] > first[1][1] > first[2][1]
    assert abs(first[0][1] - cos(vectors["gold"], vectors["silver"])) < 1e-12


def test_nearest_refuses_unknown_words_and_bad_k(vectors):
    with pytest.raises(KeyError, match="not one of the 5,000 words"):
        nearest("computer", vectors)
    with pytest.raises(ValueError, match="k must be"):
        nearest("king", vectors, k=0)
    with pytest.raises(TypeError, match="dict"):
        nearest("king", [])


@pytest.mark.parametrize("a, b, c, d", [("he", "she", "son", "daughter"),
                                        ("he", "she", "his", "her"),
                                        ("son", "daughter", "brother", "sister"),
                                        ("men", "women", "man", "woman"),
                                        ("man", "woman", "brother", "sister")])
def test_analogies_land_with_the_api_rule(vectors, a, b, c, d):
    assert analogy(a, b, c, vectors) == d


def test_the_gender_axis_separates_the_words_the_notebook_uses(vectors):
    g = vectors["woman"] - vectors["man"]
    assert cos(vectors["shepherd"], g) < -0.3 and cos(vectors["judge"], g) < -0.2
    assert cos(vectors["nurse"], g) > 0.3 and cos(vectors["child"], g) > 0.3
    assert abs(cos(vectors["teacher"], g)) < 0.05
    for w1, w2 in EQUALIZE_PAIRS:
        assert cos(vectors[w2], g) > cos(vectors[w1], g), (w1, w2)


# ---------------------------------------------------------------- analogy ranks, the debias plane
def test_analogy_rank_is_one_for_the_rules_answer_and_counts_the_words_above(vectors):
    assert analogy_rank("he", "she", "son", analogy("he", "she", "son", vectors), vectors) == 1
    rank = analogy_rank("man", "woman", "king", "queen", vectors)
    words = list(vectors)
    E = np.array([vectors[w] for w in words])
    D = E - vectors["king"]
    target = vectors["woman"] - vectors["man"]
    with np.errstate(invalid="ignore"):  # king - king = 0: its score is nan, then -inf
        scores = D @ target / (np.linalg.norm(D, axis=1) * np.linalg.norm(target))
    scores[[words.index(w) for w in ("man", "woman", "king")]] = -np.inf
    assert rank == 1 + int(np.sum(scores > scores[words.index("queen")])) and rank > 1
    with pytest.raises(KeyError, match="'qzx' not in word_to_vec_map"):
        analogy_rank("man", "woman", "qzx", "queen", vectors)
    summed = E @ (target + vectors["king"]) / (np.linalg.norm(E, axis=1)
                                               * np.linalg.norm(target + vectors["king"]))
    summed[[words.index(w) for w in ("man", "woman", "king")]] = -np.inf
    assert analogy_rank("man", "woman", "king", "queen", vectors, rule="sum") == 1 + int(
        np.sum(summed > summed[words.index("queen")]))
    with pytest.raises(ValueError, match="rule must be"):
        analogy_rank("man", "woman", "king", "queen", vectors, rule="add")


def reference_neutralize(word, g, word_to_vec_map):
    e = word_to_vec_map[word]
    return e - (e @ g) / (g @ g) * g


def reference_equalize(pair, bias_axis, word_to_vec_map):
    e1, e2 = (word_to_vec_map[w] for w in pair)
    project = lambda v: (v @ bias_axis) / (bias_axis @ bias_axis) * bias_axis  # noqa: E731
    mu = (e1 + e2) / 2
    mu_b, mu_orth = project(mu), mu - project(mu)
    scale = np.sqrt(abs(1 - mu_orth @ mu_orth))
    return tuple(mu_orth + scale * (project(e) - mu_b) / np.linalg.norm(project(e) - mu_b)
                 for e in (e1, e2))


def drawn(ax, gid):
    return next(c for c in ax.collections if c.get_gid() == gid).get_offsets().data


NEUTRAL, PAIRS = ["shepherd", "nurse", "teacher"], [("king", "queen"), ("father", "mother")]


def test_bias_plane_draws_each_word_at_its_parts_along_g_and_across_it(vectors):
    g = vectors["woman"] - vectors["man"]
    x, y = bias_plane(vectors, g, NEUTRAL + [w for p in PAIRS for w in p])
    assert abs(x @ y) < 1e-9 and np.isclose(np.linalg.norm(y), 1)
    before, after = plot_bias_plane(vectors, g, NEUTRAL, PAIRS, reference_neutralize,
                                    reference_equalize).axes
    want = np.array([[vectors[w] @ x, vectors[w] @ y] for w in NEUTRAL])
    np.testing.assert_allclose(drawn(before, "neutral"), want)
    assert abs(drawn(before, "neutral")[0, 0]) > 0.2      # shepherd leans along g before
    np.testing.assert_allclose(drawn(after, "neutral")[:, 0], 0, atol=1e-9)
    np.testing.assert_allclose(drawn(after, "neutral")[:, 1], want[:, 1])
    pairs = drawn(after, "pair")
    np.testing.assert_allclose(pairs[0::2, 0], -pairs[1::2, 0], atol=1e-9)   # symmetric about 0
    np.testing.assert_allclose(pairs[0::2, 1], pairs[1::2, 1], atol=1e-9)
    assert [t.get_text() for t in after.texts] == NEUTRAL + [w for p in PAIRS for w in p]


def test_bias_plane_without_the_learners_functions_has_one_panel_and_refuses_unknown_words(
        vectors):
    g = vectors["woman"] - vectors["man"]
    assert len(plot_bias_plane(vectors, g, NEUTRAL, PAIRS).axes) == 1
    with pytest.raises(KeyError, match="'qzx' is not in word_to_vec_map"):
        plot_bias_plane(vectors, g, ["qzx"], PAIRS)
