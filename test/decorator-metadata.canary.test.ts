// Canary: the test toolchain (vitest 4 on Vite 8, whose Oxc transform reads our tsconfig) must
// emit decorator metadata. Vite 7's esbuild transform drops it silently; so do tsx and esbuild.
// If this fails, every inference test below it would fail for the wrong reason.
import "reflect-metadata";
import { describe, expect, it } from "vitest";

function mark(): MethodDecorator & PropertyDecorator {
  return () => undefined;
}

class Point {
  x = 0;
}

class Sample {
  @mark() count!: number;

  @mark()
  method(a: string, b: number, c: Point, d: number[]): boolean {
    return a.length + b + c.x + d.length > 0;
  }
}

describe("decorator metadata canary", () => {
  it("emits design:paramtypes, design:returntype and design:type", () => {
    expect(Reflect.getMetadata("design:paramtypes", Sample.prototype, "method")).toEqual([String, Number, Point, Array]);
    expect(Reflect.getMetadata("design:returntype", Sample.prototype, "method")).toBe(Boolean);
    expect(Reflect.getMetadata("design:type", Sample.prototype, "count")).toBe(Number);
  });

  it("runs on Vite 8 or later", async () => {
    const { version } = await import("vite");
    expect(Number(version.split(".")[0])).toBeGreaterThanOrEqual(8);
  });
});
