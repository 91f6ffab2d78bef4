import { describe, expect, it } from "vitest";
import { classFound, classHolding, symbolMetadata, whenClassFound } from "./awaiting-class.js";

/** A class with a metadata object, as TypeScript's emit leaves one that standard decorators decorated. */
function withMetadata<C extends Function>(cls: C, parent?: Function): { cls: C; metadata: object } {
  const inherited = parent === undefined ? null : ((parent as unknown as Record<symbol, object>)[symbolMetadata()] ?? null);
  const metadata = Object.create(inherited) as object;
  Object.defineProperty(cls, symbolMetadata(), { value: metadata, configurable: true });
  return { cls, metadata };
}

describe("declarations waiting for their class", () => {
  it("are placed once, with the class that owns the metadata, when the class or a subclass is found", () => {
    const { cls: Base, metadata: baseMeta } = withMetadata(class Base {});
    const { cls: Sub, metadata: subMeta } = withMetadata(class Sub extends Base {}, Base);
    const placed: string[] = [];
    whenClassFound(baseMeta, (c) => placed.push(`base:${c.name}`));
    whenClassFound(subMeta, (c) => placed.push(`sub:${c.name}`));
    classFound(Sub);
    classFound(Sub);
    classFound(Base);
    expect(placed).toEqual(["sub:Sub", "base:Base"]);
  });

  it("a placement that throws stays waiting, so each later finding throws again; the others are placed", () => {
    const { cls, metadata } = withMetadata(class Loose {});
    const placed: string[] = [];
    whenClassFound(metadata, () => {
      throw new Error("no type");
    });
    whenClassFound(metadata, (c) => placed.push(c.name));
    expect(() => classFound(cls)).toThrow("no type");
    expect(() => classFound(cls)).toThrow("no type");
    expect(placed).toEqual(["Loose"]);
  });

  it("a class without metadata of its own, or none at all, has nothing waiting", () => {
    expect(() => classFound(class Plain {})).not.toThrow();
    expect(() => classFound(function f() {})).not.toThrow();
  });

  it("finds the class that holds a method from an instance or a class", () => {
    class A {
      m(): void {}
      static s(): void {}
    }
    class B extends A {}
    expect(classHolding(new B(), "m", A.prototype.m)).toBe(A);
    expect(classHolding(B, "s", A.s)).toBe(A);
    expect(classHolding(new B(), "m", () => {})).toBeUndefined();
    expect(classHolding(undefined, "m", A.prototype.m)).toBeUndefined();
  });
});
