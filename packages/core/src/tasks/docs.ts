/** What a task says about itself (flytekit's docstring and Documentation). */
export interface TaskDocs {
  /** One line: what the task does. */
  short?: string;
  /** More, in Markdown. */
  long?: string;
  /** A description per input; an input without one is described by its name, as in flytekit. */
  inputs?: Readonly<Record<string, string>>;
  /** A description per output; `outputs: "..."` describes every output. */
  outputs?: Readonly<Record<string, string>> | string;
}

/**
 * What a registered task says about itself (flytekit's Documentation; flyteidl.admin.DescriptionEntity
 * when registered): a one-line description and a longer one with its format.
 */
export interface TaskDocumentation {
  shortDescription: string;
  /** Absent: no long description at all (a raw container task given only a short one, as flytekit's Documentation). */
  longDescription?: { value?: string; format: "RST" | "MARKDOWN" | "HTML" };
}

/** Deck panels a task renders (flytekit's DeckField). */
export enum DeckField {
  INPUT = "Input",
  OUTPUT = "Output",
  SOURCE_CODE = "Source Code",
  TIMELINE = "Timeline",
  DEPENDENCIES = "Dependencies",
}

export const DEFAULT_DECK_FIELDS: readonly DeckField[] = [
  DeckField.SOURCE_CODE,
  DeckField.DEPENDENCIES,
  DeckField.TIMELINE,
  DeckField.INPUT,
  DeckField.OUTPUT,
];
