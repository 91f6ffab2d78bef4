// The TypeScript side of test/interop-values.test.ts: tasks that take what
// test/interop/values_tasks.py writes. `passThrough` checks what it read and returns it untouched;
// `rebuild` returns the same values made anew (copied Dates, string keys), which Python must refuse.
import { field, task } from "@flytekit-ts/decorators";
import { Datetime, Enum, Int, Json, List, Str, Union, type JsonMap, type JsonRecord } from "@flytekit-ts/core";

export enum Color {
  RED = "red",
  GREEN = "green",
}

/** flytekit's `@dataclass class Keyed`, its snake_case fields as camelCase properties. */
export class Keyed {
  @field({ name: "by_key", type: Int }) byKey!: number;
  @field({ name: "the_label" }) theLabel!: string;
  @field() naive!: Date;
  @field() offset!: Date;
  @field() utc!: Date;
  @field(List(Datetime)) stamps!: Date[];
}

const VALUES = { keyed: Keyed, when: Datetime, loose: Json, choice: Union(Enum(Color), Str), member: Union(Enum(Color), Int) };

interface Values {
  keyed: Keyed;
  when: Date;
  loose: JsonRecord | JsonMap;
  choice: string;
  member: string | number;
}

function wrongIn(v: Values): string[] {
  const wrong: string[] = [];
  const want = (what: string, ok: boolean) => {
    if (!ok) wrong.push(what);
  };
  const k = v.keyed;
  want("keyed is a Keyed", k instanceof Keyed);
  want("keyed.byKey is 5", k.byKey === 5);
  want('keyed.theLabel is "k"', k.theLabel === "k");
  want("keyed.naive is 12:00 read as UTC", k.naive.toISOString() === "2024-05-01T12:00:00.000Z");
  want("keyed.offset is 10:00 UTC", k.offset.toISOString() === "2024-05-01T10:00:00.000Z");
  want("keyed.stamps are Dates", k.stamps.every((d) => d instanceof Date));
  want("loose is a Map", v.loose instanceof Map);
  const loose = v.loose as JsonMap;
  want("loose holds 7 and \"7\" apart", loose.get(7) === "int" && loose.get("7") === "str");
  want("loose holds 1.5, true and null keys", loose.get(1.5) === "float" && loose.get(true) === "bool" && loose.get(null) === "none");
  const strings = loose.get("strings") as JsonRecord;
  want("loose.strings is a plain object with its own __proto__", Object.getPrototypeOf(strings) === Object.prototype && Object.hasOwn(strings, "__proto__") && strings.a === 2);
  want("loose.nested is a Map keyed 2", (loose.get("nested") as JsonMap).get(2) !== undefined);
  want('choice is "red"', v.choice === "red");
  want('member is "green"', v.member === Color.GREEN);
  return wrong;
}

export class ValuesTasks {
  @task({ name: "values.passThrough", inputs: VALUES, outputs: VALUES })
  static passThrough(keyed: Keyed, when: Date, loose: JsonRecord | JsonMap, choice: string, member: string | number): Values {
    const values = { keyed, when, loose, choice, member };
    const wrong = wrongIn(values);
    if (wrong.length > 0) throw new Error(`TypeScript read other values than Python wrote: not ${wrong.join("; not ")}`);
    return values;
  }

  @task({ name: "values.rebuild", inputs: VALUES, outputs: VALUES })
  static rebuild(keyed: Keyed, when: Date, loose: JsonRecord | JsonMap, choice: string, member: string | number): Values {
    const copy = Object.assign(new Keyed(), keyed, { naive: new Date(keyed.naive), offset: new Date(keyed.offset) });
    const stringKeys = Object.fromEntries([...(loose as JsonMap)].map(([k, v]) => [String(k), v]));
    return { keyed: copy, when, loose: stringKeys, choice, member };
  }
}
