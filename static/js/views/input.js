// Input: the 28x28 grid of numbers the network receives, with how a drawing became it.
import { h } from "../dom.js";
import { sub, rows } from "../nd.js";
import { heatmap } from "../plots.js";
import { renderSteps } from "./preprocess.js";

export function mount(el, stage, ctx) {
  const plot = h("div.plot.input-map");
  const steps = h("div.steps.big");
  const [, hh, w] = stage.output.shape;
  el.append(h("div.input-view", {}, plot,
    h("div.input-side", {}, h("h3", {}, "How your image became this"), steps,
      h("p.note", {}, `Each of the ${hh}×${w} = ${hh * w} pixels is one number between 0 (black) and 1 (white). ` +
        "Hover a pixel to see it."))));
  heatmap(plot, rows(sub(stage.output, 0)), {
    scale: "image", range: [0, 1], title: `input ${hh}×${w}`, name: "pixel", colorbar: true });
  renderSteps(steps, ctx.preprocess?.steps ?? [],
    `This image was given as ${hh}×${w} numbers, so there was nothing to preprocess.`);
  return {
    count: 1,
    show() { ctx.caption(`The network sees ${hh * w} numbers: white digit on black, cropped, scaled and centred like MNIST.`); },
    legend: ["image"],
  };
}
