import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import * as core from "./core.js";
import { createMessage } from "./create.js";
import { allMessages, init, rng } from "./testing.js";

/** Own keys in order, recursively: create's result must have the same shape, not only equal values. */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (Array.isArray(value)) return value.map(shape);
  return { proto: Object.getPrototypeOf(value) === Object.prototype ? "Object" : "other", entries: Object.keys(value).map((k) => [k, shape((value as Record<string, unknown>)[k])]) };
}

describe("createMessage", () => {
  it("makes what protobuf-es create makes, own keys in the same order, for random inits of every type", () => {
    const r = rng(7);
    let compared = 0;
    for (const desc of allMessages()) {
      for (let i = 0; i < 25; i++) {
        const initValue = init(desc, r);
        const theirs = create(desc, initValue as never);
        const ours = createMessage(desc, initValue as never);
        expect(shape(ours), `${desc.typeName} sample ${i}`).toStrictEqual(shape(theirs));
        compared++;
      }
      // An empty init, and none at all.
      expect(shape(createMessage(desc, {} as never))).toStrictEqual(shape(create(desc, {} as never)));
      expect(shape(createMessage(desc))).toStrictEqual(shape(create(desc)));
    }
    expect(compared).toBeGreaterThan(300 * 25);
  });

  it("returns a message of the schema's type as it is, and converts nested init objects", () => {
    const id = create(core.IdentifierSchema, { name: "n" });
    expect(createMessage(core.IdentifierSchema, id)).toBe(id);
    const template = createMessage(core.TaskTemplateSchema, { id: { name: "t" }, metadata: { generatesDeck: true, retries: { retries: 2 } } });
    expect(template.id?.$typeName).toBe("flyteidl.core.Identifier");
    expect(template.metadata?.retries?.$typeName).toBe("flyteidl.core.RetryStrategy");
    // A wrapper in a singular field stays its scalar, as in protobuf-es.
    expect(template.metadata?.generatesDeck).toBe(true);
    // A nested message that is already one is kept, not copied.
    const t2 = createMessage(core.TaskTemplateSchema, { id });
    expect(t2.id).toBe(id);
  });
});
