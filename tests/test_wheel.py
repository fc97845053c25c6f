"""The wheel, built from the sdist as `python -m build` does, installed into a fresh virtual environment, runs
from another folder with nothing of this checkout: the page, its assets, the trace API, the CLI."""

import json
import os
import re
import subprocess
import sys
import sysconfig
import urllib.request
import zipfile

import pytest

from cnnviz.cnn import mnist
from cnnviz.cnn.weights import model_card

from .conftest import ROOT, free_port, started, stop
from .test_api import canvas_png
from .test_streaming import BODY


def run(*command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv folder, the wheel's path): a fresh venv that sees the test environment's packages but has its own
    cnnviz, installed from the wheel built from the sdist."""
    tmp = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp / "dist"), str(ROOT))
    assert built.returncode == 0, built.stderr[-3000:]
    wheel, = (tmp / "dist").glob("cnnviz-*.whl")
    venv = tmp / "venv"
    assert run(sys.executable, "-m", "venv", str(venv)).returncode == 0
    site, = (venv / "lib").glob("python*/site-packages")
    # the dependencies come from the test environment (after the venv's own packages), so nothing is downloaded
    (site / "test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    out = run(str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel))
    assert out.returncode == 0, out.stderr
    return venv, wheel


def test_the_wheel_carries_the_page_the_weights_and_the_samples(installed):
    names = set(zipfile.ZipFile(installed[1]).namelist())
    checkpoints = [f"cnnviz/cnn/trained/{c['file']}" for c in model_card()["checkpoints"]]
    assert len(checkpoints) > 1
    for path in ["cnnviz/app/templates/index.html", "cnnviz/app/static/js/main.js", "cnnviz/app/static/css/style.css",
                 "cnnviz/app/samples/mnist-samples.npz", "cnnviz/cnn/trained/mnist.npz",
                 "cnnviz/cnn/trained/mnist.json", "cnnviz/colors.json", "cnnviz/figures/back/conv.py", *checkpoints]:
        assert path in names
    shipped = {p.relative_to(ROOT / "static").as_posix() for p in (ROOT / "static").rglob("*") if p.is_file()}
    static = "cnnviz/app/static/"
    assert {n.removeprefix(static) for n in names if n.startswith(static)} == shipped


def test_the_wheel_installs_one_name_cnnviz(installed):
    names = zipfile.ZipFile(installed[1]).namelist()
    assert {n.split("/")[0] for n in names if ".dist-info/" not in n} == {"cnnviz"}
    top_level = [n for n in names if n.endswith(".dist-info/top_level.txt")]
    assert not top_level or zipfile.ZipFile(installed[1]).read(top_level[0]).split() == [b"cnnviz"]


def test_import_cnnviz_beside_a_course_folder_s_own_cnn_py_and_app_py(installed, tmp_path):
    """A student's folder with its own cnn.py and app.py (Jupyter's working folder) shadows nothing of cnnviz."""
    (tmp_path / "cnn.py").write_text("raise ImportError('the course folder\'s own cnn.py')\n")
    (tmp_path / "app.py").write_text("raise ImportError('the course folder\'s own app.py')\n")
    code = ("import cnnviz, cnnviz.app.cli, cnnviz.app, cnnviz.cnn; "
            "print(cnnviz.__file__, cnnviz.app.__file__, cnnviz.cnn.load_model().trace("
            "__import__('numpy').zeros((28, 28))).prediction)")
    out = run(str(installed[0] / "bin" / "python"), "-c", code, cwd=tmp_path,
              env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert out.returncode == 0, out.stderr
    *files, prediction = out.stdout.split()
    assert all(f.startswith(str(installed[0])) for f in files) and prediction.isdigit()


def test_the_installed_package_writes_the_walkthrough_with_its_own_plotly_js(installed, tmp_path):
    code = "import cnnviz, numpy; print(cnnviz.load().trace(numpy.zeros((28, 28))).write_html('walk.html').stat().st_size)"
    out = run(str(installed[0] / "bin" / "python"), "-c", code, cwd=tmp_path, env={**os.environ,
                                                                                "PYTHONDONTWRITEBYTECODE": "1"})
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 1_000_000 and "Plotly" in (tmp_path / "walk.html").read_text()


def test_the_installed_command_exports_a_gif_from_another_folder(installed, tmp_path):
    """cnnviz.frames and its views are in the wheel: `cnnviz export` draws a stage's GIF and `cnnviz trace` reads."""
    (tmp_path / "one.png").write_bytes(canvas_png())
    command, env = str(installed[0] / "bin" / "cnnviz"), {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = run(command, "export", "one.png", "--format", "gif", "--stage", "conv2", "-o", "conv2.gif", cwd=tmp_path,
              env=env)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "conv2.gif").read_bytes().startswith(b"GIF89a")
    out = run(command, "trace", "one.png", "--json", cwd=tmp_path, env=env)
    assert out.returncode == 0 and '"prediction": 1' in out.stdout, out.stderr


def test_the_installed_command_serves_everything_from_another_folder(installed, tmp_path):
    venv, _ = installed
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    where = run(str(venv / "bin" / "python"), "-c", "import cnnviz.app, cnnviz.cnn; print(cnnviz.app.__file__, cnnviz.cnn.__file__)",
                cwd=tmp_path, env=env)
    assert all(p.startswith(str(venv)) for p in where.stdout.split()), where.stdout
    version = run(str(venv / "bin" / "cnnviz"), "--version", cwd=tmp_path)
    assert re.fullmatch(r"cnnviz \d+\.\d+\.\d+\n", version.stdout)

    before = sorted(p for p in venv.rglob("*"))
    port = free_port()
    server = started([str(venv / "bin" / "cnnviz"), "serve", "--port", str(port), "--store",
                      str(tmp_path / "classes.sqlite")], port, cwd=tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        page = urllib.request.urlopen(base + "/").read().decode()
        script = re.search(r'<script type="module" src="([^"]+)"', page).group(1)
        assert urllib.request.urlopen(base + script).status == 200
        req = urllib.request.Request(base + "/api/trace", BODY, {"Content-Type": "application/json"})
        lines = urllib.request.urlopen(req).read().splitlines()
        assert json.loads(lines[-1])["prediction"] == 1
    finally:
        stop(server)
    assert sorted(p for p in venv.rglob("*")) == before             # nothing written into site-packages


def test_evaluate_and_train_from_another_folder(installed, tmp_path):
    cnnviz = str(installed[0] / "bin" / "cnnviz")
    out = run(cnnviz, "evaluate", "--data", str(mnist.DEFAULT_DIR), "--json", cwd=tmp_path)
    assert json.loads(out.stdout.splitlines()[-1])["accuracy"] > 0.975
    missing = run(cnnviz, "train", "--data", str(tmp_path / "nothing"), cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1 and "cnnviz get-mnist" in missing.stderr
