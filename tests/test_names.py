"""Week 6's names: names.h5 and its rebuild, load_names, and course_utils.sequences."""

import hashlib
import math
import subprocess
import sys
import tarfile

import h5py
import numpy as np
import pytest

from course_utils.data import DATASETS_DIR, DatasetError, load_names
from course_utils.sequences import (
    ALPHAS,
    VOCABULARY,
    best_alpha,
    bigram_loss,
    char_to_ix,
    decode,
    encode,
    held_out_split,
    ix_to_char,
    unigram_loss,
)

NAMES = DATASETS_DIR / "names.h5"
BUILDER = DATASETS_DIR / "build_names.py"
SDIST = "names-0.3.0.tar.gz"
SDIST_SHA256 = "726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671"


def attrs() -> dict:
    with h5py.File(NAMES) as f:
        return dict(f.attrs)


def counts() -> dict:
    return {k: int(v) for k, v in (item.split() for item in attrs()["counts"].split("; "))}


def write_names(path, **arrays):
    with h5py.File(path, "w") as f:
        for key, value in arrays.items():
            f.create_dataset(key, data=value)
    return path


def good(**changes) -> dict:
    arrays = {"train_names": np.array([b"anna", b"bob", b"eve"]), "val_names": np.array([b"zoe"])}
    return arrays | changes


# ---------------------------------------------------------------- the committed file


def test_counts_add_up_and_match_the_arrays():
    train, val = load_names()
    c = counts()
    assert (c["female"], c["male"], c["in_both"]) == (4275, 1219, 331)  # the Census lists
    assert c["female_repeated"] == c["male_repeated"] == c["dropped_not_a_to_z"] == 0
    assert c["unique"] == c["female"] + c["male"] - c["in_both"] == len(train) + len(val)
    assert (c["train"], c["validation"]) == (len(train), len(val)) == (4647, 516)
    assert attrs()["dropped"] == "none"


def test_names_are_sorted_unique_a_to_z_and_the_split_is_the_documented_draw():
    train, val = load_names()
    assert train == sorted(train) and val == sorted(val) and not set(train) & set(val)
    assert {"mary", "james", "linda", "zoe"} <= set(train) | set(val)
    assert set("".join(train + val)) == set("abcdefghijklmnopqrstuvwxyz")
    names = sorted(train + val)  # redo the split rule of the `split` attribute
    n_val = round(len(names) * 0.1)
    drawn = np.random.default_rng(6).permutation(len(names))[:n_val]
    assert val == sorted(names[i] for i in drawn)
    assert "default_rng(6)" in attrs()["split"] and "0.1" in attrs()["split"]


def test_provenance():
    a = attrs()
    assert "names 0.3.0" in a["source"] and SDIST in a["source_sha256"]
    for member in ("names/dist.female.first", "names/dist.male.first"):
        assert member in a["source"] and member in a["source_sha256"]
    assert a["source_sha256"].startswith(f"{SDIST} {SDIST_SHA256}; ")
    assert a["source_sha256"].count(" sha256 ") == 2
    assert "public domain" in a["licence"] and "1990" in a["licence"] and "MIT" in a["licence"]
    assert a["title"].startswith("First names of the 1990 US Census")
    assert a["built_by"].startswith("datasets/build_names.py")


def test_readme_gives_the_committed_size_and_sha256():
    readme = (DATASETS_DIR / "README.md").read_text()
    assert hashlib.sha256(NAMES.read_bytes()).hexdigest() in readme
    assert f"{NAMES.stat().st_size:,} bytes" in readme


# ---------------------------------------------------------------- the rebuild


@pytest.fixture(scope="module")
def sdist(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sdist")
    command = [sys.executable, "-m", "pip", "download", "names==0.3.0", "--no-deps",
               "--no-binary", ":all:", "-d", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not (folder / SDIST).is_file():
        pytest.skip(f"cannot fetch {SDIST} with pip (no registry?): {done.stderr[-200:]}")
    return folder / SDIST


def test_rebuild_gives_the_committed_bytes(sdist, tmp_path):
    out = tmp_path / "names.h5"
    done = subprocess.run([sys.executable, BUILDER, "--sdist", sdist, "--out", out],
                          capture_output=True, text=True, check=True)
    assert "unique 5163, train 4647, validation 516" in done.stdout
    assert out.read_bytes() == NAMES.read_bytes(), (
        "datasets/names.h5 is stale: run `python datasets/build_names.py` and commit it and its "
        "sha256 in datasets/README.md"
    )


def test_a_sdist_of_another_sha256_is_refused(tmp_path):
    fake = tmp_path / SDIST
    member = tmp_path / "dist.female.first"
    member.write_text("MARY 2.629 2.629 1\n")
    with tarfile.open(fake, "w:gz") as tar:
        tar.add(member, arcname="names-0.3.0/names/dist.female.first")
    out = tmp_path / "names.h5"
    done = subprocess.run([sys.executable, BUILDER, "--sdist", fake, "--out", out],
                          capture_output=True, text=True)
    assert done.returncode != 0 and not out.exists()
    digest = hashlib.sha256(fake.read_bytes()).hexdigest()
    assert f"has sha256 {digest}, not 726e4625" in done.stderr and "genuine" in done.stderr


def test_a_missing_sdist_is_named(tmp_path):
    done = subprocess.run([sys.executable, BUILDER, "--sdist", tmp_path / "no.tar.gz"],
                          capture_output=True, text=True)
    assert done.returncode != 0 and "no.tar.gz not found" in done.stderr


# ---------------------------------------------------------------- load_names's errors


def check_error(path, *words):
    with pytest.raises(DatasetError) as info:
        load_names(path)
    message = str(info.value)
    assert str(path) in message, message
    for word in words:
        assert word in message, message
    assert info.value.__cause__ is None and info.value.__context__ is None


FIX = ("git checkout -- datasets/names.h5", "python datasets/build_names.py")


def test_good_file_reads_as_str_lists(tmp_path):
    train, val = load_names(write_names(tmp_path / "n.h5", **good()))
    assert train == ["anna", "bob", "eve"] and val == ["zoe"]
    assert all(type(name) is str for name in train + val)


def test_missing_file_and_folder(tmp_path, monkeypatch):
    check_error(tmp_path / "names.h5", "no such file", *FIX)
    check_error(tmp_path, "it is a folder", "datasets/names.h5")
    monkeypatch.setenv("COURSE_DATASETS", str(tmp_path))
    with pytest.raises(DatasetError, match=r"(?s)no such file.*COURSE_DATASETS"):
        load_names()


def test_corrupt_files(tmp_path):
    (tmp_path / "text.h5").write_text("anna\nbob\n")
    check_error(tmp_path / "text.h5", "not an HDF5 file", *FIX)
    (tmp_path / "empty.h5").write_bytes(b"")
    check_error(tmp_path / "empty.h5", "it is empty", *FIX)
    (tmp_path / "half.h5").write_bytes(NAMES.read_bytes()[: NAMES.stat().st_size // 2])
    check_error(tmp_path / "half.h5", "truncated or corrupt", *FIX)


def test_wrong_keys(tmp_path):
    path = write_names(tmp_path / "n.h5", train_names=good()["train_names"], val=np.array([b"x"]))
    check_error(path, "it has no val_names (found: train_names, val)", *FIX)


@pytest.mark.parametrize(
    "key, value, words",
    [
        ("train_names", np.array([b"anna", b"ann-marie"]), "train_names[1] 'ann-marie' has '-' "
                                                           "at index 3, not a letter a-z"),
        ("val_names", np.array([b"Zoe"]), "val_names[0] 'Zoe' has 'Z' at index 0"),
        ("val_names", np.array(["zoë".encode()]), "'zoë' has 'ë' at index 2"),
        ("val_names", np.array([b"zoe", b""]), "val_names[1] '' is empty"),
        ("train_names", np.array([1, 2]), "train_names must be names, 1 or more byte strings"),
        ("train_names", np.array([b"bob", b"anna", b"bob"]), "more than once: bob"),
        ("val_names", np.array([b"eve", b"bob"]), "2 names are both training and validation "
                                                  "names (bob, eve)"),
    ],
)
def test_bad_content(tmp_path, key, value, words):
    check_error(write_names(tmp_path / "n.h5", **good(**{key: value})), words, *FIX)


# ---------------------------------------------------------------- encode and decode


def test_vocabulary_is_newline_then_letters():
    assert VOCABULARY == "\nabcdefghijklmnopqrstuvwxyz" and len(char_to_ix) == 27
    assert char_to_ix["\n"] == 0 and char_to_ix["a"] == 1 and char_to_ix["z"] == 26
    assert all(ix_to_char[i] == ch for ch, i in char_to_ix.items())


def test_round_trip_on_every_real_name():
    train, val = load_names()
    for name in train + val:
        indices = encode(name + "\n", char_to_ix)
        assert indices[-1] == 0 and 0 not in indices[:-1]
        assert decode(indices, ix_to_char) == name + "\n"
    assert encode("Anna") == [1, 14, 14, 1]  # lower-cased first
    assert decode(np.array([2, 15, 2, 0])) == "bob\n"


@pytest.mark.parametrize("name, shown", [("ann-marie", "'-' at index 3"),
                                         ("Zoë", "'zoë' has 'ë' at index 2"),
                                         ("jo ann", "' ' at index 2")])
def test_encode_refuses_characters_outside_the_vocabulary(name, shown):
    with pytest.raises(ValueError) as info:
        encode(name)
    message = str(info.value)
    assert shown in message and repr(VOCABULARY) in message
    assert "lower-cased first" in message and "'Anna' is fine" in message


def test_decode_refuses_indices_outside_the_vocabulary():
    with pytest.raises(ValueError, match=r"indices\[1\] is 27; the indices must be integers 0 to"):
        decode([1, 27])
    with pytest.raises(TypeError, match="must be a str, not int"):
        encode(7)


# ---------------------------------------------------------------- the baselines


def test_unigram_hand_worked():
    """train "ab", "b": next characters a 1, b 2, end 2 (of 5); "a\\n" costs -ln(1/5) - ln(2/5)."""
    assert unigram_loss(["ab", "b"], ["a"]) == pytest.approx((math.log(5) + math.log(2.5)) / 2)
    assert unigram_loss(["Ab", "B"], ["A"]) == unigram_loss(["ab", "b"], ["a"])  # lower-cased
    assert unigram_loss(["ab"], ["c"]) == math.inf  # 'c' never seen in train


def test_bigram_hand_worked():
    """alpha 1: p(a | start) = (1 + 1) / (2 + 27), p(end | a) = (0 + 1) / (1 + 27)."""
    expected = (math.log(29 / 2) + math.log(28)) / 2
    assert bigram_loss(["ab", "b"], ["a"], 1.0) == pytest.approx(expected)
    # alpha 0.5: p(b | start) = 1.5 / 15.5, p(end | b) = 2.5 / 15.5
    half = (math.log(15.5 / 1.5) + math.log(15.5 / 2.5)) / 2
    assert bigram_loss(["ab", "b"], ["b"], 0.5) == pytest.approx(half)


def test_baselines_refuse_bad_input():
    with pytest.raises(ValueError, match="'ann-marie' has '-' at index 3"):
        bigram_loss(["anna"], ["ann-marie"], 1.0)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        bigram_loss(["anna"], ["bob"], 0)
    with pytest.raises(ValueError, match="without '\\\\n'"):
        unigram_loss(["anna\n"], ["bob"])


def test_bigram_beats_unigram_on_the_real_split():
    train, val = load_names()
    fit, held = held_out_split(train, 0.1, seed=0)
    assert len(held) == round(len(train) * 0.1) and sorted(fit + held) == train
    alpha = best_alpha(fit, held)
    losses = [bigram_loss(fit, held, a) for a in ALPHAS]
    assert alpha == ALPHAS[int(np.argmin(losses))] and 0.001 < alpha < 10  # inside the grid
    unigram, bigram = unigram_loss(train, val), bigram_loss(train, val, alpha)
    assert 2.7 < unigram < math.log(27) and 2.2 < bigram < unigram - 0.3
    assert bigram < bigram_loss(train, val, 10.0)  # heavy smoothing forgets the context
    readme = (DATASETS_DIR / "README.md").read_text()  # the numbers it gives are this run's
    for number in (f"| {unigram:.3f} |", f"| {bigram:.3f} |", f"alpha = {alpha:.3f}"):
        assert number in readme, number
