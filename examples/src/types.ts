// The type engine on its own: TypeScript values become the Flyte literals a Python flytekit task
// reads, and back. Records are flytekit's dataclasses: declare the fields and their types.
import { Dict, Float, Int, List, Optional, Str, TypeEngine, TypeTransformerError } from "@flytekit-ts/core";
import * as idl from "@flytekit-ts/core/idl";
import { field } from "@flytekit-ts/decorators";
import { toJsonString } from "@bufbuild/protobuf";

export class Reading {
  @field() sensor!: string;
  @field() celsius!: number;
  @field() at!: Date;
  @field(List(Str)) tags: string[] = [];

  get fahrenheit(): number {
    return this.celsius * 1.8 + 32;
  }
}

export async function main(): Promise<void> {
  const reading = Object.assign(new Reading(), { sensor: "roof", celsius: 21.5, at: new Date("2026-11-21T08:00:00Z"), tags: ["outdoor"] });

  // One interface's worth of values: names and types, as a task declares its inputs.
  const inputs = { reading: TypeEngine.typeOf(Reading), counts: Dict(Int), window: Optional(List(Float)) };
  const map = TypeEngine.toLiteralMap(inputs, { reading, counts: { ok: 3, failed: 0 }, window: null });
  console.log(`LiteralMap: ${toJsonString(idl.LiteralMapSchema, map).length} bytes of JSON, inputs ${Object.keys(map.literals).join(", ")}`);
  console.log(`reading's LiteralType: ${toJsonString(idl.LiteralTypeSchema, TypeEngine.typeOf(Reading).literalType).slice(0, 96)}…`);

  // Back to values: a real Reading, with its methods.
  const back = TypeEngine.fromLiteralMap(inputs, map);
  console.log(`read back: ${back.reading.sensor} at ${back.reading.fahrenheit.toFixed(1)}°F, counts ${JSON.stringify(back.counts)}, window ${back.window}`);

  // A value that does not fit says where and what.
  try {
    TypeEngine.toLiteralMap({ xs: List(Int) }, { xs: [1, 2, 3, 1.5] });
  } catch (e) {
    if (!(e instanceof TypeTransformerError)) throw e;
    console.log(`refused: ${e.message}`);
  }
}
