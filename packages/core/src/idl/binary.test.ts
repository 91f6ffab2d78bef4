import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { encodeBinary } from "./binary.js";
import * as core from "./core.js";
import { allMessages, init, rng } from "./testing.js";

describe("encodeBinary", () => {
  const messages = allMessages();

  it("covers the IDL: every message type of core, admin and event", () => {
    expect(messages.length).toBeGreaterThan(300);
    expect(messages.map((m) => m.typeName)).toContain("flyteidl.core.TaskTemplate");
  });

  it("writes exactly what protobuf-es toBinary writes, for random messages of every type", () => {
    const r = rng(20261121);
    let compared = 0;
    let bytes = 0;
    for (const desc of messages) {
      for (let i = 0; i < 25; i++) {
        const message = create(desc, init(desc, r) as never);
        const expected = Buffer.from(toBinary(desc, message)).toString("hex");
        const ours = Buffer.from(encodeBinary(desc, message)).toString("hex");
        if (ours !== expected) expect.fail(`${desc.typeName} sample ${i}: ours ${ours}\n expected ${expected}`);
        compared++;
        bytes += expected.length / 2;
      }
    }
    expect(compared).toBe(messages.length * 25);
    // The samples are not empty shells: on average they hold a good deal.
    expect(bytes / compared).toBeGreaterThan(100);
  });

  it("writes unknown fields last, as protobuf-es does", () => {
    const message = create(core.IdentifierSchema, { name: "n" });
    message.$unknown = [{ no: 99, wireType: 2, data: Uint8Array.of(3, 97, 98, 99) }];
    expect(encodeBinary(core.IdentifierSchema, message)).toEqual(toBinary(core.IdentifierSchema, message));
  });

  it("refuses a message of another type", () => {
    expect(() => encodeBinary(core.IdentifierSchema, create(core.LiteralSchema))).toThrow(/cannot encode flyteidl.core.Literal as flyteidl.core.Identifier/);
  });
});
