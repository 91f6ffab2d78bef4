// The type engine is open: a plugin adds a type in one file (support/money.ts) and it works where
// the built-in types do, inferred from TypeScript's metadata in a local call, as a record field,
// on the command line of `flytekit-ts run`, and guessed back from a template's interface. A second
// registration for what is already registered is refused, naming both.
import { defineRecord, ImageConfig, SerializationSettings, taskOf, templateToBinary, toTaskTemplate, TypeEngine } from "@flytekit-ts/core";
import { decode, TaskTemplateSchema } from "@flytekit-ts/core/idl";
import { ExecutableTemplateShimTask, FlyteTypeError, ShimTaskExecutor, TaskExecutionContext } from "@flytekit-ts/core/extend";
import { containerServices, guessType, literalMapOf, recordType } from "@flytekit-ts/core/internal";
import { field, task } from "@flytekit-ts/decorators";
import { describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, runProcess, TEST_ROOT } from "./support/execute.js";
import { Money, MoneyToken } from "./support/money.js";
import { parseFlag } from "@flytekit-ts/cli";

class Wallet {
  @task()
  static double(amount: Money): Money {
    return new Money(amount.cents * 2, amount.currency);
  }
}

class Invoice {
  @field() total: Money = new Money(0, "EUR");
  @field() note: string = "";
}

const settings = new SerializationSettings({ project: "p", domain: "d", version: "v", imageConfig: ImageConfig.auto("img:1") });

describe("a type from a plugin", () => {
  it("is inferred from TypeScript's metadata and runs in a local call, through literals", () => {
    const t = taskOf(Wallet.double);
    expect(t.interface.inputs[0]!.type).toBe(MoneyToken);
    expect(t.interface.outputs[0]!.type).toBe(MoneyToken);
    const doubled = Wallet.double(new Money(1250, "EUR"));
    expect(doubled).toBeInstanceOf(Money);
    expect(doubled.toString()).toBe("25.00 EUR");
    expect(() => Wallet.double(12.5 as never)).toThrow("task 'type-plugin.test.Wallet.double', input 'amount': expected Money, got 12.5 (number)");
    expect(TypeEngine.typeOf(Money)).toBe(MoneyToken);
  });

  it("is a record field, with its JSON schema and its MessagePack form", () => {
    const type = recordType(Invoice);
    expect(type.jsonSchema()).toMatchObject({ properties: { total: { type: "string", format: "money" }, note: { type: "string" } } });
    const back = type.fromLiteral(type.toLiteral(Object.assign(new Invoice(), { total: new Money(-305, "USD") })));
    expect(back.total).toEqual(new Money(-305, "USD"));
  });

  it("is guessed back from a template's interface, for a task known only by its template", async () => {
    class Doubler extends ShimTaskExecutor {
      executeFromModel(_t: unknown, inputs: Readonly<Record<string, unknown>>): unknown {
        const m = inputs.amount as Money;
        return new Money(m.cents * 2, m.currency);
      }
    }
    // The template as a container reads it: through its bytes.
    const template = decode(TaskTemplateSchema, templateToBinary(toTaskTemplate(taskOf(Wallet.double), settings)));
    const amount = template.interface!.inputs!.variables.amount!.type!;
    expect(amount.structure!.tag).toBe("money");
    const guessed = guessType(amount);
    expect(guessed.name).toBe("Money");
    expect(guessed.literalType).toBe(amount);
    expect(guessed.toLiteral(new Money(7, "EUR"))).toEqual(MoneyToken.toLiteral(new Money(7, "EUR")));
    const shim = new ExecutableTemplateShimTask(template, Doubler);
    const context = new TaskExecutionContext({ taskName: shim.name, services: containerServices({}) });
    const out = await shim.dispatchExecute(literalMapOf({ amount: MoneyToken.toLiteral(new Money(100, "GBP")) }), context);
    expect(MoneyToken.fromLiteral(out.literals.o0!)).toEqual(new Money(200, "GBP"));
  });

  it("is read from and printed on the command line of flytekit-ts run", async () => {
    const module = "support/cli/money-tasks.ts";
    const run = (...args: string[]) => runProcess(process.execPath, [CLI_BIN, "run", module, ...args], { cwd: TEST_ROOT, env: cleanEnv() });
    const ok = await run("Wallet.double", "--amount", "12.50 EUR");
    expect(ok.stderr).toBe("");
    expect(ok.stdout.trim()).toBe("o0: 25.00 EUR");
    const help = await run("Wallet.double", "--help");
    expect(help.stdout).toContain("  --amount Money  an amount and a currency, e.g. 12.50 EUR");
    const bad = await run("Wallet.double", "--amount", "twelve");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`flytekit-ts: task 'support.cli.money-tasks.Wallet.double', --amount: expected Money (an amount and a currency, e.g. 12.50 EUR), got "twelve"`);
  });

  it("is refused a second time, with the names of both registrations, as flytekit's TypeEngine.register does", () => {
    expect(() => TypeEngine.register({ name: "Money again", token: MoneyToken, natives: [Money] })).toThrow(
      "constructor Money: the type Money (test plugin) is already registered for it; cannot register Money again for it too",
    );
    expect(() => TypeEngine.register({ name: "Money (test plugin)" })).toThrow(FlyteTypeError);
    expect(() => TypeEngine.register({ name: "decimal strings", token: MoneyToken, natives: [String] })).toThrow(
      "constructor String: the type Str is already registered for it; cannot register decimal strings for it too",
    );
    expect(() => TypeEngine.register({ name: "strings again", literalTypes: ["simple:STRING"], guess: () => MoneyToken })).toThrow(
      "LiteralType simple:STRING: the type Str is already registered for it; cannot register strings again for it too",
    );
  });
});

describe("command-line text is the type's own", () => {
  it("reads a record class named Int as a record (JSON), not as an integer", () => {
    const IntRecord = { Int: class {} }.Int;
    const type = defineRecord(IntRecord as new () => { a?: number }, { a: TypeEngine.typeOf(Number) } as never);
    expect(type.name).toBe("Int");
    const input = { name: "r", type, optional: false, hasDefaultValue: false, description: "r" };
    expect(parseFlag(input, '{"a":1}')).toEqual({ a: 1 });
    expect(type.textHint).toBe("JSON");
    expect(() => parseFlag(input, "{a: 1}")).toThrow(/^--r: expected Int \(JSON\), got "\{a: 1\}": not valid JSON/);
  });
});
