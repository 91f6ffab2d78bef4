// A mocked decorated async method is still async: its call returns a Promise, as the method does.
import { afterEach, describe, expect, it } from "vitest";
import { referenceTask } from "./reference-task.js";
import { task } from "./task.js";
import { Float, mockTask, restoreAllMocks, Str } from "@flytekit-ts/core";

class Prices {
  @task({ outputs: Float })
  static async quote(symbol: string): Promise<number> {
    return symbol.length;
  }

  @referenceTask({ project: "p", domain: "d", name: "prices.remote_quote", version: "v1", outputs: Str })
  static async remoteQuote(symbol: string): Promise<string> {
    throw new Error(`never runs ${symbol}`);
  }
}

afterEach(() => restoreAllMocks());

describe("mockTask on a decorated async method", () => {
  it("returns a Promise, so that .then and await work as on the real task", async () => {
    mockTask(Prices.quote).returns(9.5);
    const quote = Prices.quote("ACME");
    expect(typeof quote.then).toBe("function");
    expect(await quote).toBe(9.5);
    mockTask(Prices.quote).throws(new RangeError("closed"));
    await expect(Prices.quote("ACME")).rejects.toThrow(RangeError);
  });

  it("returns a Promise for an async reference task", async () => {
    mockTask(Prices.remoteQuote).returns("12.5 EUR");
    const quote = Prices.remoteQuote("ACME");
    expect(typeof quote.then).toBe("function");
    expect(await quote).toBe("12.5 EUR");
  });
});
