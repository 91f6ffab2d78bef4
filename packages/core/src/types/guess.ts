// A type token for a Flyte LiteralType, for tasks known only by their template (flytekit's
// TypeEngine.guess_python_type): the registration that claims the LiteralType makes it. It is
// lossy: the template does not say which TypeScript class a record was, so a record comes back as
// an instance of a class made from its schema; an enum as its string values; a Json STRUCT as a
// plain object.
import "./builtins.js";
import { SimpleType, type LiteralType } from "../idl/gen/flyteidl/core/types_pb.js";
import { FlyteError } from "../errors/flyte-error.js";
import { FlyteTypeError } from "./errors.js";
import { typeRegistry } from "./registry.js";
import type { AnyFlyteType } from "./type.js";

/**
 * The type token for a LiteralType: it converts values as the guessed type does, and declares
 * exactly the LiteralType it was made from (which says more than the guess can: a record field's
 * default, for one). Throws a FlyteTypeError naming `where` for a type nothing reads (BINARY,
 * ERROR, an empty LiteralType).
 */
export function guessType(lt: LiteralType | undefined, where = "type"): AnyFlyteType {
  // A template that came over the wire may be damaged: a variable with no type, a list with no
  // element type. Each is an error naming where it is, never a TypeError from deep inside.
  if (lt === undefined) throw new FlyteTypeError({ subject: where, problem: "it has no LiteralType" });
  const registration = typeRegistry.forLiteralType(lt);
  if (registration === undefined) {
    const t = lt.type;
    const what = t.case === "simple" ? `the simple type ${SimpleType[t.value] ?? t.value}` : `a ${t.case ?? "missing"} LiteralType`;
    throw new FlyteTypeError({ subject: where, problem: `flytekit-ts cannot read ${what}`, fix: t.case === undefined ? undefined : "register a type for it with TypeEngine.register" });
  }
  let guessed: AnyFlyteType;
  try {
    guessed = registration.guess!(lt, guessType, where);
  } catch (e) {
    if (e instanceof FlyteError) throw e;
    throw new FlyteTypeError({ subject: where, problem: `its ${registration.name} LiteralType is damaged (${e instanceof Error ? e.message : String(e)})` }, { cause: e });
  }
  if (guessed.literalType === lt) return guessed;
  const declared = Object.create(guessed) as AnyFlyteType;
  Object.defineProperty(declared, "literalType", { value: lt, enumerable: false });
  return declared;
}
