"""Reading the MNIST IDX files, bad files that must name themselves, and the shipped weights' accuracy."""

import gzip
import json

import numpy as np
import pytest

from cnnviz import cnn
from cnnviz.cnn import config as C
from cnnviz.cnn import mnist
from cnnviz.app.cli import main
from cnnviz.cnn.evaluate import accuracy
from cnnviz.cnn.mnist import DataError

DATA = mnist.DEFAULT_DIR
MIN_ACCURACY = 0.975
SPLITS = {"train": 60_000, "test": 10_000}


@pytest.fixture(scope="module")
def test_split():
    return mnist.load(DATA, "test")


@pytest.mark.parametrize("split, n", SPLITS.items())
def test_load_shapes_dtypes_and_range(split, n):
    """Each split is n images (28, 28) float32 in [0, 1] and n int64 labels 0..9."""
    images, labels = mnist.load(DATA, split)
    assert images.shape == (n, C.IMAGE_SIZE, C.IMAGE_SIZE) and images.dtype == np.float32
    assert labels.shape == (n,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 1
    assert set(np.unique(labels)) == set(range(C.NUM_CLASSES))


def test_first_train_labels():
    """The first ten training labels are the well-known 5 0 4 1 9 2 1 3 1 4."""
    _, labels = mnist.load(DATA, "train")
    assert list(labels[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


def test_t10k_is_test(test_split):
    """'t10k' and 'test' name the same split."""
    for a, b in zip(mnist.load(DATA, "t10k"), test_split):
        np.testing.assert_array_equal(a, b)


def test_checksums_match():
    """checksums() returns the expected SHA-256 of all four files."""
    assert mnist.checksums(DATA) == {name: digest for name, (_, digest) in mnist.FILES.items()}


def write_gz(directory, name, data):
    (directory / f"{name}.gz").write_bytes(gzip.compress(data, compresslevel=1))


def test_gzipped_files_read_the_same(tmp_path, test_split):
    """The same files gzipped load to the same arrays and pass the checksums of the raw bytes."""
    for name in mnist.FILES:
        write_gz(tmp_path, name, (DATA / name).read_bytes())
    for a, b in zip(mnist.load(tmp_path, "test"), test_split):
        np.testing.assert_array_equal(a, b)
    assert mnist.checksums(tmp_path) == mnist.checksums(DATA)


# ---- bad files: each maker writes one file into a folder holding links to the other good ones ----

IMAGES, LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"


def wrong_magic(d):
    raw = bytearray((DATA / LABELS).read_bytes())
    raw[2:4] = (2051).to_bytes(2, "big")    # the images' magic number on a labels file
    (d / LABELS).write_bytes(bytes(raw))
    return d / LABELS, ["magic", "2049"]


def truncated(d):
    (d / IMAGES).write_bytes((DATA / IMAGES).read_bytes()[:100_000])
    return d / IMAGES, ["truncated"]


def padded(d):
    (d / LABELS).write_bytes((DATA / LABELS).read_bytes() + b"\0")
    return d / LABELS, ["padded"]


def tiny(d):
    (d / LABELS).write_bytes(b"\0\0\x08")
    return d / LABELS, ["truncated"]


def truncated_gzip(d):
    data = gzip.compress((DATA / LABELS).read_bytes())
    (d / f"{LABELS}.gz").write_bytes(data[:len(data) // 2])
    return d / f"{LABELS}.gz", []


def corrupt_gzip(d):
    data = bytearray(gzip.compress((DATA / LABELS).read_bytes()))
    data[10:40] = bytes(b ^ 0x5A for b in data[10:40])    # damaged deflate stream, intact header
    (d / f"{LABELS}.gz").write_bytes(bytes(data))
    return d / f"{LABELS}.gz", []


def not_gzip(d):
    (d / f"{LABELS}.gz").write_bytes((DATA / LABELS).read_bytes())
    return d / f"{LABELS}.gz", []


def missing(d):
    return d / IMAGES, ["not found"]


BAD_FILES = [wrong_magic, truncated, padded, tiny, truncated_gzip, corrupt_gzip, not_gzip, missing]


@pytest.mark.parametrize("make", BAD_FILES, ids=lambda f: f.__name__)
def test_bad_file_raises_data_error_naming_it(tmp_path, make):
    """A bad test-split file raises DataError whose message names that file."""
    bad, expected = make(tmp_path)
    for name in (IMAGES, LABELS):
        if name != bad.name.removesuffix(".gz"):
            (tmp_path / name).symlink_to(DATA / name)
    with pytest.raises(DataError) as excinfo:
        mnist.load(tmp_path, "test")
    message = str(excinfo.value)
    assert str(bad) in message
    for part in expected:
        assert part in message


def test_checksum_mismatch_names_the_file(tmp_path):
    """One changed label (still a valid IDX file) fails checksums() with that file's name."""
    for name in mnist.FILES:
        (tmp_path / name).symlink_to(DATA / name)
    raw = bytearray((DATA / LABELS).read_bytes())
    raw[-1] = (raw[-1] + 1) % C.NUM_CLASSES
    (tmp_path / LABELS).unlink()
    (tmp_path / LABELS).write_bytes(bytes(raw))
    assert len(mnist.load(tmp_path, "test")[1]) == SPLITS["test"]
    with pytest.raises(DataError) as excinfo:
        mnist.checksums(tmp_path)
    assert str(tmp_path / LABELS) in str(excinfo.value) and "SHA-256" in str(excinfo.value)


def test_cli_evaluate_with_missing_data_exits_with_message(tmp_path):
    """`cnnviz evaluate --data EMPTY` exits with a message naming the missing file."""
    with pytest.raises(SystemExit) as excinfo:
        main(["evaluate", "--data", str(tmp_path)])
    assert str(tmp_path / IMAGES) in str(excinfo.value)


# ---- the shipped weights on the full test set ----------------------------------------------------

def test_shipped_weights_accuracy(test_split):
    """The shipped weights classify at least 97.5% of the 10,000 test images correctly."""
    images, labels = test_split
    assert accuracy(cnn.load_model(), images, labels) >= MIN_ACCURACY


def test_cli_evaluate_json(capsys):
    """`cnnviz evaluate --json` ends with a JSON line of the accuracy and the image count."""
    main(["evaluate", "--json", "--data", str(DATA)])
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"accuracy", "n"} and result["n"] == SPLITS["test"]
    assert isinstance(result["accuracy"], float) and result["accuracy"] >= MIN_ACCURACY
