import { create } from "../idl/codec.js";
import { TypedInterfaceSchema, type TypedInterface } from "../idl/gen/flyteidl/core/interface_pb.js";
import type { AnyFlyteType } from "../types/type.js";

/** One input of a task: its name, type, and whether (and with what) it defaults. */
export interface InputVariable {
  readonly name: string;
  readonly type: AnyFlyteType;
  /** The input may be left out: it has a default, or it accepts none. */
  readonly optional: boolean;
  /**
   * Whether a default value is known: declared in the task's options (written into the inputs
   * when the caller leaves the input out), as opposed to a JavaScript parameter default, which the
   * function applies itself.
   */
  readonly hasDefaultValue: boolean;
  readonly defaultValue?: unknown;
  /**
   * Whether the function's parameter has a default of its own (`note = "none"`): left out, the
   * input reaches the function as undefined, so that its default applies (even for an Optional).
   */
  readonly hasParameterDefault?: boolean;
  /** That default as written in the (compiled) source, for help texts. */
  readonly parameterDefaultText?: string;
  readonly description: string;
}

/** One output of a task. */
export interface OutputVariable {
  readonly name: string;
  readonly type: AnyFlyteType;
  readonly description: string;
}

/**
 * A task's interface: ordered, named, typed inputs (with defaults) and outputs. A single output
 * named `o0` is returned bare; several (or one with another name) are returned as an object.
 */
export class Interface {
  readonly inputs: readonly InputVariable[];
  readonly outputs: readonly OutputVariable[];
  readonly inputsByName: ReadonlyMap<string, InputVariable>;
  private typed: TypedInterface | undefined;

  constructor(inputs: readonly InputVariable[], outputs: readonly OutputVariable[]) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.inputsByName = new Map(inputs.map((v) => [v.name, v]));
  }

  /** Whether the task returns one bare value (a single output named `o0`). */
  get returnsBareValue(): boolean {
    return this.outputs.length === 1 && this.outputs[0]!.name === "o0";
  }

  /** The Flyte TypedInterface, variables in declaration order. Built once; treat it as read-only. */
  toTypedInterface(): TypedInterface {
    return (this.typed ??= create(TypedInterfaceSchema, {
      inputs: { variables: Object.fromEntries(this.inputs.map((v) => [v.name, { type: v.type.literalType, description: v.description }])) },
      outputs: {
        variables: Object.fromEntries(this.outputs.map((v) => [v.name, { type: v.type.literalType, description: v.description }])),
      },
    }));
  }

  /** `(x: Int, y: Str) -> (o0: Int)`, for messages and `--help`. */
  toString(): string {
    const ins = this.inputs.map((v) => `${v.name}: ${v.type.name}${v.optional ? "?" : ""}`).join(", ");
    const outs = this.outputs.map((v) => `${v.name}: ${v.type.name}`).join(", ");
    return `(${ins}) -> (${outs})`;
  }
}
