"""The `cnnviz` command's help, version and layering: the engine never imports the web app."""

import subprocess
import sys

import pytest

from cnnviz.app.cli import main


@pytest.mark.parametrize("command, defaults", [
    ("serve", ["127.0.0.1", "5000", "(default: 2)"]),
    ("train", ["(default: 64)", "(default: 0.02)", "trained.npz"]),
    ("evaluate", ["--weights"]),
    ("get-mnist", ["cnnviz/mnist"]),
    ("trace", ["--stage NAME", "--pos ROW,COL", "default: the shipped weights"]),
    ("export", ["(default: conv1)", "gif,png,html", "--back LABEL"]),
])
def test_every_command_shows_its_defaults_and_examples(command, defaults, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")      # no line breaks inside "(default: ...)"
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "examples:" in text and f"cnnviz {command}" in text
    for default in defaults:
        assert default in text


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    out = capsys.readouterr().out
    assert out.startswith("cnnviz ") and out.strip().split()[1][0].isdigit()


def test_the_engine_never_imports_the_app():
    """Importing and using the whole engine loads neither the app nor Flask."""
    code = ("import sys; from cnnviz import cnn; "
            "import cnnviz.cnn.train, cnnviz.cnn.train_run, cnnviz.cnn.fetch, cnnviz.cnn.evaluate, cnnviz.cnn.preprocess; "
            "cnn.load_model().trace(__import__('numpy').zeros((28, 28))); "
            "print(sorted(m for m in sys.modules if m.startswith('cnnviz.app') or m.split('.')[0] in "
            "('flask', 'werkzeug', 'gevent', 'plotly')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
