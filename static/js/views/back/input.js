// The input backwards: ∂L/∂pixels, which pixels, made brighter or darker, move the answer towards the label — the
// gradient the walk ends with. Beside it the digit itself.
import { h } from "../../dom.js";
import { sub, rows } from "../../nd.js";
import { heatmap, colorbar } from "../../plots.js";
import { gradient } from "./common.js";

export function mount(el, line, ctx) {
  const [, hh, w] = line.grad_output.shape;
  const digit = h("div.plot.input-map"), grad = h("div.plot.input-map.binput-grad"), bar = h("div.plot.binput-bar");
  const L = ctx.labels[ctx.label];
  el.append(h("div.input-view.binput", {}, h("div.binput-maps", {}, digit, grad, bar),
    h("div.input-side", {}, h("h3", {}, "∂L/∂pixels: what the digit itself would have to change"),
      h("p.note", {}, `Red: making that pixel brighter raises the loss, the digit looks less like a ${L} to the ` +
        `network; blue: brighter lowers it, more like a ${L}. White pixels do not matter to it here.`),
      h("p.note", {}, "Training changes the weights, not the digit: this map is the last step of the chain rule, " +
        "through every stage back to the pixels. Nudging the pixels against it (blue brighter, red darker) is how " +
        "an “adversarial” digit is made: it fools the network while a person sees the same digit."))));
  heatmap(digit, rows(sub(ctx.forward.output, 0)), { scale: "image", range: [0, 1], title: `the input ${hh}×${w}`,
    name: "pixel" });
  const opts = gradient(line.grad_output);
  heatmap(grad, rows(sub(line.grad_output, 0)), { ...opts, title: "∂L/∂pixel", name: "∂L/∂pixel" });
  colorbar(bar, { ...opts, titled: true });
  return {
    count: 1,
    show() {
      ctx.caption(`The gradient on each of the ${hh * w} pixels: how the loss towards ${L} changes as that pixel brightens.`);
      ctx.say(`The gradient on the ${hh * w} pixels, centred on zero.`);
    },
    legend: ["gradient", "image"],
  };
}
