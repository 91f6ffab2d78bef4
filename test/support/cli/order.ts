import { functionTask, Int } from "@flytekit-ts/core";
// Tasks exported in an order other than the alphabet: serialize numbers them as declared.

export const zeta = functionTask({ name: "order.zeta", inputs: { x: Int }, outputs: Int }, ({ x }) => x);
export const alpha = functionTask({ name: "order.alpha", inputs: { x: Int }, outputs: Int }, ({ x }) => x);
export const middle = functionTask({ name: "order.middle", inputs: { x: Int }, outputs: Int }, ({ x }) => x);
