// The counterpart of flytekit's SQLite3Task (flytekit/extras/sqlite3/task.py): a query against a
// SQLite database file, run by a prebuilt executor from the task's template. The database is a
// file (local, file://, http(s)://, or any store registered with registerStorage), optionally in an
// archive; the query's rows are the task's output `results`: a list of rows, or (for a Schema or
// Dataset output, as flytekit's pandas DataFrame) an Apache Arrow table written as Parquet by core.
import type { JsonObject } from "@bufbuild/protobuf";
import { DocumentError, FlyteError, Json, List, ShimTaskExecutor, TaskDefinitionError, type ExecutionContext, type InputsSpec, type TypeSpec } from "@flytekit-ts/core";
import {
  CustomizedContainerTask,
  DatasetType,
  describeValue,
  interfaceFromTemplate,
  interpolateQuery,
  isRemotePath,
  normalizeQueryTemplate,
  queryPlaceholders,
  SchemaType,
  TaskPlugins,
  uriFileName,
  type CustomizedContainerTaskInit,
} from "@flytekit-ts/core/extend";
import type { TaskTemplate } from "@flytekit-ts/core/idl";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { unarchiveFile } from "./archive.js";
import { checkDeclaredColumns, declaredColumns, rowsToTable, type ResultColumn, type RowsToTableOptions } from "./table.js";
import type { Table as ArrowTable } from "apache-arrow";

/** Which database a SQLite3Task queries (flytekit's SQLite3Config). */
export class SQLite3Config {
  /** Where the database file is: a local path, `file://`, `https://`, or a store registered with registerStorage. */
  readonly uri: string;
  /** Whether the file is an archive (.zip, .tar, .tar.gz) holding the database as its only entry. */
  readonly compressed: boolean;

  constructor(spec: { uri: string; compressed?: boolean }) {
    if (typeof spec?.uri !== "string" || spec.uri === "") {
      throw new TaskDefinitionError({
        subject: "SQLite3Config, uri",
        expected: "a path or URI",
        got: spec?.uri === undefined ? "nothing" : describeValue(spec.uri),
        problem: "SQLite DB uri is required",
      });
    }
    if (spec.compressed !== undefined && typeof spec.compressed !== "boolean") {
      throw new TaskDefinitionError({ subject: "SQLite3Config, compressed", expected: "a boolean", got: describeValue(spec.compressed) });
    }
    this.uri = spec.uri;
    this.compressed = spec.compressed ?? false;
  }
}

/**
 * The name a database uri's path ends in, as written: "." and ".." are kept (a URL parser would
 * resolve them away), percent-escapes decoded. Such a uri names a directory, not a database file.
 */
function writtenFileName(uri: string): string {
  return isRemotePath(uri) ? uriFileName(uri) : basename(uri);
}

/** Why a database uri cannot be a database file's, or undefined: its path ends in "." or "..", which would copy a directory. */
function directoryUriProblem(uri: string): string | undefined {
  const name = writtenFileName(uri);
  return name === "." || name === ".." ? `its path ends in '${name}', which names a directory, not a database file` : undefined;
}

/** What a SQLite3Task takes: flytekit's parameters, in camelCase. */
export interface SQLite3TaskInit extends Omit<CustomizedContainerTaskInit<SQLite3Config>, "executorType" | "taskType" | "inputs" | "outputs"> {
  /** The query; `{{ .inputs.name }}` placeholders are filled with the inputs (flytekit's rules). */
  queryTemplate: string;
  inputs?: InputsSpec;
  /** The type of one row (a record class, `Json`, `Dict(...)`): the output `results` is a list of them. Default `Json`. */
  rowType?: TypeSpec;
  /**
   * A table type for `results` instead of rows, as flytekit's `output_schema_type`: `Schema`,
   * `Schema.withColumns({ id: Int, name: Str })`, `Dataset`, `Dataset.withColumns(...)`. `results`
   * is then an Apache Arrow table of the query's rows, written as Parquet (flytekit's layout):
   * INTEGER columns Int64, REAL Float64, TEXT Utf8, BLOB Binary, NULL a null, as pandas'
   * read_sql_query types them. Declared columns are a projection, in their order, with their types
   * (Int, Float, Str, Bool from 0/1, Datetime from SQLite's date text, Duration only NULL); a
   * missing column, or a value its type cannot hold, fails the task naming the column.
   * @default none: `results` is a list of `rowType`
   */
  outputSchemaType?: SchemaType | DatasetType;
}

/**
 * A query against a SQLite database, in a container of its own (flytekit's SQLite3Task): task type
 * `sqlite`, the query and database in `custom`, run by SQLite3TaskExecutor.
 *
 * The image is `containerImage`, else `FLYTE_INTERNAL_IMAGE`, else the settings' default image
 * (flytekit's default is its own published image); it needs Node and @flytekit-ts/plugins.
 */
export class SQLite3Task extends CustomizedContainerTask<SQLite3Config> {
  static readonly TASK_TYPE = "sqlite";
  /** The query, its whitespace collapsed as flytekit keeps it. */
  readonly queryTemplate: string;

  constructor(init: SQLite3TaskInit) {
    const task = String(init?.name);
    if (!(init?.taskConfig instanceof SQLite3Config)) {
      throw new TaskDefinitionError({ task, subject: "option 'taskConfig'", expected: "a SQLite3Config", got: init?.taskConfig === undefined ? "nothing" : describeValue(init.taskConfig) });
    }
    for (const own of ["outputs", "taskType", "executorType"] as const) {
      if (own in init) {
        throw new TaskDefinitionError({
          task,
          subject: `option '${own}'`,
          problem: "a SQLite3Task sets its own",
          fix: own === "outputs" ? "give rowType (rows) or outputSchemaType (a table)" : undefined,
        });
      }
    }
    const { queryTemplate, rowType, outputSchemaType, inputs, containerImage, ...rest } = init;
    if (rowType !== undefined && outputSchemaType !== undefined) {
      throw new TaskDefinitionError({ task, subject: "options 'rowType' and 'outputSchemaType'", problem: "both are given", fix: "give rowType (rows) or outputSchemaType (a table), not both" });
    }
    if (outputSchemaType !== undefined && !(outputSchemaType instanceof SchemaType) && !(outputSchemaType instanceof DatasetType)) {
      throw new TaskDefinitionError({ task, subject: "option 'outputSchemaType'", expected: "a Schema or a Dataset", got: describeValue(outputSchemaType), fix: "for rows, give rowType" });
    }
    if (outputSchemaType !== undefined) checkDeclaredColumns(task, outputSchemaType.literalType);
    super({
      ...rest,
      inputs,
      outputs: { results: outputSchemaType ?? List(rowType ?? Json) },
      executorType: SQLite3TaskExecutor,
      taskType: SQLite3Task.TASK_TYPE,
      containerImage: containerImage ?? process.env.FLYTE_INTERNAL_IMAGE,
    });
    const uriProblem = directoryUriProblem(init.taskConfig.uri);
    if (uriProblem !== undefined) throw new TaskDefinitionError({ task, subject: `the database ${init.taskConfig.uri}`, problem: uriProblem, fix: "give the uri of the database file itself" });
    this.queryTemplate = normalizeQueryTemplate(queryTemplate, { task });
    // The executor fills every placeholder with an input and uses every input (flytekit's rule): check it now.
    const placeholders = queryPlaceholders(this.queryTemplate);
    const names = this.interface.inputs.map((v) => v.name);
    const unknown = placeholders.filter((p) => !names.includes(p));
    if (unknown.length > 0) {
      throw new TaskDefinitionError({
        task,
        subject: "its query",
        problem: `it uses ${unknown.map((u) => `{{ .inputs.${u} }}`).join(", ")}, which ${unknown.length === 1 ? "is not an input" : "are not inputs"} (inputs: ${names.join(", ") || "none"})`,
      });
    }
    const unused = names.filter((n) => !placeholders.includes(n));
    if (unused.length > 0) {
      throw new TaskDefinitionError({
        task,
        subject: `input ${unused.map((u) => `'${u}'`).join(", ")}`,
        problem: `${unused.length === 1 ? "it is" : "they are"} not used in its query`,
        fix: "every input must be (as {{ .inputs.name }})",
      });
    }
  }

  override getCustom(): JsonObject {
    return { query_template: this.queryTemplate, uri: this.taskConfig.uri, compressed: this.taskConfig.compressed };
  }
}

type SqlJs = Awaited<ReturnType<typeof import("sql.js").default>>;
let sqlJs: Promise<SqlJs> | undefined;

/** Apache Arrow, loaded on first use (its ES build, the copy a user's `import ... from "apache-arrow"` gets). */
function loadArrow(): Promise<typeof import("apache-arrow")> {
  return import("apache-arrow");
}

/** SQLite, as WebAssembly (sql.js), loaded on first use. */
async function sqlite(): Promise<SqlJs> {
  return (sqlJs ??= import("sql.js").then((m) => m.default()));
}

/** A column value as a task output value: integers past 2^53 stay exact (bigint), the rest as SQLite gives them. */
function columnValue(v: unknown): unknown {
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  return v;
}

type Statement = ReturnType<InstanceType<SqlJs["Database"]>["prepare"]>;

/** A statement's rows as sql.js gives them, INTEGER as bigint (exact, and told apart from REAL). */
function* statementRows(statement: Statement): Generator<unknown[]> {
  // @types/sql.js lacks the useBigInt option.
  const get = statement.get as unknown as (this: Statement, params: null, config: { useBigInt: boolean }) => unknown[];
  while (statement.step()) yield get.call(statement, null, { useBigInt: true });
}

/** The rows of a query, each an object by column name. */
export function queryRows(db: InstanceType<SqlJs["Database"]>, query: string): Record<string, unknown>[] {
  const statement = db.prepare(query);
  try {
    const columns = statement.getColumnNames();
    const rows: Record<string, unknown>[] = [];
    for (const values of statementRows(statement)) {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) row[columns[i]!] = columnValue(values[i]);
      rows.push(row);
    }
    return rows;
  } finally {
    statement.free();
  }
}

/**
 * The rows of a query as an Apache Arrow table (what flytekit's pandas DataFrame is), for a
 * `results` declared as a Schema or a Dataset: see table.ts for the column types.
 */
export async function queryTable(db: InstanceType<SqlJs["Database"]>, query: string, options: RowsToTableOptions): Promise<ArrowTable> {
  const arrow = await loadArrow();
  const statement = db.prepare(query);
  try {
    return rowsToTable(arrow, statement.getColumnNames(), statementRows(statement), options);
  } finally {
    statement.free();
  }
}

/**
 * Runs a SQLite3Task from its template (flytekit's SQLite3TaskExecutor): fetches the database
 * through the storage layer, unpacks it when it is an archive, fills the query's placeholders and
 * returns the rows, or, when the template's `results` is a Schema or a Dataset, an Arrow Table of
 * them (its declared columns, read from the template, a projection and a check).
 */
export class SQLite3TaskExecutor extends ShimTaskExecutor {
  static override location = "@flytekit-ts/plugins/sqlite#SQLite3TaskExecutor";

  async executeFromModel(template: TaskTemplate, inputs: Readonly<Record<string, unknown>>, context: ExecutionContext): Promise<unknown> {
    const custom = template.custom as { query_template?: unknown; uri?: unknown; compressed?: unknown } | undefined;
    const name = template.id?.name ?? "";
    if (typeof custom?.query_template !== "string" || typeof custom.uri !== "string") {
      throw new DocumentError({ task: name, problem: "its template's custom field has no query_template and uri; it is not a SQLite3Task's" });
    }
    const results = template.interface?.outputs?.variables.results?.type;
    let declared: ResultColumn[] | undefined;
    if (results?.type.case === "schema" || results?.type.case === "structuredDatasetType") {
      const columns = declaredColumns(results);
      if ("problem" in columns) throw new DocumentError({ task: name, subject: `output 'results', column '${columns.column}'`, problem: columns.problem });
      declared = columns.columns;
    }
    const uri = custom.uri;
    // A template may come from elsewhere (flytekit does not check this). Downloaded, a uri ending in
    // "." would copy a directory into the temporary folder, one ending in ".." into its parent, where
    // nothing removes it.
    const uriProblem = directoryUriProblem(uri);
    if (uriProblem !== undefined) throw new DocumentError({ task: name, subject: `the database ${uri}`, problem: uriProblem, fix: "give the uri of the database file itself" });
    const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-sqlite-"));
    try {
      // The file's own name (flytekit's os.path.basename): an archive's format is read from it.
      const fileName = writtenFileName(uri) || "database.db";
      let local = join(dir, fileName);
      try {
        await context.storage.download(uri, local);
        if (custom.compressed === true) local = unarchiveFile(local, dir, uri);
      } catch (e) {
        // A store's error names the uri already; say what it said.
        const own = e instanceof FlyteError && (e.subject === uri || e.subject === `archive ${uri}`);
        const why = own ? e.problem : e instanceof Error ? e.message : String(e);
        // A damaged archive reads the same on a retry (a DocumentError, not retried); a store's failure may not.
        const Wrapped = e instanceof DocumentError ? DocumentError : FlyteError;
        throw new Wrapped({ task: name, subject: `the database ${uri}`, problem: `could not read it: ${why}`, fix: own ? e.fix : undefined }, { cause: e });
      }
      const types = Object.fromEntries(interfaceFromTemplate(template.interface, name).inputs.map((v) => [v.name, v.type]));
      const query = interpolateQuery(custom.query_template, inputs, types);
      context.logger.info(`Connecting to db ${local}`);
      context.logger.info(`Interpolated query ${query}`);
      const SQL = await sqlite();
      const db = new SQL.Database(readFileSync(local));
      try {
        return declared === undefined ? queryRows(db, query) : await queryTable(db, query, { task: name, declared });
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

TaskPlugins.registerPluginTask(SQLite3Config, SQLite3Task);
