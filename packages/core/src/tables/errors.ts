import { brand, FlyteError, type ErrorFields } from "../errors/flyte-error.js";

/**
 * A table file that cannot be read as its format says (not Parquet, cut short, a CSV row with the
 * wrong number of fields) or written. `subject` names the file; the dataset layer puts the task,
 * the input and the column in front of it.
 */
export class TableFormatError extends FlyteError {
  constructor(fields: ErrorFields, options?: { cause?: unknown }) {
    super(fields, options);
  }
}
brand(TableFormatError, "TableFormatError");
