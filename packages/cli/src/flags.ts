// Command-line values for a task's inputs (`flytekit-ts run`): each type reads its own text
// (FlyteType.fromText) and says how it is written (textHint); nothing here knows any type.
import type { Interface } from "@flytekit-ts/core/extend";
import { TypeTransformerError } from "@flytekit-ts/core";
import { CliError } from "./discover.js";

type InputVariable = Interface["inputs"][number];

/** Reads one flag's text as a value of the input's type, or throws naming the task, the flag and the type. */
export function parseFlag(input: InputVariable, text: string, task?: string): unknown {
  try {
    return input.type.fromText(text);
  } catch (e) {
    if (!(e instanceof TypeTransformerError)) throw e;
    // A part of the value (a record's field, a list's item) says what that part expected and got.
    const inside = e.path !== undefined && e.path !== "";
    throw new CliError(
      {
        task,
        subject: `--${input.name}`,
        path: e.path,
        expected: inside ? e.expected : `${input.type.name} (${input.type.textHint})`,
        got: inside ? e.got : JSON.stringify(text),
        problem: e.problem,
      },
      { cause: e },
    );
  }
}

/** Splits `--name value` and `--name=value` pairs into named values; refuses what is not an input. */
export function readFlags(inputs: readonly InputVariable[], argv: readonly string[], task: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--")) throw new CliError({ subject: `argument ${JSON.stringify(a)}`, problem: "unexpected", fix: "inputs are given as --name value" });
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const input = inputs.find((v) => v.name === name);
    if (input === undefined) {
      throw new CliError({ task, subject: `--${name}`, problem: `no such input (inputs: ${inputs.map((v) => `--${v.name}`).join(", ") || "none"})` });
    }
    const text = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (text === undefined) throw new CliError({ subject: `--${name}`, expected: `a value (${input.type.name})`, got: "nothing" });
    if (name in values) throw new CliError({ subject: `--${name}`, problem: "it is given twice" });
    values[name] = parseFlag(input, text, task);
  }
  return values;
}
