// maskSecrets: whatever an error carries, no secret the task read comes out of it in clear.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { FlyteError } from "../errors/flyte-error.js";
import { maskSecrets, maskText } from "./secrets.js";

const SECRET = "s3cr3t-T0ken";
const shown = (value: unknown) => inspect(value, { depth: null, showHidden: false });

describe("maskSecrets", () => {
  it("returns what holds no secret as it is, the same object", () => {
    const error = new Error("nothing to hide", { cause: new Error("nor here") });
    expect(maskSecrets(error, [SECRET])).toBe(error);
    expect(maskSecrets(error, [])).toBe(error);
  });

  it("masks an error's message, stack, own properties however nested, its causes and an AggregateError's errors, keeping its class", () => {
    let deep: Record<string, unknown> = { token: SECRET };
    for (let i = 0; i < 30; i++) deep = { next: deep };
    const inner = new FlyteError({ subject: "request", expected: "a token", got: `Bearer ${SECRET}` });
    const error = Object.assign(new AggregateError([inner, new Error(`second ${SECRET}`)], `two failed for ${SECRET}`, { cause: inner }), { deep, list: [SECRET, 1] });
    const masked = maskSecrets(error, [SECRET]);
    expect(masked).toBeInstanceOf(AggregateError);
    expect(masked).not.toBe(error);
    expect(masked.message).toBe("two failed for ****");
    expect((masked.cause as FlyteError).got).toBe("Bearer ****");
    expect(masked.cause).toBeInstanceOf(FlyteError);
    expect((masked as unknown as { list: unknown[] }).list).toEqual(["****", 1]);
    expect(shown(masked)).not.toContain(SECRET);
    expect(masked.stack).not.toContain(SECRET);
    // The original is left as it was.
    expect(error.message).toBe(`two failed for ${SECRET}`);
  });

  it("shows what a copy cannot reach (a URL, Headers, bytes, a class instance) as its masked text", () => {
    class Session {
      #token = SECRET;
      get header() {
        return `Bearer ${this.#token}`;
      }
      readonly user = `alice:${SECRET}`;
    }
    const error = Object.assign(new Error("request failed"), {
      url: new URL(`https://alice:${SECRET}@api.example.com/?key=${SECRET}`),
      headers: new Headers({ authorization: `Bearer ${SECRET}` }),
      body: Buffer.from(`password=${SECRET}`),
      session: new Session(),
    });
    const masked = maskSecrets(error, [SECRET]) as typeof error;
    expect(shown(masked)).not.toContain(SECRET);
    expect(String(masked.url)).toContain("****");
    expect(String(masked.body)).toBe("password=****");
    expect(typeof masked.session).toBe("string");
  });

  it("rebuilds an error whose message is not its own property (a DOMException) from its text", () => {
    const cause = new DOMException(`aborted with ${SECRET}`, "AbortError");
    const error = new Error("fetch failed", { cause });
    const masked = maskSecrets(error, [SECRET]);
    expect(() => shown(masked)).not.toThrow();
    expect(shown(masked)).not.toContain(SECRET);
    expect((masked.cause as Error).name).toBe("AbortError");
    expect((masked.cause as Error).message).toBe("aborted with ****");
  });

  it("follows cycles without looping, and masks both ends", () => {
    const error = new Error(`loop ${SECRET}`) as Error & { self?: unknown };
    error.self = error;
    const masked = maskSecrets(error, [SECRET]) as typeof error;
    expect(masked.self).toBe(masked);
    expect(masked.message).toBe("loop ****");
  });

  it("masks each line of a multi-line secret too, so that text cut into lines shows none of it; lines too short to be safe to mask stay", () => {
    const pem = "-----BEGIN KEY-----\nMIIBOgIBAAJB\r\nabc\n-----END KEY-----";
    expect(maskText(`stderr: -----BEGIN KEY-----`, [pem])).toBe("stderr: ****");
    expect(maskText("  MIIBOgIBAAJB\n  -----END KEY-----", [pem])).toBe("  ****\n  ****");
    expect(maskText(pem, [pem])).toBe("****");
    expect(maskText("abc def", [pem])).toBe("abc def");
  });

  it("masks a longer secret whole when a shorter one is inside it", () => {
    expect(maskText("key abc and abcdef", ["abc", "abcdef"])).toBe("key **** and ****");
  });
});
