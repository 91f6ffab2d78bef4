// The analysis: a TypeScript program → the interface of every task its source files declare, read
// from the checker's own types (flytekit reads a task's interface from its type hints; TypeScript
// erases types at run time, so they are read at build time). One `ModuleAnalysis` per source file
// that declares a task: its tasks' inputs and outputs, every record they reach, and what could not
// be typed, as tsc-style diagnostics with a stable code.
//
// The compiler is passed in (`ts`), never imported: the container reads manifests and never loads
// TypeScript. Flag values (`TypeFlags`, `SymbolFlags`, `ObjectFlags`) are read from that module,
// because they differ between TypeScript 5.9 and 6.0.
//
// Besides what a manifest names by its token's name: `bigint` is "BigInt", `Map<string, T>` a
// `{ map }` (values are Maps), apache-arrow's `Table` "Table", core's FlyteSchema "Schema", and
// `x?: T` an optional marked `absent` (none is undefined, not null) unless null is one of its values.
//
// What is not read from the checker: the order of a union's members (the checker orders them by an
// internal id, `int | string` comes back `string | int`: the order is the annotation's, aliases
// followed to their declaration, a generic alias's parameters replaced by the arguments written),
// and, without strictNullChecks, a `| null` (the checker drops it: it is read from the annotation's
// syntax too).
//
// Diagnostic codes (stable across releases; each has a test in analyse.test.ts):
//
// | code    | what                                                                                  |
// | ------- | ------------------------------------------------------------------------------------- |
// | FTS1001 | a function type (a callback, a class's constructor `typeof X`)                        |
// | FTS1002 | a generic type parameter (`T`, `this`)                                                 |
// | FTS1003 | `any`                                                                                  |
// | FTS1004 | `unknown`                                                                              |
// | FTS1005 | `never`                                                                                |
// | FTS1006 | `object` or `{}`                                                                       |
// | FTS1007 | an object type without a name (`{ a: number }` in place; not a return type)           |
// | FTS1008 | a tuple                                                                                |
// | FTS1009 | a symbol                                                                               |
// | FTS1010 | a numeric or mixed enum                                                                |
// | FTS1011 | a number, bigint or boolean literal type, or a template literal type                   |
// | FTS1012 | a utility, mapped, conditional or indexed type that is not a record (`Partial<P>`)     |
// | FTS1013 | a Map whose keys are not strings                                                       |
// | FTS1014 | an index signature whose keys are not strings (`{ [i: number]: T }`)                  |
// | FTS1015 | a rest parameter                                                                       |
// | FTS1016 | a destructured parameter                                                               |
// | FTS1017 | a generic record (`Box<number>`)                                                       |
// | FTS1018 | an intersection (other than `int`'s brand)                                            |
// | FTS1019 | a library's class or interface with no Flyte type (`Set`, `RegExp`, `Buffer`, `Promise` as an input), a dependency's class |
// | FTS1020 | `null`, `undefined` or `void` as a whole type                                          |
// | FTS1021 | a parameter with neither a type nor a default                                          |
// | FTS1022 | a class declared as a task without a `run` method                                      |
// | FTS1023 | an object type with both properties and an index signature                             |
// | FTS1024 | a type the compiler could not resolve (a missing import)                               |
// | FTS1025 | any other type                                                                         |
// | FTS1026 | a record class's `@field(token)` (or a name not a literal) with standard decorators: the run time cannot see it |
// | FTS1027 | two declarations of one name in a module share a task's or a record's key             |
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type * as TS from "typescript";
import type { TypeScriptApi } from "../loader/pinned-typescript.js";
import { moduleNameOf, packageRoot } from "../naming/module-name.js";
import { recordKey, taskKey, type ManifestDiagnostic, type ManifestRecord, type ManifestScalar, type ManifestTask, type ManifestType, type ManifestVariable } from "./manifest.js";

/** The codes of the analysis's diagnostics, by what they are about (the table above). */
export const ANALYSIS_CODES = {
  function: "FTS1001",
  typeParameter: "FTS1002",
  any: "FTS1003",
  unknown: "FTS1004",
  never: "FTS1005",
  object: "FTS1006",
  anonymousObject: "FTS1007",
  tuple: "FTS1008",
  symbol: "FTS1009",
  numericEnum: "FTS1010",
  literal: "FTS1011",
  mappedType: "FTS1012",
  mapKey: "FTS1013",
  indexKey: "FTS1014",
  rest: "FTS1015",
  destructured: "FTS1016",
  genericRecord: "FTS1017",
  intersection: "FTS1018",
  libraryType: "FTS1019",
  nullType: "FTS1020",
  untyped: "FTS1021",
  noRun: "FTS1022",
  indexAndProperties: "FTS1023",
  unresolved: "FTS1024",
  unsupported: "FTS1025",
  fieldToken: "FTS1026",
  sameName: "FTS1027",
} as const;

type CodeName = keyof typeof ANALYSIS_CODES;

/** What the analysis found in one source file that declares tasks. */
export interface ModuleAnalysis {
  /** The source file, absolute, as the compiler named it. */
  file: string;
  /** Keyed by `taskKey`. A task whose types could not all be read has `errors`. */
  tasks: Record<string, ManifestTask>;
  /** Keyed by `recordKey`: every record this module's tasks reach, wherever it is declared. */
  records: Record<string, ManifestRecord>;
  /** Every task's errors, in source order. */
  diagnostics: ManifestDiagnostic[];
}

export interface AnalyseOptions {
  /**
   * The root of the project a file belongs to: records are keyed by their module's path from it.
   * @default the nearest directory above the file with a package.json (else the file's directory)
   */
  projectRoot?: (file: string) => string;
}

/** The package that declares our decorators, and those that declare a task. */
const DECORATORS_PACKAGE = "@flytekit-ts/decorators";
const CORE_PACKAGE = "@flytekit-ts/core";
const TASK_DECORATORS: ReadonlySet<string> = new Set(["task", "eager", "echo", "referenceTask"]);
/** Core's classes with a Flyte type of their own. */
const CORE_SCALARS: ReadonlyMap<string, ManifestScalar> = new Map([
  ["FlyteFile", "File"],
  ["FlyteDirectory", "Directory"],
  ["StructuredDataset", "Dataset"],
  ["FlyteSchema", "Schema"],
]);
/** The fix for a library's type that is no data: what to take instead. */
const DATA_FIX = "take data instead: a string, a number, an array or a record of what the task needs";
/** The package whose `Table` a task takes or gives whole ("Table"). */
const ARROW_PACKAGE = "apache-arrow";

/**
 * The tasks of every source file of `program` (not `.d.ts` files, not files under node_modules)
 * that declares at least one, typed from TypeScript's own types.
 */
export function analyseProgram(ts: TypeScriptApi, program: TS.Program, options: AnalyseOptions = {}): ModuleAnalysis[] {
  const analyser = new Analyser(ts, program, options);
  const out: ModuleAnalysis[] = [];
  for (const file of program.getSourceFiles()) {
    if (!isUserSource(file, program)) continue;
    const analysis = analyser.analyseFile(file);
    if (analysis !== undefined) out.push(analysis);
  }
  return out;
}

/** A source file the analysis reads: the project's own code, not declarations, not dependencies. */
export function isUserSource(file: TS.SourceFile, program: TS.Program): boolean {
  return !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !file.fileName.split(/[\\/]/).includes("node_modules");
}

/** Whether a file's text may declare a task (a cheap test before its syntax is walked). */
export function mayDeclareTasks(text: string): boolean {
  return text.includes("@");
}

// ---------------------------------------------------------------------------------------------

/** A problem found while typing something, before it is known which task reached it. */
interface Problem {
  code: string;
  node: TS.Node;
  /** `input 'x'`, `output 'o0'`, `record Point, field 'next'`. */
  subject: string;
  typeText: string;
  problem: string;
  fix: string;
}

/** Where a type is being read: what a problem says and where what it finds goes. */
interface Site {
  problems: Problem[];
  /** The records reached directly. */
  records: Set<string>;
  /** The written type of the subject (an input's annotation), for "its type `X` holds `Y`". */
  top: TS.Node | undefined;
  /** `input 'x'`, `output 'o0'`, `record Point, field 'next'`. */
  subject: string;
  /** What to write to declare it with a token instead. */
  tokenFix: string;
  /** Problems here are dropped: an explicit token (`@field(Json)`) declares the type. */
  quiet?: boolean;
  /** Set when a problem was dropped because the site is quiet. */
  silenced?: boolean;
  /** The input's, output's or field's name, for fixes (`take the value: x: int`). */
  name?: string;
}

interface RecordEntry {
  record: ManifestRecord | undefined;
  problems: Problem[];
  reaches: Set<string>;
}

interface DecoratorUse {
  /** `@task`, `@env.task`, as written where the decorator is ours (for fixes). */
  text: string;
  kind: "task" | "eager" | "echo" | "referenceTask" | "env.task";
  /** The options the decorator was called with, wherever written (`@task({...})`, `const retried = task({...})`). */
  options: TS.Expression | undefined;
  /** `@env.task`: the environment's name, when it is written where `env` is declared. */
  environment?: string;
  /** Whether it was called (`@task()`): what is called again is no decorator of ours. */
  called: boolean;
}

/** What a decorator's options declare with tokens, read from their type (a literal, a variable, a spread alike). */
interface Declared {
  /** `name: "lit"`. */
  name?: string;
  /** The inputs named in `inputs`: "yes" when surely declared, "maybe" when the options' type says it may be (an optional property). */
  inputs: Map<string, "yes" | "maybe">;
  /** `inputs`'s type does not say which (an index signature, `any`): every input may be declared. */
  anyInput: boolean;
  /** Whether `outputs` is declared: "maybe" when the options' type says it may be. */
  outputs: "yes" | "maybe" | "no";
}

const packageNames = new Map<string, string | undefined>();

/** The name in the package.json nearest above a file. */
function packageNameOf(file: string): string | undefined {
  const root = packageRoot(file);
  if (root === undefined) return undefined;
  if (packageNames.has(root)) return packageNames.get(root);
  let name: string | undefined;
  try {
    name = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name?: unknown }).name as string | undefined;
    if (typeof name !== "string") name = undefined;
  } catch {
    name = undefined;
  }
  packageNames.set(root, name);
  return name;
}

class Analyser {
  private readonly checker: TS.TypeChecker;
  private readonly F: typeof TS.TypeFlags;
  private readonly S: typeof TS.SymbolFlags;
  private readonly O: typeof TS.ObjectFlags;
  private readonly K: typeof TS.SyntaxKind;
  private readonly records = new Map<string, RecordEntry>();
  private readonly recordKeys = new Map<TS.Symbol, string>();
  /** The declaration each record key was first given to. */
  private readonly recordHolders = new Map<string, { symbol: TS.Symbol; declaration: TS.Declaration }>();
  private readonly libraries = new Map<TS.Symbol, boolean>();
  private readonly brands = new Map<TS.Type, string | undefined>();
  private readonly projectRoot: (file: string) => string;

  constructor(
    private readonly ts: TypeScriptApi,
    private readonly program: TS.Program,
    options: AnalyseOptions,
  ) {
    this.checker = program.getTypeChecker();
    this.F = ts.TypeFlags;
    this.S = ts.SymbolFlags;
    this.O = ts.ObjectFlags;
    this.K = ts.SyntaxKind;
    this.projectRoot = options.projectRoot ?? ((file) => packageRoot(file) ?? dirname(file));
  }

  analyseFile(file: TS.SourceFile): ModuleAnalysis | undefined {
    if (!mayDeclareTasks(file.text)) return undefined;
    const analysis: ModuleAnalysis = { file: file.fileName, tasks: {}, records: {}, diagnostics: [] };
    const visit = (node: TS.Node): void => {
      if (this.ts.isClassDeclaration(node) || this.ts.isClassExpression(node)) this.analyseClass(node, file, analysis);
      this.ts.forEachChild(node, visit);
    };
    visit(file);
    return Object.keys(analysis.tasks).length === 0 ? undefined : analysis;
  }

  // --- which declarations are tasks -----------------------------------------------------------

  private analyseClass(node: TS.ClassLikeDeclaration, file: TS.SourceFile, analysis: ModuleAnalysis): void {
    const ts = this.ts;
    const className = this.classNameOf(node);
    const classUse = this.taskDecoratorOf(node);
    if (classUse !== undefined) {
      const run = this.runMethodOf(node);
      if (run === undefined) {
        const at = node.name ?? node;
        const problem: Problem = {
          code: ANALYSIS_CODES.noRun,
          node: at,
          subject: "run method",
          typeText: `class ${className}`,
          problem: `a class declared as a task needs a run method (its body is the task), and ${className} has none`,
          fix: `add one: run(x: number): number { ... }`,
        };
        this.addTask(analysis, taskKey(className, "run", false), { line: this.lineOf(at), inputs: {}, outputs: [] }, [problem], this.taskName(file, className, classUse, this.declaredOf(classUse)), at);
      } else {
        this.analyseTask(analysis, file, run, className, "run", false, classUse, node);
      }
    }
    for (const member of node.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const use = this.taskDecoratorOf(member);
      if (use === undefined) continue;
      const name = member.name;
      if (!(ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))) continue;
      const isStatic = (ts.getModifiers(member) ?? []).some((m) => m.kind === this.K.StaticKeyword);
      this.analyseTask(analysis, file, member, className, name.text, isStatic, use, member);
    }
  }

  private classNameOf(node: TS.ClassLikeDeclaration): string {
    if (node.name !== undefined) return node.name.text;
    const parent = node.parent;
    if (parent !== undefined && this.ts.isVariableDeclaration(parent) && this.ts.isIdentifier(parent.name)) return parent.name.text;
    return "default";
  }

  private runMethodOf(node: TS.ClassLikeDeclaration): TS.MethodDeclaration | undefined {
    const ts = this.ts;
    const own = node.members.find(
      (m): m is TS.MethodDeclaration => ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === "run" && !(ts.getModifiers(m) ?? []).some((x) => x.kind === this.K.StaticKeyword),
    );
    if (own !== undefined) return own;
    const symbol = node.name === undefined ? undefined : this.checker.getSymbolAtLocation(node.name);
    if (symbol === undefined) return undefined;
    const run = this.checker.getPropertyOfType(this.checker.getDeclaredTypeOfSymbol(symbol), "run");
    return run?.declarations?.find((d): d is TS.MethodDeclaration => ts.isMethodDeclaration(d) && d.body !== undefined) ?? run?.declarations?.find((d): d is TS.MethodDeclaration => ts.isMethodDeclaration(d));
  }

  /** The decorator that makes a declaration a task, if one does. */
  private taskDecoratorOf(node: TS.HasDecorators): DecoratorUse | undefined {
    for (const decorator of this.ts.getDecorators(node) ?? []) {
      const use = this.decoratorUseOf(decorator.expression, new Set());
      if (use !== undefined) return use;
    }
    return undefined;
  }

  /**
   * What an expression used as a decorator is, when it is one of our task decorators: `@task`,
   * `@task(options)`, `@env.task`, or a `const` holding one, followed through aliases
   * (`const myTask = task`, `const retried = task({ retries: 2 })` used as `@retried`).
   */
  private decoratorUseOf(expression: TS.Expression, seen: Set<TS.Node>): DecoratorUse | undefined {
    const ts = this.ts;
    const node = withoutWrappers(ts, expression);
    if (ts.isCallExpression(node)) {
      const callee = this.decoratorUseOf(node.expression, seen);
      if (callee === undefined || callee.called) return undefined;
      return { ...callee, options: node.arguments[0], called: true };
    }
    if (!ts.isIdentifier(node) && !ts.isPropertyAccessExpression(node)) return undefined;
    const text = `@${node.getText()}`;
    const name = this.decoratorsExportOf(node);
    if (name !== undefined && TASK_DECORATORS.has(name)) return { text, kind: name as DecoratorUse["kind"], options: undefined, called: false };
    if (ts.isPropertyAccessExpression(node) && node.name.text === "task" && this.isCoreClass(this.checker.getTypeAtLocation(node.expression), "TaskEnvironment")) {
      const environment = this.environmentNameOf(node.expression);
      return { text, kind: "env.task", options: undefined, called: false, ...(environment === undefined ? {} : { environment }) };
    }
    const initializer = this.constInitializerOf(node);
    if (initializer === undefined || seen.has(initializer)) return undefined;
    seen.add(initializer);
    return this.decoratorUseOf(initializer, seen);
  }

  /** What a `const` an expression names was initialised with (a `let` may change: it is not followed). */
  private constInitializerOf(expression: TS.Expression): TS.Expression | undefined {
    const ts = this.ts;
    let symbol = this.checker.getSymbolAtLocation(expression);
    if (symbol !== undefined && symbol.flags & this.S.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (declaration === undefined || !ts.isVariableDeclaration(declaration) || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
    return declaration.initializer;
  }

  /** The name of what `expression` refers to, when it is an export of @flytekit-ts/decorators. */
  private decoratorsExportOf(expression: TS.Expression): string | undefined {
    const ts = this.ts;
    if (!ts.isIdentifier(expression) && !ts.isPropertyAccessExpression(expression)) return undefined;
    let symbol = this.checker.getSymbolAtLocation(expression);
    if (symbol === undefined) return undefined;
    if (symbol.flags & this.S.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined) return undefined;
    return packageNameOf(declaration.getSourceFile().fileName) === DECORATORS_PACKAGE ? symbol.name : undefined;
  }

  /** Whether a symbol is apache-arrow's `Table` class (with any type arguments). */
  private isArrowTable(symbol: TS.Symbol): boolean {
    if (symbol.name !== "Table" || !(symbol.flags & this.S.Class)) return false;
    const declaration = symbol.declarations?.[0];
    return declaration !== undefined && packageNameOf(declaration.getSourceFile().fileName) === ARROW_PACKAGE;
  }

  /** Whether a type is the instance type of one of core's classes, by name. */
  private isCoreClass(type: TS.Type, name: string): boolean {
    const symbol = type.getSymbol();
    if (symbol === undefined || symbol.name !== name || !(symbol.flags & this.S.Class)) return false;
    const declaration = symbol.declarations?.[0];
    return declaration !== undefined && packageNameOf(declaration.getSourceFile().fileName) === CORE_PACKAGE;
  }

  /** The name of an environment made where it is declared: `const env = new TaskEnvironment({ name: "etl" })`. */
  private environmentNameOf(expression: TS.Expression): string | undefined {
    const ts = this.ts;
    let symbol = this.checker.getSymbolAtLocation(expression);
    if (symbol !== undefined && symbol.flags & this.S.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (declaration === undefined || !(ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration))) return undefined;
    const initializer = declaration.initializer;
    if (initializer === undefined || !ts.isNewExpression(initializer)) return undefined;
    const spec = initializer.arguments?.[0];
    if (spec === undefined || !ts.isObjectLiteralExpression(spec)) return undefined;
    const name = spec.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "name");
    return name !== undefined && ts.isStringLiteralLike(name.initializer) ? name.initializer.text : undefined;
  }

  /**
   * What a decorator's options declare, read from their type, so that options written in place,
   * held in a variable (`@task(opts)`) or spread (`@task({ ...base, retries: 2 })`) say the same.
   */
  private declaredOf(use: DecoratorUse): Declared {
    const ts = this.ts;
    const F = this.F;
    const checker = this.checker;
    const declared: Declared = { inputs: new Map(), anyInput: false, outputs: "no" };
    const options = use.options;
    if (options === undefined) return declared;
    const type = checker.getTypeAtLocation(options);
    if (type.flags & (F.Any | F.Unknown)) return { ...declared, anyInput: true, outputs: "maybe" };
    const property = (name: string): { type: TS.Type; optional: boolean } | undefined => {
      const symbol = checker.getPropertyOfType(type, name);
      if (symbol === undefined) return undefined;
      return { type: checker.getNonNullableType(checker.getTypeOfSymbol(symbol)), optional: (symbol.flags & this.S.Optional) !== 0 };
    };
    // The name as written (`name: "x"`), else as its type says (`name: "x" as const`, a const's literal type).
    const written = ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "name") : undefined;
    const name = property("name");
    if (written !== undefined && ts.isPropertyAssignment(written) && ts.isStringLiteralLike(written.initializer)) declared.name = written.initializer.text;
    else if (name !== undefined && name.type.flags & F.StringLiteral) declared.name = (name.type as TS.StringLiteralType).value;
    const inputs = property("inputs");
    if (inputs !== undefined) {
      if (inputs.type.flags & (F.Any | F.Unknown) || checker.getIndexInfosOfType(inputs.type).length > 0) declared.anyInput = true;
      for (const p of checker.getPropertiesOfType(inputs.type)) declared.inputs.set(p.name, inputs.optional || p.flags & this.S.Optional ? "maybe" : "yes");
    }
    const outputs = property("outputs");
    if (outputs !== undefined && !(outputs.type.flags & F.Never)) declared.outputs = outputs.optional ? "maybe" : "yes";
    return declared;
  }

  private taskName(file: TS.SourceFile, attributePath: string, use: DecoratorUse, declared: Declared): string {
    // An environment names its tasks `<environment>.<Class>.<member>`, whatever the options say.
    if (use.kind === "env.task" && use.environment !== undefined) return `${use.environment}.${attributePath}`;
    if (declared.name !== undefined) return declared.name;
    const module = moduleNameOf(file.fileName);
    return module === "" ? attributePath : `${module}.${attributePath}`;
  }

  // --- one task ---------------------------------------------------------------------------------

  private analyseTask(
    analysis: ModuleAnalysis,
    file: TS.SourceFile,
    method: TS.MethodDeclaration,
    className: string,
    member: string,
    isStatic: boolean,
    use: DecoratorUse,
    declared: TS.ClassLikeDeclaration | TS.MethodDeclaration,
  ): void {
    const ts = this.ts;
    const key = taskKey(className, member, isStatic);
    const options = this.declaredOf(use);
    const name = this.taskName(file, declared === method ? `${className}.${member}` : className, use, options);
    const inputs: Record<string, ManifestType> = {};
    const problems: Problem[] = [];
    const reached = new Set<string>();
    method.parameters.forEach((parameter, index) => {
      if (ts.isIdentifier(parameter.name) && parameter.name.text === "this") return;
      if (!ts.isIdentifier(parameter.name)) {
        const site: Site = { problems, records: reached, top: undefined, subject: `parameter ${index + 1}`, tokenFix: "" };
        this.fail(site, "destructured", parameter.name, undefined, "a task's inputs are its parameters by name, and a destructured parameter has none", "name the parameter and destructure it in the body: (p: Params) { const { a, b } = p; ... }", {
          typeText: parameter.getText(),
          plain: true,
        });
        return;
      }
      const input = parameter.name.text;
      const token = options.inputs.get(input) ?? (options.anyInput ? "maybe" : undefined);
      if (token === "yes") return;
      // An input the options may declare (their type does not say) is typed where it can be, quietly: a token, if there is one, wins.
      const maybe = token === "maybe";
      const site: Site = {
        problems,
        records: maybe ? new Set() : reached,
        top: parameter.type,
        subject: `input '${input}'`,
        tokenFix: `declare it with a token: ${use.text}({ inputs: { ${input}: Json } })`,
        name: input,
        quiet: maybe,
      };
      if (parameter.dotDotDotToken !== undefined) {
        this.fail(site, "rest", parameter, undefined, "a rest parameter holds any number of values under one name", `list the parameters, or take an array: ${input}: T[]`, { typeText: parameter.getText(), plain: true });
        return;
      }
      const type = this.typeOfParameter(parameter);
      if (type === undefined) {
        this.fail(site, "untyped", parameter, undefined, "it has neither a type nor a default, so its type is `any`", `give it a type: ${input}: number`, { typeText: input, plain: true });
        return;
      }
      const mapped = this.map(type, parameter.type, parameter.type ?? parameter, site);
      if (mapped === undefined) return;
      if (maybe) {
        if (site.silenced === true || this.hasProblems(site.records)) return;
        for (const key of site.records) reached.add(key);
      }
      if (parameter.questionToken !== undefined) inputs[input] = this.optionalWritten(mapped, type, parameter.type);
      else inputs[input] = parameter.initializer !== undefined && parameter.initializer.kind === this.K.NullKeyword ? optionalOf(mapped) : mapped;
    });
    let outputs: ManifestVariable[] | undefined;
    if (use.kind !== "echo" && options.outputs === "no") outputs = this.outputsOf(method, use, problems, reached);
    else if (use.kind !== "echo" && options.outputs === "maybe") {
      // Outputs the options may declare: typed where they can be, quietly, else left to the token.
      const quiet = { silenced: false };
      const records = new Set<string>();
      const typed = this.outputsOf(method, use, [], records, quiet);
      if (!quiet.silenced && !this.hasProblems(records)) {
        outputs = typed;
        for (const key of records) reached.add(key);
      }
    }
    const at = declared === method ? method.name : (declared.name ?? declared);
    const line = this.lineOf(at);
    const task: ManifestTask = outputs === undefined ? { line, inputs } : { line, inputs, outputs };
    // Every record reached, through records too, and the problems of each.
    const closure = this.closureOf(reached);
    for (const recordKeyReached of closure) {
      const entry = this.records.get(recordKeyReached);
      if (entry === undefined) continue;
      if (entry.record !== undefined) analysis.records[recordKeyReached] = entry.record;
      problems.push(...entry.problems);
    }
    this.addTask(analysis, key, task, problems, name, at);
  }

  private addTask(analysis: ModuleAnalysis, key: string, task: ManifestTask, problems: Problem[], name: string, at: TS.Node): void {
    const existing = analysis.tasks[key];
    if (existing !== undefined) {
      // The run time finds a task's entry by its class's name and member: two classes of one name
      // (in namespaces, in functions) would share one, and one task would take the other's types.
      const collision = this.diagnosticOf(
        {
          code: ANALYSIS_CODES.sameName,
          node: at,
          subject: "its class",
          typeText: key,
          problem: `two classes named ${key.split(".")[0] ?? key} declare the task ${key} in this module (lines ${existing.line} and ${task.line}), and the run time tells a module's tasks apart only by their class's name and member`,
          fix: "rename one of the classes",
        },
        name,
      );
      analysis.tasks[key] = { ...existing, errors: [...(existing.errors ?? []), collision] };
      analysis.diagnostics.push(collision);
      return;
    }
    const diagnostics = problems.map((p) => this.diagnosticOf(p, name));
    analysis.tasks[key] = diagnostics.length === 0 ? task : { ...task, errors: diagnostics };
    // A record's problem is the task's (its errors keep it), but the module reports it once, as tsc would.
    const reported = new Set(analysis.diagnostics.map(diagnosticPlace));
    for (const d of diagnostics) {
      if (reported.has(diagnosticPlace(d))) continue;
      reported.add(diagnosticPlace(d));
      analysis.diagnostics.push(d);
    }
  }

  private diagnosticOf(problem: Problem, task: string): ManifestDiagnostic {
    const file = problem.node.getSourceFile();
    const { line, character } = file.getLineAndCharacterOfPosition(problem.node.getStart(file));
    return {
      code: problem.code,
      file: file.fileName,
      line: line + 1,
      column: character + 1,
      task,
      subject: problem.subject,
      typeText: problem.typeText,
      problem: problem.problem,
      fix: problem.fix,
    };
  }

  private lineOf(node: TS.Node): number {
    const file = node.getSourceFile();
    return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  }

  private closureOf(keys: Iterable<string>): string[] {
    const seen = new Set<string>();
    const queue = [...keys];
    while (queue.length > 0) {
      const key = queue.shift() as string;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const next of this.records.get(key)?.reaches ?? []) queue.push(next);
    }
    return [...seen];
  }

  /** Whether a record reached (or one it reaches) has a problem. */
  private hasProblems(keys: Iterable<string>): boolean {
    return this.closureOf(keys).some((key) => (this.records.get(key)?.problems.length ?? 0) > 0);
  }

  private typeOfParameter(parameter: TS.ParameterDeclaration): TS.Type | undefined {
    if (parameter.type !== undefined) return this.checker.getTypeFromTypeNode(parameter.type);
    if (parameter.initializer === undefined) return undefined;
    return this.checker.getTypeAtLocation(parameter);
  }

  /** The outputs of a method's return type; `quiet`: problems are not reported, only told (`silenced`). */
  private outputsOf(method: TS.MethodDeclaration, use: DecoratorUse, problems: Problem[], reached: Set<string>, quiet?: { silenced: boolean }): ManifestVariable[] {
    const ts = this.ts;
    // Every site below: quiet ones tell the caller that a problem was dropped.
    const sites: Site[] = [];
    const siteOf = (site: Site): Site => {
      if (quiet !== undefined) {
        site.quiet = true;
        sites.push(site);
      }
      return site;
    };
    try {
      return this.outputsOfSites(method, use, problems, reached, siteOf);
    } finally {
      if (quiet !== undefined && sites.some((site) => site.silenced === true)) quiet.silenced = true;
    }
  }

  private outputsOfSites(method: TS.MethodDeclaration, use: DecoratorUse, problems: Problem[], reached: Set<string>, siteOf: (site: Site) => Site): ManifestVariable[] {
    const ts = this.ts;
    const signature = this.checker.getSignatureFromDeclaration(method);
    let type = signature === undefined ? this.checker.getAnyType() : this.checker.getReturnTypeOfSignature(signature);
    let syntax = unparenthesized(ts, method.type);
    // Promise<T> (and an async method's) is T.
    const isAsync = (ts.getModifiers(method) ?? []).some((m) => m.kind === this.K.AsyncKeyword);
    if (syntax !== undefined && ts.isTypeReferenceNode(syntax) && syntax.typeArguments?.length === 1 && ["Promise", "PromiseLike"].includes(entityNameText(ts, syntax.typeName))) {
      syntax = unparenthesized(ts, syntax.typeArguments[0]);
      type = this.checker.getAwaitedType(type) ?? type;
    } else if (isAsync || this.isPromise(type)) {
      type = this.checker.getAwaitedType(type) ?? type;
    }
    const outputFix = (name: string): string => `declare the outputs with a token: ${use.text}({ outputs: ${name === "o0" ? "Json" : `{ ${name}: Json }`} })`;
    // void, undefined: no outputs.
    if (!(type.flags & this.F.Union) && type.flags & (this.F.Void | this.F.Undefined)) return [];
    if (syntax !== undefined && (syntax.kind === this.K.VoidKeyword || syntax.kind === this.K.UndefinedKeyword)) return [];
    // An object literal written as the return type: named outputs, in order (`{ [k: string]: T }` is a dict, `{}` nothing known).
    if (syntax !== undefined && ts.isTypeLiteralNode(syntax) && syntax.members.length > 0 && !syntax.members.some((m) => ts.isIndexSignatureDeclaration(m))) {
      const outputs: ManifestVariable[] = [];
      for (const element of syntax.members) {
        const name = element.name !== undefined && (ts.isIdentifier(element.name) || ts.isStringLiteral(element.name)) ? element.name.text : undefined;
        if (!ts.isPropertySignature(element) || name === undefined) {
          const site = siteOf({ problems, records: reached, top: undefined, subject: "return type", tokenFix: outputFix("o0") });
          this.fail(site, "function", element, undefined, "an object return type's members are the named outputs, and this one is not a property", "write each output as a property: ): { total: number; mean: number }", { typeText: element.getText(), plain: true });
          continue;
        }
        const site = siteOf({ problems, records: reached, top: element.type, subject: `output '${name}'`, tokenFix: outputFix(name), name });
        if (element.type === undefined) {
          this.fail(site, "untyped", element, undefined, "it has no type, so its type is `any`", `give it a type: ${name}: number`, { typeText: name, plain: true });
          continue;
        }
        const mapped = this.map(this.checker.getTypeFromTypeNode(element.type), element.type, element.type, site);
        if (mapped !== undefined) outputs.push({ name, type: element.questionToken !== undefined ? this.optionalWritten(mapped, this.checker.getTypeFromTypeNode(element.type), element.type) : mapped });
      }
      return outputs;
    }
    const site = siteOf({ problems, records: reached, top: syntax, subject: "output 'o0'", tokenFix: outputFix("o0") });
    if (method.type === undefined && this.isAnonymousObject(type)) {
      this.fail(site, "anonymousObject", method.name, type, "an inferred object type has no name", "write the return type: ): { total: number; mean: number } for named outputs, or name the record: interface Result { ... }");
      return [];
    }
    const mapped = this.map(type, syntax, syntax ?? method.name, site);
    return mapped === undefined ? [] : [{ name: "o0", type: mapped }];
  }

  /**
   * What `x?: T` (a parameter, a field, a property of an object return type) is: an optional whose
   * none is `undefined` or a missing property (`absent`), unless its type lets null in too
   * (`x?: T | null`), which is a plain optional.
   */
  private optionalWritten(mapped: ManifestType, type: TS.Type, syntax: TS.TypeNode | undefined): ManifestType {
    if (this.allowsNull(type, syntax)) return optionalOf(mapped);
    return { optional: typeof mapped === "object" && "optional" in mapped ? mapped.optional : mapped, absent: true };
  }

  /** Whether null is one of a type's values: in the checker's type, or (without strictNullChecks, where the checker drops it) as written, aliases followed. */
  private allowsNull(type: TS.Type, syntax: TS.TypeNode | undefined): boolean {
    const F = this.F;
    if (type.flags & F.Null || (type.flags & F.Union && (type as TS.UnionType).types.some((t) => t.flags & F.Null))) return true;
    const ts = this.ts;
    const seen = new Set<TS.Node>();
    const written = (node: TS.TypeNode | undefined): boolean => {
      const n = unparenthesized(ts, node);
      if (n === undefined || seen.has(n)) return false;
      seen.add(n);
      if (ts.isLiteralTypeNode(n)) return n.literal.kind === this.K.NullKeyword;
      const union = this.writtenUnion(n);
      if (union !== undefined) return union.members.some(written);
      if (ts.isTypeReferenceNode(n)) return written(this.aliasDeclarationOf(n)?.type);
      return false;
    };
    return written(syntax);
  }

  private isPromise(type: TS.Type): boolean {
    const symbol = type.getSymbol();
    return symbol !== undefined && (symbol.name === "Promise" || symbol.name === "PromiseLike") && this.isLibrary(symbol);
  }

  private isAnonymousObject(type: TS.Type): boolean {
    const flags = type.getSymbol()?.flags ?? 0;
    return (type.flags & this.F.Object) !== 0 && type.aliasSymbol === undefined && (flags & (this.S.TypeLiteral | this.S.ObjectLiteral)) !== 0;
  }

  // --- problems ---------------------------------------------------------------------------------

  /** Records a problem at `node` (the offending part of the written type, or the parameter). */
  private fail(site: Site, code: CodeName, node: TS.Node, type: TS.Type | undefined, what: string, fix?: string, options: { typeText?: string; plain?: boolean } = {}): undefined {
    if (site.quiet === true) {
      site.silenced = true;
      return undefined;
    }
    const typeText = options.typeText ?? this.textOf(node, type);
    const top = site.top !== undefined && site.top !== node && node.pos >= site.top.pos && node.end <= site.top.end && node.getSourceFile() === site.top.getSourceFile() ? site.top.getText() : undefined;
    const problem = options.plain === true ? what : `${top === undefined ? `its type is \`${typeText}\`` : `its type \`${top}\` holds \`${typeText}\``}: ${what}`;
    site.problems.push({ code: ANALYSIS_CODES[code], node, subject: site.subject, typeText, problem, fix: fix ?? site.tokenFix });
    return undefined;
  }

  private textOf(node: TS.Node, type: TS.Type | undefined): string {
    const ts = this.ts;
    if (ts.isParameter(node) || ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) {
      if (node.type !== undefined) return node.type.getText();
      return type === undefined ? node.getText() : this.checker.typeToString(type);
    }
    if (ts.isTypeNode(node)) return node.getText();
    return type === undefined ? node.getText() : this.checker.typeToString(type);
  }

  // --- types ------------------------------------------------------------------------------------

  /**
   * The Flyte type of `type`, or undefined after recording why there is none. `syntax` is what
   * describes it as written (perhaps in an alias's declaration), `loc` where to point at.
   */
  private map(type: TS.Type, syntax: TS.TypeNode | undefined, loc: TS.Node, site: Site): ManifestType | undefined {
    const ts = this.ts;
    const F = this.F;
    syntax = unparenthesized(ts, syntax);
    if (syntax !== undefined && ts.isTypeOperatorNode(syntax) && syntax.operator === this.K.ReadonlyKeyword) syntax = unparenthesized(ts, syntax.type);
    const written = this.writtenUnion(syntax);
    // Members point at themselves while they are the subject's own syntax, at `loc` once an alias was followed.
    if (written !== undefined) return this.mapWrittenUnion(written, type, syntax === loc && !written.followed ? undefined : loc, site);
    if (type.flags & F.Union && !(type.flags & F.Boolean) && !this.isWholeEnum(type)) return this.mapUnion(type as TS.UnionType, syntax, loc, site);
    const flags = type.flags;
    if (flags & F.Any) {
      if ((type as { intrinsicName?: string }).intrinsicName === "error") {
        return this.fail(site, "unresolved", loc, type, "the compiler could not resolve it", "import the type, or fix what tsc reports here");
      }
      return this.fail(site, "any", loc, type, "`any` says nothing of what the task takes or gives");
    }
    if (flags & F.Unknown) return this.fail(site, "unknown", loc, type, "`unknown` says nothing of what the task takes or gives");
    if (flags & F.Never) return this.fail(site, "never", loc, type, "`never` has no values");
    if (flags & F.TypeParameter) return this.fail(site, "typeParameter", loc, type, "a type parameter is known only where the code is called, and a task's interface is fixed when it is declared", "use a concrete type");
    if (flags & (F.Null | F.Undefined | F.Void)) return this.fail(site, "nullType", loc, type, "it has no value but nothing", "make it optional around a type: x: string | null");
    if (flags & F.Boolean) return "Bool";
    if (this.isWholeEnum(type) || flags & F.EnumLiteral) return this.mapEnum(type, loc, site);
    if (flags & F.StringLiteral) {
      const value = (type as TS.StringLiteralType).value;
      return { enum: [value], name: type.aliasSymbol?.name ?? value };
    }
    if (flags & (F.NumberLiteral | F.BigIntLiteral)) return this.fail(site, "literal", loc, type, "a number literal type is not a Flyte type", "use int for a whole number, number for any, or a string enum for a choice");
    if (flags & F.BooleanLiteral) return this.fail(site, "literal", loc, type, "a boolean literal type is not a Flyte type", "use boolean");
    if (flags & F.Number) return "Float";
    if (flags & F.String) return "Str";
    if (flags & F.BigInt) return "BigInt";
    if (flags & (F.TemplateLiteral | F.StringMapping)) return this.fail(site, "literal", loc, type, "a template literal type is not a Flyte type", "use string, or a string enum for a choice");
    if (flags & (F.ESSymbol | F.UniqueESSymbol)) return this.fail(site, "symbol", loc, type, "a symbol cannot leave the process");
    if (flags & F.Intersection) return this.mapIntersection(type as TS.IntersectionType, loc, site);
    if (flags & F.NonPrimitive) return this.fail(site, "object", loc, type, "`object` says nothing of what the task takes or gives", `${site.tokenFix}, or name a record: interface X { ... }`);
    if (flags & (F.Conditional | F.Substitution | F.Index | F.IndexedAccess)) return this.fail(site, "mappedType", loc, type, "a computed type is not a record", "name the record: interface X { ... }");
    if (flags & F.Object) return this.mapObject(type as TS.ObjectType, syntax, loc, site);
    return this.fail(site, "unsupported", loc, type, "it is not a type a task can take or give");
  }

  /**
   * The members of a union as written (nested unions and parentheses flattened), following an
   * alias to its declaration; a generic alias (`type Maybe<T> = T | null` used as
   * `Maybe<int | string>`) too, its parameters replaced by the arguments written, where each of its
   * members is either a parameter or mentions none (else the checker's union is read, in its order).
   * `followed`: an alias was followed (the members are not all in the subject's own syntax).
   */
  private writtenUnion(syntax: TS.TypeNode | undefined): { members: TS.TypeNode[]; alias?: string; followed: boolean } | undefined {
    const ts = this.ts;
    if (syntax === undefined) return undefined;
    let node: TS.TypeNode = syntax;
    let alias: string | undefined;
    let followed = false;
    let substitution: Map<string, TS.TypeNode> | undefined;
    const seen = new Set<TS.Node>();
    while (ts.isTypeReferenceNode(node) && !seen.has(node)) {
      seen.add(node);
      const declaration = this.aliasDeclarationOf(node, true);
      if (declaration === undefined) break;
      const parameters = declaration.typeParameters ?? [];
      followed = true;
      if (parameters.length === 0) {
        alias = declaration.name.text;
        substitution = undefined;
        node = unparenthesized(ts, declaration.type) as TS.TypeNode;
        continue;
      }
      // A generic alias names no enum of its own: its parameters are what the use says.
      alias = undefined;
      const args = node.typeArguments ?? [];
      const outer = substitution;
      substitution = new Map();
      for (const [i, parameter] of parameters.entries()) {
        const argument = args[i] ?? parameter.default;
        if (argument === undefined || (outer !== undefined && this.mentionsParameter(argument, outer))) return undefined;
        substitution.set(parameter.name.text, argument);
      }
      const body = unparenthesized(ts, declaration.type) as TS.TypeNode;
      const replaced = this.parameterNamed(body, substitution);
      if (replaced !== undefined) {
        node = unparenthesized(ts, replaced) as TS.TypeNode;
        substitution = undefined;
      } else node = body;
    }
    if (!ts.isUnionTypeNode(node)) return undefined;
    const members: TS.TypeNode[] = [];
    let feasible = true;
    const flatten = (n: TS.TypeNode, within: Map<string, TS.TypeNode> | undefined): void => {
      const inner = unparenthesized(ts, n) as TS.TypeNode;
      if (ts.isUnionTypeNode(inner)) {
        for (const t of inner.types) flatten(t, within);
        return;
      }
      if (within !== undefined) {
        const argument = this.parameterNamed(inner, within);
        if (argument !== undefined) return flatten(argument, undefined);
        if (this.mentionsParameter(inner, within)) feasible = false;
      }
      members.push(inner);
    };
    flatten(node, substitution);
    if (!feasible) return undefined;
    return alias === undefined ? { members, followed } : { members, alias, followed };
  }

  /** The argument a generic alias's body names where it is just a parameter (`T`). */
  private parameterNamed(node: TS.TypeNode, substitution: ReadonlyMap<string, TS.TypeNode>): TS.TypeNode | undefined {
    const n = unparenthesized(this.ts, node) as TS.TypeNode;
    if (!this.ts.isTypeReferenceNode(n) || n.typeArguments !== undefined || !this.ts.isIdentifier(n.typeName)) return undefined;
    return substitution.get(n.typeName.text);
  }

  /** Whether a type's syntax names one of a generic alias's parameters anywhere in it. */
  private mentionsParameter(node: TS.Node, substitution: ReadonlyMap<string, TS.TypeNode>): boolean {
    const ts = this.ts;
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && substitution.has(node.typeName.text)) return true;
    return ts.forEachChild(node, (child) => (this.mentionsParameter(child, substitution) ? true : undefined)) === true;
  }

  private aliasDeclarationOf(reference: TS.TypeReferenceNode, generic = false): TS.TypeAliasDeclaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(reference.typeName);
    if (symbol === undefined) return undefined;
    if (symbol.flags & this.S.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol.declarations?.find((d): d is TS.TypeAliasDeclaration => this.ts.isTypeAliasDeclaration(d));
    if (declaration === undefined) return undefined;
    const parameters = declaration.typeParameters?.length ?? 0;
    if (parameters > 0 ? !generic : reference.typeArguments !== undefined) return undefined;
    return declaration;
  }

  /** A union as written: `null`/`undefined` make it optional, string literals an enum, the rest a Union in the written order. */
  private mapWrittenUnion(written: { members: TS.TypeNode[]; alias?: string; followed: boolean }, whole: TS.Type, locOutside: TS.Node | undefined, site: Site): ManifestType | undefined {
    const ts = this.ts;
    const F = this.F;
    let nullable = false;
    let failed = false;
    const parts: (ManifestType | "strings" | "booleans")[] = [];
    const strings: string[] = [];
    const booleans: TS.TypeNode[] = [];
    const numbers: TS.TypeNode[] = [];
    for (const member of written.members) {
      if (member.kind === this.K.UndefinedKeyword || member.kind === this.K.VoidKeyword || (ts.isLiteralTypeNode(member) && member.literal.kind === this.K.NullKeyword)) {
        nullable = true;
        continue;
      }
      const type = this.checker.getTypeFromTypeNode(member);
      const loc = locOutside ?? member;
      if (type.flags & F.StringLiteral && !(type.flags & F.EnumLiteral)) {
        if (strings.length === 0) parts.push("strings");
        strings.push((type as TS.StringLiteralType).value);
        continue;
      }
      if (type.flags & F.BooleanLiteral) {
        if (booleans.length === 0) parts.push("booleans");
        booleans.push(member);
        continue;
      }
      if (type.flags & (F.NumberLiteral | F.BigIntLiteral) && !(type.flags & F.EnumLiteral)) {
        numbers.push(member);
        continue;
      }
      const mapped = this.map(type, member, loc, site);
      if (mapped === undefined) {
        failed = true;
        continue;
      }
      let inner = mapped;
      if (typeof inner === "object" && "optional" in inner) {
        nullable = true;
        inner = inner.optional;
      }
      if (typeof inner === "object" && "union" in inner) parts.push(...inner.union);
      else parts.push(inner);
    }
    if (numbers.length > 0) {
      // One problem for the literals together: `1 | 2 | 3` is one choice of numbers.
      const first = numbers[0] as TS.TypeNode;
      const last = numbers[numbers.length - 1] as TS.TypeNode;
      const at = locOutside ?? (numbers.length === 1 ? first : (first.parent as TS.Node));
      const text = locOutside === undefined && numbers.length > 1 && first.parent === last.parent ? first.parent.getText() : undefined;
      this.fail(site, "literal", at, this.checker.getTypeFromTypeNode(first), numbers.length === 1 ? "a number literal type is not a Flyte type" : "a union of number literals is not a Flyte type", "use int for a whole number, number for any, or a string enum for a choice", text === undefined ? {} : { typeText: text });
      failed = true;
    }
    if (booleans.length === 1) {
      const only = booleans[0] as TS.TypeNode;
      this.fail(site, "literal", locOutside ?? only, this.checker.getTypeFromTypeNode(only), "a boolean literal type is not a Flyte type", "use boolean");
      failed = true;
    }
    if (failed) return undefined;
    const onlyStrings = parts.length === 1 && parts[0] === "strings";
    // A generic alias's name is not the enum's: its arguments are.
    const aliasName = written.alias ?? (whole.aliasTypeArguments === undefined ? whole.aliasSymbol?.name : undefined);
    let literal: ManifestType | undefined;
    const resolved = dedupe(
      mergedEnums(
        parts.flatMap((p): ManifestType[] => {
          if (p === "strings") return [(literal = { enum: [...new Set(strings)], name: (onlyStrings ? aliasName : undefined) ?? strings.join("|") })];
          if (p === "booleans") return booleans.length === 1 ? [] : ["Bool"];
          return [p];
        }),
        literal,
        aliasName,
      ),
    );
    if (resolved.length === 0) {
      return this.fail(site, "nullType", locOutside ?? written.members[0] ?? site.top ?? (undefined as never), whole, "it has no value but nothing", "make it optional around a type: x: string | null");
    }
    const single = resolved.length === 1 ? (resolved[0] as ManifestType) : { union: resolved };
    return nullable ? { optional: single } : single;
  }

  /** A union the checker holds, where the syntax says no more (an inferred type, an optional property's added `undefined`). */
  private mapUnion(type: TS.UnionType, syntax: TS.TypeNode | undefined, loc: TS.Node, site: Site): ManifestType | undefined {
    const F = this.F;
    let nullable = false;
    const rest: TS.Type[] = [];
    for (const member of type.types) {
      if (member.flags & (F.Null | F.Undefined | F.Void)) nullable = true;
      else rest.push(member);
    }
    // Regroup what the checker spread out: `boolean` is `false | true`, an enum its members.
    const groups: (TS.Type | ManifestType)[] = [];
    const strings: string[] = [];
    const enums = new Map<TS.Symbol, TS.Type[]>();
    let booleans = 0;
    for (const member of rest) {
      if (member.flags & F.BooleanLiteral) {
        if (booleans++ === 0) groups.push("Bool");
      } else if (member.flags & F.EnumLiteral) {
        const parent = this.enumOfMember(member);
        if (parent === undefined) groups.push(member);
        else {
          if (!enums.has(parent)) {
            enums.set(parent, []);
            groups.push(this.checker.getDeclaredTypeOfSymbol(parent));
          }
          enums.get(parent)?.push(member);
        }
      } else if (member.flags & F.StringLiteral) {
        if (strings.length === 0) groups.push({ enum: strings, name: "" });
        strings.push((member as TS.StringLiteralType).value);
      } else if (member.flags & (F.NumberLiteral | F.BigIntLiteral)) {
        return this.fail(site, "literal", loc, type, "a union of number literals is not a Flyte type", "use int for a whole number, number for any, or a string enum for a choice");
      } else groups.push(member);
    }
    if (booleans === 1) return this.fail(site, "literal", loc, type, "a boolean literal type is not a Flyte type", "use boolean");
    const parts: ManifestType[] = [];
    let failed = false;
    let literal: ManifestType | undefined;
    const aliasName = type.aliasTypeArguments === undefined ? type.aliasSymbol?.name : undefined;
    for (const group of groups) {
      if (typeof group === "string") parts.push(group);
      else if ("flags" in group) {
        const mapped = this.map(group, groups.length === 1 ? syntax : undefined, loc, site);
        if (mapped === undefined) failed = true;
        else if (typeof mapped === "object" && "union" in mapped) parts.push(...mapped.union);
        else parts.push(mapped);
      } else if ("enum" in group) {
        parts.push((literal = { enum: group.enum, name: groups.length === 1 ? (aliasName ?? group.enum.join("|")) : group.enum.join("|") }));
      } else parts.push(group);
    }
    if (failed) return undefined;
    if (parts.length === 0) return this.fail(site, "nullType", loc, type, "it has no value but nothing", "make it optional around a type: x: string | null");
    const resolved = dedupe(mergedEnums(parts, literal, aliasName));
    const single = resolved.length === 1 ? (resolved[0] as ManifestType) : { union: resolved };
    return nullable ? { optional: single } : single;
  }

  private isWholeEnum(type: TS.Type): boolean {
    const symbol = type.getSymbol();
    return symbol !== undefined && !!(symbol.flags & this.S.Enum) && !(symbol.flags & this.S.EnumMember);
  }

  private enumOfMember(member: TS.Type): TS.Symbol | undefined {
    const declaration = member.getSymbol()?.declarations?.[0];
    if (declaration === undefined || !this.ts.isEnumMember(declaration)) return undefined;
    return this.checker.getSymbolAtLocation(declaration.parent.name);
  }

  /** A string enum: its values in declaration order. Numeric and mixed enums are refused. */
  private mapEnum(type: TS.Type, loc: TS.Node, site: Site): ManifestType | undefined {
    const ts = this.ts;
    const symbol = type.getSymbol();
    const enumSymbol = symbol !== undefined && symbol.flags & this.S.EnumMember ? this.enumOfMember(type) : symbol;
    const declarations = (enumSymbol?.declarations ?? []).filter((d): d is TS.EnumDeclaration => ts.isEnumDeclaration(d));
    if (enumSymbol === undefined || declarations.length === 0) return this.fail(site, "unsupported", loc, type, "it is not a type a task can take or give");
    const values: string[] = [];
    const nonString: string[] = [];
    for (const declaration of declarations) {
      for (const member of declaration.members) {
        const value = this.checker.getConstantValue(member);
        if (typeof value === "string") values.push(value);
        else nonString.push(`${member.name.getText()}${value === undefined ? "" : ` = ${String(value)}`}`);
      }
    }
    if (nonString.length > 0) {
      return this.fail(site, "numericEnum", loc, type, `enum ${enumSymbol.name} has members that are not strings (${nonString.join(", ")}), and Flyte's enums are strings`, `give every member a string value: enum ${enumSymbol.name} { ${nonString[0]?.split(" = ")[0] ?? "A"} = "${(nonString[0]?.split(" = ")[0] ?? "a").toLowerCase()}" }`);
    }
    if (symbol !== undefined && symbol.flags & this.S.EnumMember) {
      return { enum: [(type as TS.StringLiteralType).value], name: enumSymbol.name };
    }
    // Two members of one value are one value (the first's): a Flyte enum lists each once.
    return { enum: [...new Set(values)], name: enumSymbol.name };
  }

  /** `int` (number with a brand whose value names the Flyte type); any other intersection is refused. */
  private mapIntersection(type: TS.IntersectionType, loc: TS.Node, site: Site): ManifestType | undefined {
    const F = this.F;
    const numbers = type.types.filter((t) => t.flags & F.Number);
    const brands = type.types.filter((t) => !(t.flags & F.Number));
    if (numbers.length === 1 && brands.length > 0) {
      const named = brands.map((b) => this.brandOf(b));
      if (named.every((n) => n === "Int")) return "Int";
    }
    // A primitive with a tag of its own (`number & { tag: "a" }`) is the primitive as far as Flyte goes.
    const primitive = type.types.find((t) => t.flags & (F.Number | F.String | F.Boolean | F.BigInt));
    if (primitive !== undefined) {
      const text = this.checker.typeToString(primitive);
      return this.fail(site, "intersection", loc, type, "an intersection is not a Flyte type", `use ${text} itself${text === "number" ? " (or int, from @flytekit-ts/core, for a whole number)" : ""}: a tag on it is not kept`);
    }
    return this.fail(site, "intersection", loc, type, "an intersection is not a Flyte type", "name the record: interface X extends A, B { }");
  }

  /** The value of a brand (an object type with one property keyed by a unique symbol, whose type is a string literal). */
  private brandOf(type: TS.Type): string | undefined {
    if (this.brands.has(type)) return this.brands.get(type);
    const brand = this.readBrand(type);
    this.brands.set(type, brand);
    return brand;
  }

  private readBrand(type: TS.Type): string | undefined {
    if (!(type.flags & this.F.Object)) return undefined;
    const properties = this.checker.getPropertiesOfType(type);
    if (properties.length !== 1) return undefined;
    const property = properties[0] as TS.Symbol;
    if (!String(property.escapedName).startsWith("__@")) return undefined;
    const value = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(property));
    return value.flags & this.F.StringLiteral ? (value as TS.StringLiteralType).value : undefined;
  }

  private mapObject(type: TS.ObjectType, syntax: TS.TypeNode | undefined, loc: TS.Node, site: Site): ManifestType | undefined {
    const ts = this.ts;
    const checker = this.checker;
    const child = (node: TS.TypeNode | undefined): TS.Node => (node !== undefined && loc === syntax ? node : loc);
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      // Json does not take a function either: what crosses between tasks is data.
      return this.fail(site, "function", loc, type, "a function is not data a task can take or give", "pass data instead: the values the function would compute, or a string that names which function to use");
    }
    if (checker.isTupleType(type)) return this.fail(site, "tuple", loc, type, "a tuple is not a Flyte type", "use an array (T[]) or a record: interface X { ... }");
    if (checker.isArrayType(type)) {
      const element = checker.getTypeArguments(type as TS.TypeReference)[0] as TS.Type;
      const elementSyntax = syntax === undefined ? undefined : ts.isArrayTypeNode(syntax) ? syntax.elementType : ts.isTypeReferenceNode(syntax) ? syntax.typeArguments?.[0] : undefined;
      const mapped = this.map(element, elementSyntax, child(elementSyntax), site);
      return mapped === undefined ? undefined : { list: mapped };
    }
    const symbol = type.getSymbol();
    // apache-arrow's Table (`Table<T = any>`, with any type arguments) is taken or given whole.
    if (symbol !== undefined && this.isArrowTable(symbol)) return "Table";
    const properties = checker.getPropertiesOfType(type);
    const indexes = checker.getIndexInfosOfType(type);
    if (indexes.length > 0) {
      if (properties.length > 0) return this.fail(site, "indexAndProperties", loc, type, "an object type with both properties and an index signature is neither a record nor a dict", "use a record (interface X { ... }) or a dict (Record<string, T>)");
      const info = indexes[0] as TS.IndexInfo;
      if (indexes.length > 1 || !(info.keyType.flags & this.F.String)) {
        return this.fail(site, "indexKey", loc, type, "a dict's keys must be strings", "use string keys: Record<string, T>");
      }
      const valueSyntax = this.indexValueSyntax(syntax);
      const mapped = this.map(info.type, valueSyntax, child(valueSyntax), site);
      return mapped === undefined ? undefined : { dict: mapped };
    }
    if (symbol !== undefined && this.isLibrary(symbol) && !(symbol.flags & (this.S.TypeLiteral | this.S.ObjectLiteral))) {
      if (symbol.name === "Date") return "Datetime";
      if (symbol.name === "Map" || symbol.name === "ReadonlyMap") {
        const [key, value] = checker.getTypeArguments(type as TS.TypeReference);
        const args = syntax !== undefined && ts.isTypeReferenceNode(syntax) ? syntax.typeArguments : undefined;
        if (key === undefined || value === undefined) return this.fail(site, "unsupported", loc, type, "it is not a type a task can take or give");
        if (!(key.flags & this.F.String)) {
          return this.fail(site, "mapKey", child(args?.[0]), key, "a Map's keys must be strings to be a Flyte dict", "use string keys: Map<string, T> or Record<string, T>");
        }
        const mapped = this.map(value, args?.[1], child(args?.[1]), site);
        return mapped === undefined ? undefined : { map: mapped };
      }
      if (symbol.name === "Promise" || symbol.name === "PromiseLike") {
        // A task's inputs arrive as values: the caller awaits before the task runs.
        const args = syntax !== undefined && ts.isTypeReferenceNode(syntax) ? syntax.typeArguments : undefined;
        const awaited = args?.[0]?.getText() ?? checker.typeToString(checker.getAwaitedType(type) ?? type);
        return this.fail(site, "libraryType", loc, type, `a ${symbol.name} is not data: a task takes the value it resolves to`, `take the value: ${site.name ?? "x"}: ${awaited}`);
      }
      if (symbol.name === "Set" || symbol.name === "ReadonlySet") {
        const element = syntax !== undefined && ts.isTypeReferenceNode(syntax) ? syntax.typeArguments?.[0]?.getText() : undefined;
        return this.fail(site, "libraryType", loc, type, `a ${symbol.name} is not a Flyte type`, `take an array of its values: ${site.name ?? "x"}: ${element ?? "string"}[]`);
      }
      return this.fail(site, "libraryType", loc, type, `${symbol.name} is not a type a task can take or give`, DATA_FIX);
    }
    if (this.isCoreClass(type, symbol?.name ?? "")) {
      const scalar = CORE_SCALARS.get(symbol?.name ?? "");
      if (scalar !== undefined) return scalar;
      return this.fail(site, "libraryType", loc, type, `${symbol?.name ?? "it"} is not a type a task can take or give`, DATA_FIX);
    }
    const record = this.recordOf(type, symbol, loc, site);
    if (record !== null) return record;
    const objectFlags = type.objectFlags;
    if (objectFlags & this.O.Mapped || (type.aliasSymbol !== undefined && this.isLibrary(type.aliasSymbol))) {
      return this.fail(site, "mappedType", loc, type, "a utility or mapped type is not a record", "name the record: interface X { ... } with the fields you mean");
    }
    if (symbol !== undefined && symbol.flags & (this.S.TypeLiteral | this.S.ObjectLiteral)) {
      if (properties.length === 0) return this.fail(site, "object", loc, type, "`{}` says nothing of what the task takes or gives", `${site.tokenFix}, or name a record: interface X { ... }`);
      return this.fail(site, "anonymousObject", loc, type, "an object type without a name is not a record", "name the record: interface X { ... }");
    }
    return this.fail(site, "unsupported", loc, type, "it is not a type a task can take or give");
  }

  /** What written syntax gives an index signature's value type: `Record<string, T>`'s T, `{ [k: string]: T }`'s T. */
  private indexValueSyntax(syntax: TS.TypeNode | undefined): TS.TypeNode | undefined {
    const ts = this.ts;
    if (syntax === undefined) return undefined;
    if (ts.isTypeReferenceNode(syntax) && entityNameText(ts, syntax.typeName) === "Record" && syntax.typeArguments?.length === 2) return syntax.typeArguments[1];
    if (ts.isTypeLiteralNode(syntax) && syntax.members.length === 1 && ts.isIndexSignatureDeclaration(syntax.members[0] as TS.TypeElement)) return (syntax.members[0] as TS.IndexSignatureDeclaration).type;
    if (ts.isMappedTypeNode(syntax)) return syntax.type;
    return undefined;
  }

  /** Whether a symbol is declared by TypeScript's lib files or a library's types (`@types/*`). */
  private isLibrary(symbol: TS.Symbol): boolean {
    let library = this.libraries.get(symbol);
    if (library === undefined) {
      const declarations = symbol.declarations ?? [];
      library =
        declarations.length > 0 &&
        declarations.every((d) => {
          const file = d.getSourceFile();
          return this.program.isSourceFileDefaultLibrary(file) || /[\\/]node_modules[\\/](@types|typescript)[\\/]/.test(file.fileName);
        });
      this.libraries.set(symbol, library);
    }
    return library;
  }

  // --- records ----------------------------------------------------------------------------------

  /** The record a type is (a key into the records), undefined after a problem, or null when it is no record. */
  private recordOf(type: TS.ObjectType, symbol: TS.Symbol | undefined, loc: TS.Node, site: Site): ManifestType | undefined | null {
    const ts = this.ts;
    let kind: ManifestRecord["kind"];
    let recordSymbol: TS.Symbol;
    let declaration: TS.Declaration;
    if (symbol !== undefined && symbol.flags & (this.S.Class | this.S.Interface) && !(type.objectFlags & this.O.Anonymous)) {
      kind = symbol.flags & this.S.Class ? "class" : "interface";
      recordSymbol = symbol;
      declaration = (symbol.declarations?.find((d) => ts.isClassLike(d) || ts.isInterfaceDeclaration(d)) ?? symbol.declarations?.[0]) as TS.Declaration;
      // A dependency's class is its machinery (a client), not a record of this project (whatever its type parameters);
      // a dependency's interfaces and aliases describe data, and are read as records.
      if (kind === "class" && declaration !== undefined && /[\\/]node_modules[\\/]/.test(declaration.getSourceFile().fileName)) {
        return this.fail(site, "libraryType", loc, type, `${symbol.name} is a class of a dependency, not a record of this project`, "declare a record of what the task needs from it (interface X { ... }) and make it from the object before the call");
      }
      const target = type.objectFlags & this.O.Reference ? (type as TS.TypeReference).target : type;
      if (((target as TS.InterfaceType).typeParameters?.length ?? 0) > 0) {
        return this.fail(site, "genericRecord", loc, type, `${symbol.name} has type parameters, and a record's fields are fixed when it is declared`, "declare a record without type parameters: interface X { value: number }");
      }
    } else if (type.aliasSymbol !== undefined && !this.isLibrary(type.aliasSymbol)) {
      const aliasDeclaration = type.aliasSymbol.declarations?.find((d): d is TS.TypeAliasDeclaration => ts.isTypeAliasDeclaration(d));
      if (aliasDeclaration === undefined || !ts.isTypeLiteralNode(unparenthesized(ts, aliasDeclaration.type) as TS.TypeNode)) return null;
      if ((type.aliasTypeArguments?.length ?? 0) > 0) {
        return this.fail(site, "genericRecord", loc, type, `${type.aliasSymbol.name} has type parameters, and a record's fields are fixed when it is declared`, "declare a record without type parameters: interface X { value: number }");
      }
      kind = "alias";
      recordSymbol = type.aliasSymbol;
      declaration = aliasDeclaration;
    } else return null;
    if (declaration === undefined) return null;
    if (this.isLibrary(recordSymbol)) return this.fail(site, "libraryType", loc, type, `${recordSymbol.name} is not a type a task can take or give`, DATA_FIX);
    const key = this.recordKeyOf(recordSymbol, declaration);
    const holder = this.recordHolders.get(key);
    if (holder === undefined) this.recordHolders.set(key, { symbol: recordSymbol, declaration });
    else if (holder.symbol !== recordSymbol && holder.declaration.getSourceFile() === declaration.getSourceFile()) {
      // Two declarations of one name in one module (in functions, in blocks) would share a record's key.
      const lines = [this.lineOf(holder.declaration), this.lineOf(declaration)].sort((a, b) => a - b);
      return this.fail(site, "sameName", loc, type, `${recordSymbol.name} is declared twice in ${this.moduleOf(declaration)} (lines ${lines[0]} and ${lines[1]}), and a record is known by its module and name, which both share`, "rename one of them, or declare one record at the top level of the module and use it in both places");
    }
    site.records.add(key);
    if (!this.records.has(key)) this.buildRecord(key, type, recordSymbol, kind, declaration);
    return { record: key };
  }

  private recordKeyOf(symbol: TS.Symbol, declaration: TS.Declaration): string {
    let key = this.recordKeys.get(symbol);
    if (key !== undefined) return key;
    key = recordKey(this.moduleOf(declaration), this.qualifiedName(symbol, declaration));
    this.recordKeys.set(symbol, key);
    return key;
  }

  /**
   * The module that declares something, from its project's root: its source file, also when the
   * program reads a referenced project's declarations (`shared/dist/geo.d.ts` is `src/geo.ts` of
   * shared), so that a record has one key however the program was made (`tsc -b`, an editor).
   */
  private moduleOf(declaration: TS.Node): string {
    const declared = declaration.getSourceFile().fileName;
    const file = this.sourceOfOutput(declared) ?? declared;
    return relative(this.projectRoot(file), file).split(sep).join("/");
  }

  private outputSources: Map<string, string> | undefined;

  /** The source a referenced project's declaration file was emitted from. */
  private sourceOfOutput(file: string): string | undefined {
    if (!/\.d\.[cm]?ts$/.test(file)) return undefined;
    if (this.outputSources === undefined) {
      const sources = new Map<string, string>();
      this.outputSources = sources;
      const ignoreCase = !this.ts.sys.useCaseSensitiveFileNames;
      const visit = (references: readonly (TS.ResolvedProjectReference | undefined)[] | undefined): void => {
        for (const reference of references ?? []) {
          if (reference === undefined) continue;
          for (const source of reference.commandLine.fileNames) {
            if (/\.d\.[cm]?ts$/.test(source)) continue;
            for (const output of this.ts.getOutputFileNames(reference.commandLine, source, ignoreCase)) {
              if (/\.d\.[cm]?ts$/.test(output)) sources.set(resolve(output), resolve(source));
            }
          }
          visit(reference.references);
        }
      };
      visit(this.program.getResolvedProjectReferences());
    }
    return this.outputSources.get(resolve(file));
  }

  /** A record's name, with the namespaces it is declared in: `Point`, `Geo.Point`. */
  private qualifiedName(symbol: TS.Symbol, declaration: TS.Node): string {
    const ts = this.ts;
    const names = [symbol.name];
    for (let node = declaration.parent; node !== undefined && !ts.isSourceFile(node); node = node.parent) {
      if (ts.isModuleDeclaration(node) && ts.isIdentifier(node.name)) names.unshift(node.name.text);
    }
    return names.join(".");
  }

  private buildRecord(key: string, type: TS.ObjectType, symbol: TS.Symbol, kind: ManifestRecord["kind"], declaration: TS.Declaration): void {
    const entry: RecordEntry = { record: undefined, problems: [], reaches: new Set() };
    // In the map before its fields are read: a record that refers to itself finds its key.
    this.records.set(key, entry);
    const name = this.qualifiedName(symbol, declaration);
    const module = this.moduleOf(declaration);
    const fields: ManifestVariable[] = [];
    const legacy = this.program.getCompilerOptions().experimentalDecorators === true;
    for (const property of this.fieldsOf(type)) {
      const fieldDeclaration = property.declarations?.[0];
      const typeNode = fieldDeclaration !== undefined && (this.ts.isPropertyDeclaration(fieldDeclaration) || this.ts.isPropertySignature(fieldDeclaration) || this.ts.isParameter(fieldDeclaration)) ? fieldDeclaration.type : undefined;
      const at = typeNode ?? fieldDeclaration ?? declaration;
      const declared = fieldDeclaration !== undefined && this.ts.isPropertyDeclaration(fieldDeclaration) ? this.fieldDecoratorOf(fieldDeclaration) : undefined;
      const site: Site = {
        problems: entry.problems,
        records: entry.reaches,
        top: typeNode,
        subject: `record ${name}, field '${property.name}'`,
        name: property.name,
        tokenFix: !legacy ? "give the field a type Flyte knows" : kind === "class" ? "declare the field's type with a token: @field(Json)" : `give the field a type Flyte knows, or make ${name} a class and declare the field's type with a token: @field(Json)`,
        // With legacy decorators a token declares the field's type, which the run time reads from the class itself.
        quiet: declared?.token !== undefined,
      };
      if (!legacy && declared !== undefined && (declared.token !== undefined || declared.unreadName !== undefined)) {
        // Standard decorators: the run time knows a record class's fields from the manifest alone.
        const what = declared.token !== undefined ? "declares the field's type with a token" : "names the field with what is not a string literal";
        const fix =
          declared.token !== undefined
            ? `type the field in TypeScript instead of the token (e.g. ${property.name}!: int[], int from @flytekit-ts/core) and drop the token, or make ${name} an interface`
            : `write the name as a string literal: @field({ name: "${property.name}" })`;
        this.fail({ ...site, quiet: false }, "fieldToken", declared.decorator, undefined, `\`${declared.decorator.getText()}\` ${what}, and with standard decorators (no experimentalDecorators) the run time sees a record class's fields only through the manifest, which cannot hold it`, fix, { plain: true, typeText: declared.decorator.getText() });
        continue;
      }
      const fieldType = this.checker.getTypeOfSymbol(property);
      const mapped = this.map(fieldType, typeNode, at, site);
      if (mapped === undefined) continue;
      const optional = (property.flags & this.S.Optional) !== 0;
      const fieldTypeMapped = optional ? this.optionalWritten(mapped, fieldType, typeNode) : mapped;
      const flyteName = declared?.name ?? property.name;
      fields.push(flyteName === property.name ? { name: property.name, type: fieldTypeMapped } : { name: flyteName, type: fieldTypeMapped, property: property.name });
    }
    entry.record = { name, kind, module, fields };
  }

  /**
   * What a class field's `@field(...)` says: its name in Flyte (`@field({ name: "by_key" })`, a
   * string literal), or a name that is not one (`unreadName`), and a type token (`@field(Int)`,
   * `@field({ type: Int })`), read from the argument's syntax, or its type when it is a variable.
   */
  private fieldDecoratorOf(declaration: TS.PropertyDeclaration): { decorator: TS.Decorator; name?: string; unreadName?: TS.Node; token?: TS.Node } | undefined {
    const ts = this.ts;
    const F = this.F;
    const checker = this.checker;
    for (const decorator of ts.getDecorators(declaration) ?? []) {
      const expression = withoutWrappers(ts, decorator.expression);
      const callee = ts.isCallExpression(expression) ? expression.expression : expression;
      if (!this.isFieldDecorator(callee)) continue;
      const argument = ts.isCallExpression(expression) ? expression.arguments[0] : undefined;
      if (argument === undefined) return { decorator };
      const argumentType = checker.getTypeAtLocation(argument);
      const isOptions = ts.isObjectLiteralExpression(withoutWrappers(ts, argument)) || ((argumentType.getSymbol()?.flags ?? 0) & this.S.ObjectLiteral) !== 0;
      if (!isOptions) return { decorator, token: argument };
      const found: { decorator: TS.Decorator; name?: string; unreadName?: TS.Node; token?: TS.Node } = { decorator };
      const literal = withoutWrappers(ts, argument);
      const written = (key: string): TS.ObjectLiteralElementLike | undefined =>
        ts.isObjectLiteralExpression(literal) ? literal.properties.find((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key) : undefined;
      const nameProperty = checker.getPropertyOfType(argumentType, "name");
      const nameWritten = written("name");
      if (nameWritten !== undefined && ts.isPropertyAssignment(nameWritten) && ts.isStringLiteralLike(nameWritten.initializer)) found.name = nameWritten.initializer.text;
      else if (nameProperty !== undefined) {
        const nameType = checker.getNonNullableType(checker.getTypeOfSymbol(nameProperty));
        if (nameType.flags & F.StringLiteral) found.name = (nameType as TS.StringLiteralType).value;
        else if (!(nameType.flags & F.Never)) found.unreadName = nameWritten ?? argument;
      }
      const typeProperty = checker.getPropertyOfType(argumentType, "type");
      if (typeProperty !== undefined && !(checker.getNonNullableType(checker.getTypeOfSymbol(typeProperty)).flags & F.Never)) found.token = written("type") ?? argument;
      return found;
    }
    return undefined;
  }

  /** Whether an expression is our `field` (imported, re-exported, or held in a const). */
  private isFieldDecorator(expression: TS.Expression): boolean {
    const seen = new Set<TS.Node>();
    let node: TS.Expression | undefined = withoutWrappers(this.ts, expression);
    while (node !== undefined && !seen.has(node)) {
      seen.add(node);
      if (!this.ts.isIdentifier(node) && !this.ts.isPropertyAccessExpression(node)) return false;
      if (this.decoratorsExportOf(node) === "field") return true;
      const next = this.constInitializerOf(node);
      node = next === undefined ? undefined : withoutWrappers(this.ts, next);
    }
    return false;
  }

  /** A record's fields: properties (not methods, not accessors), a base's (or an extended interface's) first, each in declaration order. */
  private fieldsOf(type: TS.ObjectType): TS.Symbol[] {
    const ts = this.ts;
    const containers: TS.Node[] = [];
    const seen = new Set<TS.Type>();
    const walk = (t: TS.Type): void => {
      const target = t.flags & this.F.Object && (t as TS.ObjectType).objectFlags & this.O.Reference ? (t as TS.TypeReference).target : t;
      if (seen.has(target)) return;
      seen.add(target);
      const symbol = target.getSymbol();
      if (symbol !== undefined && symbol.flags & (this.S.Class | this.S.Interface)) {
        for (const base of this.checker.getBaseTypes(target as TS.InterfaceType)) walk(base);
      }
      for (const d of symbol?.declarations ?? []) containers.push(d);
      if (t.aliasSymbol !== undefined) for (const d of t.aliasSymbol.declarations ?? []) if (ts.isTypeAliasDeclaration(d)) containers.push(d.type);
    };
    walk(type);
    const rank = (property: TS.Symbol): [number, number] => {
      const declaration = property.declarations?.[0];
      if (declaration === undefined) return [Number.MAX_SAFE_INTEGER, 0];
      let container: TS.Node | undefined = declaration.parent;
      if (container !== undefined && ts.isConstructorDeclaration(container)) container = container.parent;
      const index = container === undefined ? -1 : containers.indexOf(container);
      return [index < 0 ? Number.MAX_SAFE_INTEGER : index, declaration.pos];
    };
    const notFields = this.S.Method | this.S.Accessor | this.S.Prototype;
    const properties = this.checker
      .getPropertiesOfType(type)
      .filter((p) => !(p.flags & notFields) && !String(p.escapedName).startsWith("__#") && !(p.declarations ?? []).some((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d)));
    const ranked = properties.map((p, i) => ({ p, r: rank(p), i }));
    ranked.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i);
    return ranked.map((x) => x.p);
  }
}

// --- helpers ----------------------------------------------------------------------------------

/** Where a diagnostic is, and what: one line of tsc's output. */
function diagnosticPlace(d: ManifestDiagnostic): string {
  return `${d.code}|${d.file}|${d.line}|${d.column}`;
}

function optionalOf(type: ManifestType): ManifestType {
  return typeof type === "object" && "optional" in type ? type : { optional: type };
}

/**
 * A union's string enums and string literals (`Color | "other"`), when it has literals and another
 * enum, as one enum of all their values (a value met twice kept where first met), where the first
 * of them was: a value of either is one of these strings.
 */
function mergedEnums(parts: ManifestType[], literal: ManifestType | undefined, name: string | undefined): ManifestType[] {
  const isEnum = (t: ManifestType): t is { enum: readonly string[]; name: string } => typeof t === "object" && "enum" in t;
  const enums = parts.filter(isEnum);
  if (literal === undefined || enums.length < 2) return parts;
  const values = [...new Set(enums.flatMap((e) => e.enum))];
  const merged: ManifestType = { enum: values, name: name ?? values.join("|") };
  const first = parts.findIndex(isEnum);
  return parts.flatMap((p, i) => (!isEnum(p) ? [p] : i === first ? [merged] : []));
}

function dedupe(types: ManifestType[]): ManifestType[] {
  const seen = new Set<string>();
  return types.filter((t) => {
    const key = JSON.stringify(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function unparenthesized(ts: TypeScriptApi, node: TS.TypeNode | undefined): TS.TypeNode | undefined {
  let n = node;
  while (n !== undefined && ts.isParenthesizedTypeNode(n)) n = n.type;
  return n;
}

/** An expression without parentheses, `as`, `satisfies` and `!` around it. */
function withoutWrappers(ts: TypeScriptApi, expression: TS.Expression): TS.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

function entityNameText(ts: TypeScriptApi, name: TS.EntityName): string {
  return ts.isIdentifier(name) ? name.text : name.right.text;
}
