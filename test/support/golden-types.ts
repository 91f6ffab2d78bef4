// The TypeScript counterparts of the Python declarations behind the golden vectors
// (golden/literals/manifest.json "types_source", and test/interop/gen_type_vectors.py).
import { field } from "@flytekit-ts/decorators";
import { Dict, Duration, type DurationValue, Enum, Float, Int, Json, type JsonRecord, List, Optional, Str } from "@flytekit-ts/core";

export enum Color {
  RED = "red",
  GREEN = "green",
  BLUE = "blue",
}

export const ColorType = Enum(Color, "Color");

export class Point {
  @field(Int) x!: number | bigint;
  @field() y!: number;

  static of(x: number, y: number): Point {
    return Object.assign(new Point(), { x, y });
  }
}

export class Line {
  @field() a!: Point;
  @field() b!: Point;
  @field(Optional(Str)) label: string | null = null;
  @field(List(Str)) tags: string[] = [];
}

export class Inventory {
  @field(Dict(Int)) counts!: Record<string, number | bigint>;
  @field(ColorType) color!: Color;
}

export class Event {
  @field() name!: string;
  @field() at!: Date;
  @field(Duration) took!: DurationValue;
  @field(List(Point)) points!: Point[];
  @field(Dict(Point)) by_name!: Record<string, Point>;
  @field(Optional(Point)) maybe!: Point | null;
  @field(Json) extra!: JsonRecord;
  @field(Float) weight = 1.0;
  @field(Int) count: number | bigint = 3;
  @field() flag: boolean = true;
  @field() note: string = "n";
  @field(List(Str)) tags: string[] = [];
}
