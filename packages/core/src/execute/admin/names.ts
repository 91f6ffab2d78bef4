// The names an eager task gives the executions it starts: deterministic, so that a retried attempt
// of the eager task (or a second run of its body after a crash) finds the executions the first one
// started, as flytekit's Controller does (core/worker_queue.py, get_execution_name).
import { createHash } from "node:crypto";
import { LiteralMapSchema, type LiteralMap } from "../../idl/gen/flyteidl/core/literals_pb.js";
import { computeHashString } from "../pbhash.js";

/**
 * A DNS-1123 label of at most 63 characters, by flytekit's `_dnsify` rules: `_`, `-` and `.` become
 * `-` (dropped at the start), other characters that are not letters or digits are dropped, an
 * upper-case letter becomes `-` and its lower case, no `-` at the end; a value of 63 characters or
 * more is first shortened to the first 10 hex digits of its SHA-224, a `-`, and its last 52 characters.
 */
export function dnsify(value: string): string {
  const MAX = 63;
  const HASH_LEN = 10;
  let text = value;
  if ([...text].length >= MAX) {
    const hash = createHash("sha224").update(text, "utf8").digest("hex").slice(0, HASH_LEN);
    text = `${hash}-${[...text].slice(-(MAX - HASH_LEN - 1)).join("")}`;
  }
  let out = "";
  for (const ch of text) {
    if (ch === "_" || ch === "-" || ch === ".") {
      if (out !== "" && out.length < 62) out += "-";
    } else if (!/^[\p{L}\p{N}]$/u.test(ch)) {
      // Neither a letter nor a digit: dropped.
    } else if (/^\p{Ll}$/u.test(ch) || /^\p{Nd}$/u.test(ch)) {
      out += ch;
    } else {
      if (out !== "" && !out.endsWith("-") && out.length < 62) out += "-";
      out += ch.toLowerCase();
    }
  }
  return out.endsWith("-") ? out.slice(0, -1) : out;
}

/** The prefix of every execution an eager task's attempt starts: `e-<its short name, 8>-<execution name, 5>`, as flytekit's. */
export function executionPrefix(eagerTaskName: string, tag: string): string {
  const short = (eagerTaskName.split(".").at(-1) ?? eagerTaskName).slice(0, 8);
  return dnsify(`e-${short}-${tag.slice(0, 5)}`);
}

/**
 * The name of the `index`th call (from 0, counted per inner task) of `taskName` with `inputs`, made
 * by the eager execution `tag`: `<prefix>-<its short name, 8>-<16 hex digits>`, the digits an MD5 of
 * the tag, the kind of entity, the task's name, the index and the inputs (flytekit hashes Python's
 * text of the native inputs, which TypeScript cannot reproduce; the hash of the inputs' literals,
 * flytekit's `compute_hash_string`, is as deterministic and says the same thing).
 */
export function executionName(prefix: string, tag: string, taskName: string, index: number, inputs: LiteralMap): string {
  const components = `${tag}-task-${taskName}-${index}-${computeHashString(LiteralMapSchema, inputs)}`;
  const hex = createHash("md5").update(components, "utf8").digest("hex").slice(0, 16);
  const short = (taskName.split(".").at(-1) ?? taskName).slice(0, 8);
  return dnsify(`${prefix}-${short}-${hex}`);
}
