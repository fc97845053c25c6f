"""`cnnviz trace` and `cnnviz export`: the numbers in a terminal (and as JSON, equal to the engine's), the files,
and errors as one line naming the file or the option, exit status 1 (2 for usage), never a traceback."""

import io
import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import cnnviz
from cnnviz.app.cli import main
from cnnviz.format import fix

from .test_api import canvas_png


@pytest.fixture(scope="module")
def seven(tmp_path_factory):
    """A drawing on disk (a 1, as tests/test_api draws it) and its trace by the Python API."""
    path = tmp_path_factory.mktemp("digits") / "one.png"
    path.write_bytes(canvas_png())
    return path, cnnviz.load().trace(path)


def run(argv, capsys):
    """main(argv) -> (exit status, stdout, stderr)."""
    try:
        main([str(a) for a in argv])
        status = 0
    except SystemExit as e:
        status = e.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_trace_prints_the_answer_and_the_ten_probabilities(seven, capsys):
    path, t = seven
    status, out, _ = run(["trace", path], capsys)
    lines = out.splitlines()
    assert status == 0 and lines[0].startswith(f"{path}: read as {t.prediction} (")
    rows = [line.split() for line in lines[3:13]]
    assert [r[0] for r in rows] == [str(d) for d in range(10)]
    assert [r[1] for r in rows] == [fix(p) for p in t.probabilities]
    assert "<- the answer" in lines[3 + t.prediction]


def test_trace_json_is_the_engine_s_numbers(seven, capsys):
    """--json: the probabilities, the stage's summary and a conv position's window, weights, products, sum, bias
    and output, every one equal to the trace's."""
    path, t = seven
    status, out, _ = run(["trace", path, "--stage", "conv2", "--pos", "4,5", "--json"], capsys)
    found = json.loads(out)
    assert status == 0 and found["prediction"] == t.prediction and found["weights"] == "shipped"
    np.testing.assert_array_equal(np.float32(found["probabilities"]), t.probabilities)
    conv2 = t["conv2"]
    assert found["stage"]["shape"] == [4, 10, 10] and found["stage"]["params"]["weight"] == [4, 2, 3, 3]
    assert found["stage"]["channels"][2]["max"] == float(conv2.output[2].max())
    at = found["position"]
    assert (at["row"], at["col"], len(at["channels"])) == (4, 5, 4)
    for f, ch in enumerate(at["channels"]):
        np.testing.assert_array_equal(np.float32(ch["products"]), conv2.details["products"][f, 4, 5])
        np.testing.assert_array_equal(np.float32(ch["window"]), conv2.input[:, 4:7, 5:8])
        np.testing.assert_array_equal(np.float32(ch["weights"]), conv2.params["weight"][f])
        assert (ch["sum"], ch["bias"], ch["output"]) == (float(conv2.details["sums"][f, 4, 5]),
                                                         float(conv2.params["bias"][f]), float(conv2.output[f, 4, 5]))


@pytest.mark.parametrize("stage, pos, expect", [
    ("conv1", "10,12", lambda t: f"sum {fix(t['conv1'].details['sums'][1, 10, 12])} + bias "
                               f"{fix(t['conv1'].params['bias'][1])} = output {fix(t['conv1'].output[1, 10, 12])}"),
    ("relu1", "10,12", lambda t: f"{fix(t['relu1'].input[0, 10, 12]):>10}{fix(t['relu1'].output[0, 10, 12]):>10}"),
    ("pool2", "2,3", lambda t: f"{fix(t['pool2'].output[3, 2, 3]):>10}"),
    ("flatten", "88", lambda t: f"place 88: channel 4, row 2, column 3 -> value {fix(t['flatten'].output[88])}"),
    ("dense", "7", lambda t: f"= logit {fix(t['dense'].output[7])}"),
    ("softmax", "1", lambda t: f"probability {fix(t['softmax'].output[1])}"),
    ("input", "14,14", lambda t: f"pixel {fix(t['input'].output[0, 14, 14])}"),
])
def test_a_position_s_numbers_as_a_table(seven, capsys, stage, pos, expect):
    path, t = seven
    status, out, _ = run(["trace", path, "--stage", stage, "--pos", pos], capsys)
    assert status == 0 and expect(t) in out


@pytest.mark.parametrize("fmt, extra, magic", [("gif", ["--stage", "pool2"], b"GIF89a"),
                                              ("png", ["--stage", "conv1", "--pos", "3,4", "--back", "7"], b"\x89PNG")])
def test_export_writes_the_file(seven, tmp_path, capsys, fmt, extra, magic):
    path, _ = seven
    out = tmp_path / f"stage.{fmt}"
    status, said, _ = run(["export", path, "--format", fmt, "-o", out, *extra], capsys)
    data = out.read_bytes()
    assert status == 0 and data.startswith(magic) and said.strip() == f"{out}: {len(data):,} bytes"
    assert Image.open(io.BytesIO(data)).size == (1280, 720)


@pytest.mark.parametrize("argv, status, words", [
    (["trace", "nothing.png"], 1, "cnnviz: nothing.png: No such file"),
    (["trace", "{text}"], 1, "cannot decode the image"),
    (["trace", "{blank}"], 1, "the drawing is empty"),
    (["trace", "{seven}", "--weights", "epoch-9"], 1, "cnnviz: --weights epoch-9: no weights 'epoch-9'"),
    (["trace", "{seven}", "--pos", "3,4"], 2, "--pos needs --stage"),
    (["trace", "{seven}", "--stage", "conv1", "--pos", "30,4"], 2, "row from 0 to 23"),
    (["trace", "{seven}", "--stage", "dense", "--pos", "3,4"], 2, "an index from 0 to 9"),
    (["export", "{seven}", "--format", "png", "--stage", "loss", "-o", "x.png"], 2, "no stage 'loss'"),
    (["export", "{seven}", "--format", "gif", "-o", "{missing}/x.gif"], 1, "x.gif: No such file or directory"),
])
def test_errors_are_one_line_and_a_status(seven, tmp_path, capsys, argv, status, words):
    text, blank = tmp_path / "notes.png", tmp_path / "blank.png"
    text.write_text("not an image")
    Image.new("L", (64, 64)).save(blank)
    names = {"seven": seven[0], "text": text, "blank": blank, "missing": tmp_path / "nowhere"}
    got, out, err = run([a.format(**names) for a in argv], capsys)
    assert got == status and out == ""
    assert len(err.strip().splitlines()) == 1 and words.format(**names) in err


@pytest.mark.parametrize("argv", [["trace", "x.png", "--pos", "a,b"], ["export", "x.png", "--format", "jpg", "-o", "x"],
                                  ["export", "x.png", "--format", "gif", "--back", "12", "-o", "x.gif"]])
def test_usage_errors_exit_2(argv, capsys):
    status, _, err = run(argv, capsys)
    assert status == 2 and "error: argument" in err


def test_the_command_itself_prints_no_traceback(tmp_path):
    bad = tmp_path / "seven.png"
    bad.write_bytes(b"\x89PNG not really")
    done = subprocess.run([sys.executable, "-m", "cnnviz", "trace", str(bad)], capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"cnnviz: {bad}: cannot decode") and done.stderr.count("\n") == 1
