// Apache Arrow, loaded on first use: requiring it costs about 120 ms, which no task without tables
// should pay. It is loaded by import() (its ES build): the copy a user's `import ... from
// "apache-arrow"` gets, so a Table the user made is an instance of the classes used here.
type Arrow = typeof import("apache-arrow");

let arrow: Promise<Arrow> | undefined;

/** The apache-arrow module (loaded once). */
export function loadArrow(): Promise<Arrow> {
  return (arrow ??= import("apache-arrow"));
}
