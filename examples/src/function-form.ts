// The function form: a task from a plain function, typed from its type tokens. It needs no
// decorators and no reflect-metadata; the call takes the inputs by name.
import { Dict, Int, Optional, Str } from "@flytekit-ts/core";
import { task } from "@flytekit-ts/decorators";

export const wordCount = task(
  { name: "examples.word_count", inputs: { text: Str, minLength: { type: Int, default: 1 } }, outputs: Dict(Int) },
  ({ text, minLength }) => {
    const counts: Record<string, number> = {};
    for (const word of text.toLowerCase().split(/\W+/)) {
      if (word.length >= Number(minLength)) counts[word] = (counts[word] ?? 0) + 1;
    }
    return counts;
  },
);

export const shout = task({ name: "examples.shout", inputs: { text: Optional(Str) }, outputs: Str }, async ({ text }) =>
  (text ?? "nothing").toUpperCase(),
);

export async function main(): Promise<void> {
  console.log(`wordCount: ${JSON.stringify(wordCount({ text: "the cat and the hat", minLength: 3 }))}`);
  console.log(`shout: ${await shout({ text: "hello" })} / ${await shout()}`);
}
