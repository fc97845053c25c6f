"""Every gradient of the backward walk against torch's autograd, and its SGD step against torch.optim.SGD, on 20
MNIST test digits towards wrong labels, with the shipped and untrained weights (torch is never a dependency:
install it to run this). Run: python3 benchmarks/torch_gradients.py"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cnnviz import cnn  # noqa: E402  (before numpy: sets OpenBLAS to one thread)
import numpy as np  # noqa: E402
import torch  # noqa: E402
from cnnviz.cnn import mnist  # noqa: E402
from cnnviz.cnn.model import Model  # noqa: E402
from cnnviz.cnn.train import init_params  # noqa: E402

torch.set_num_threads(1)
images, labels = mnist.load(mnist.DEFAULT_DIR, "test")
def torch_net(params):
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(2, 4, 3),
        torch.nn.Sigmoid(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(100, 10))
    named = {"conv1": net[0], "conv2": net[3], "dense": net[7]}
    for n, m in named.items():
        m.weight.data = torch.from_numpy(params[f"{n}.weight"].copy()); m.bias.data = torch.from_numpy(params[f"{n}.bias"].copy())
    return net, named
worst = {}
for which, params in (("shipped", cnn.load_model().params), ("untrained", init_params(np.random.default_rng(3)))):
    model = Model(params)
    for i in range(20):
        x, label = images[i], (int(labels[i]) + 1 + i % 9) % 10
        b = model.backprop(x, label, 0.02, 1)
        net, named = torch_net(model.params)
        xt = torch.from_numpy(x[None, None].copy()).requires_grad_(True)
        h = xt
        outs = []
        for layer in net:
            h = layer(h); h.retain_grad(); outs.append(h)
        loss = torch.nn.functional.cross_entropy(h, torch.tensor([label]))
        loss.backward()
        # stage outputs in torch order: conv1, relu1, pool1, conv2, sigmoid2, pool2, flatten, dense
        names = ["conv1", "relu1", "pool1", "conv2", "sigmoid2", "pool2", "flatten", "dense"]
        d = worst.setdefault(which, {})
        def upd(k, ours, theirs):
            scale = max(float(np.abs(theirs).max()), 1e-30)
            d[k] = max(d.get(k, 0), float(np.abs(ours - theirs).max()) / scale)
        for n, o in zip(names, outs):
            upd(n + ".grad_output", b[n].grad_output, o.grad.numpy()[0])
        upd("input.grad_output", b["input"].grad_output, xt.grad.numpy()[0])
        for n, m in named.items():
            upd(n + ".weight", b[n].grads["weight"], m.weight.grad.numpy()); upd(n + ".bias", b[n].grads["bias"], m.bias.grad.numpy())
        d["loss"] = max(d.get("loss", 0), abs(b.loss - loss.item()) / loss.item())
        opt = torch.optim.SGD(net.parameters(), lr=0.02); opt.step()
        for n, m in named.items():
            upd(n + ".weight after SGD", b.step.params[n + ".weight"], m.weight.data.numpy())
        with torch.no_grad():
            after = float(torch.nn.functional.cross_entropy(net(xt), torch.tensor([label])))
        d["loss after step"] = max(d.get("loss after step", 0), abs(b.step.loss - after) / max(after, 1e-12))
for which, d in worst.items():
    print(which, "max relative difference (to the largest |torch| value of each array) over 20 test digits:")
    for k, v in d.items(): print(f"   {k:28s} {v:.2e}")
