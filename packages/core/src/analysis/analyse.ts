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
// What is not read from the checker: the order of a union's members (the checker orders them by an
// internal id, `int | string` comes back `string | int`: the order is the annotation's, aliases
// followed to their declaration), and, without strictNullChecks, a `| null` (the checker drops it:
// it is read from the annotation's syntax too).
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
// | FTS1019 | a library's class or interface with no Flyte type (`Set`, `RegExp`, `Buffer`, `Promise` as an input) |
// | FTS1020 | `null`, `undefined` or `void` as a whole type                                          |
// | FTS1021 | a parameter with neither a type nor a default                                          |
// | FTS1022 | a class declared as a task without a `run` method                                      |
// | FTS1023 | an object type with both properties and an index signature                             |
// | FTS1024 | a type the compiler could not resolve (a missing import)                               |
// | FTS1025 | any other type                                                                         |
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
]);

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
}

interface RecordEntry {
  record: ManifestRecord | undefined;
  problems: Problem[];
  reaches: Set<string>;
}

interface DecoratorUse {
  /** `@task`, `@env.task`, as written (for fixes). */
  text: string;
  kind: "task" | "eager" | "echo" | "referenceTask" | "env.task";
  options: TS.ObjectLiteralExpression | undefined;
  /** `@env.task`: the environment's name, when it is written where `env` is declared. */
  environment?: string;
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
        this.addTask(analysis, taskKey(className, "run", false), { line: this.lineOf(at), inputs: {}, outputs: [] }, [problem], this.taskName(file, className, classUse));
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
    const ts = this.ts;
    for (const decorator of ts.getDecorators(node) ?? []) {
      const expression = decorator.expression;
      const callee = ts.isCallExpression(expression) ? expression.expression : expression;
      const options = ts.isCallExpression(expression) && expression.arguments[0] !== undefined && ts.isObjectLiteralExpression(expression.arguments[0]) ? expression.arguments[0] : undefined;
      const text = `@${callee.getText()}`;
      const name = this.decoratorsExportOf(callee);
      if (name !== undefined && TASK_DECORATORS.has(name)) return { text, kind: name as DecoratorUse["kind"], options };
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === "task" && this.isCoreClass(this.checker.getTypeAtLocation(callee.expression), "TaskEnvironment")) {
        const environment = this.environmentNameOf(callee.expression);
        return environment === undefined ? { text, kind: "env.task", options } : { text, kind: "env.task", options, environment };
      }
    }
    return undefined;
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

  /** The value of a property of a decorator's options object, if written there. */
  private optionOf(use: DecoratorUse, name: string): TS.ObjectLiteralElementLike | undefined {
    return use.options?.properties.find((p) => p.name !== undefined && (this.ts.isIdentifier(p.name) || this.ts.isStringLiteral(p.name)) && p.name.text === name);
  }

  private taskName(file: TS.SourceFile, attributePath: string, use: DecoratorUse): string {
    // An environment names its tasks `<environment>.<Class>.<member>`, whatever the options say.
    if (use.kind === "env.task" && use.environment !== undefined) return `${use.environment}.${attributePath}`;
    const named = this.optionOf(use, "name");
    if (named !== undefined && this.ts.isPropertyAssignment(named) && this.ts.isStringLiteralLike(named.initializer)) return named.initializer.text;
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
    const name = this.taskName(file, declared === method ? `${className}.${member}` : className, use);
    const explicit = this.explicitInputs(use);
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
      if (explicit.has(input)) return;
      const site: Site = { problems, records: reached, top: parameter.type, subject: `input '${input}'`, tokenFix: `declare it with a token: ${use.text}({ inputs: { ${input}: Json } })` };
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
      const optional = parameter.questionToken !== undefined || (parameter.initializer !== undefined && parameter.initializer.kind === this.K.NullKeyword);
      inputs[input] = optional ? optionalOf(mapped) : mapped;
    });
    let outputs: ManifestVariable[] | undefined;
    if (use.kind !== "echo" && this.optionOf(use, "outputs") === undefined) outputs = this.outputsOf(method, use, problems, reached);
    const line = this.lineOf(declared === method ? method.name : (declared.name ?? declared));
    const task: ManifestTask = outputs === undefined ? { line, inputs } : { line, inputs, outputs };
    // Every record reached, through records too, and the problems of each.
    const closure = this.closureOf(reached);
    for (const recordKeyReached of closure) {
      const entry = this.records.get(recordKeyReached);
      if (entry === undefined) continue;
      if (entry.record !== undefined) analysis.records[recordKeyReached] = entry.record;
      problems.push(...entry.problems);
    }
    this.addTask(analysis, key, task, problems, name);
  }

  private addTask(analysis: ModuleAnalysis, key: string, task: ManifestTask, problems: Problem[], name: string): void {
    const diagnostics = problems.map((p) => this.diagnosticOf(p, name));
    analysis.tasks[key] = diagnostics.length === 0 ? task : { ...task, errors: diagnostics };
    analysis.diagnostics.push(...diagnostics);
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

  /** The names of the inputs the decorator declares with tokens (`inputs: { x: Int }`). */
  private explicitInputs(use: DecoratorUse): Set<string> {
    const ts = this.ts;
    const option = this.optionOf(use, "inputs");
    if (option === undefined) return new Set();
    let value: TS.Node | undefined;
    if (ts.isPropertyAssignment(option)) value = option.initializer;
    else if (ts.isShorthandPropertyAssignment(option)) value = option.name;
    if (value === undefined) return new Set();
    if (ts.isObjectLiteralExpression(value)) {
      const names = new Set<string>();
      for (const p of value.properties) {
        if (p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) names.add(p.name.text);
        else if (ts.isSpreadAssignment(p)) for (const s of this.checker.getPropertiesOfType(this.checker.getTypeAtLocation(p.expression))) names.add(s.name);
      }
      return names;
    }
    return new Set(this.checker.getPropertiesOfType(this.checker.getTypeAtLocation(value)).map((s) => s.name));
  }

  private typeOfParameter(parameter: TS.ParameterDeclaration): TS.Type | undefined {
    if (parameter.type !== undefined) return this.checker.getTypeFromTypeNode(parameter.type);
    if (parameter.initializer === undefined) return undefined;
    return this.checker.getTypeAtLocation(parameter);
  }

  private outputsOf(method: TS.MethodDeclaration, use: DecoratorUse, problems: Problem[], reached: Set<string>): ManifestVariable[] {
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
          const site: Site = { problems, records: reached, top: undefined, subject: "return type", tokenFix: outputFix("o0") };
          this.fail(site, "function", element, undefined, "an object return type's members are the named outputs, and this one is not a property", "write each output as a property: ): { total: number; mean: number }", { typeText: element.getText(), plain: true });
          continue;
        }
        const site: Site = { problems, records: reached, top: element.type, subject: `output '${name}'`, tokenFix: outputFix(name) };
        if (element.type === undefined) {
          this.fail(site, "untyped", element, undefined, "it has no type, so its type is `any`", `give it a type: ${name}: number`, { typeText: name, plain: true });
          continue;
        }
        const mapped = this.map(this.checker.getTypeFromTypeNode(element.type), element.type, element.type, site);
        if (mapped !== undefined) outputs.push({ name, type: element.questionToken !== undefined ? optionalOf(mapped) : mapped });
      }
      return outputs;
    }
    const site: Site = { problems, records: reached, top: syntax, subject: "output 'o0'", tokenFix: outputFix("o0") };
    if (method.type === undefined && this.isAnonymousObject(type)) {
      this.fail(site, "anonymousObject", method.name, type, "an inferred object type has no name", "write the return type: ): { total: number; mean: number } for named outputs, or name the record: interface Result { ... }");
      return [];
    }
    const mapped = this.map(type, syntax, syntax ?? method.name, site);
    return mapped === undefined ? [] : [{ name: "o0", type: mapped }];
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
    if (site.quiet === true) return undefined;
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
    if (written !== undefined) return this.mapWrittenUnion(written, type, syntax === loc && written.alias === undefined ? undefined : loc, site);
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
    if (flags & F.BigInt) return "Int";
    if (flags & (F.TemplateLiteral | F.StringMapping)) return this.fail(site, "literal", loc, type, "a template literal type is not a Flyte type", "use string, or a string enum for a choice");
    if (flags & (F.ESSymbol | F.UniqueESSymbol)) return this.fail(site, "symbol", loc, type, "a symbol cannot leave the process");
    if (flags & F.Intersection) return this.mapIntersection(type as TS.IntersectionType, loc, site);
    if (flags & F.NonPrimitive) return this.fail(site, "object", loc, type, "`object` says nothing of what the task takes or gives", `${site.tokenFix}, or name a record: interface X { ... }`);
    if (flags & (F.Conditional | F.Substitution | F.Index | F.IndexedAccess)) return this.fail(site, "mappedType", loc, type, "a computed type is not a record", "name the record: interface X { ... }");
    if (flags & F.Object) return this.mapObject(type as TS.ObjectType, syntax, loc, site);
    return this.fail(site, "unsupported", loc, type, "it is not a type a task can take or give");
  }

  /** The members of a union as written (nested unions and parentheses flattened), following an alias to its declaration. */
  private writtenUnion(syntax: TS.TypeNode | undefined): { members: TS.TypeNode[]; alias?: string } | undefined {
    const ts = this.ts;
    if (syntax === undefined) return undefined;
    let node: TS.TypeNode = syntax;
    let alias: string | undefined;
    const seen = new Set<TS.Node>();
    // Follow aliases without type arguments to what they are declared as.
    while (ts.isTypeReferenceNode(node) && node.typeArguments === undefined && !seen.has(node)) {
      seen.add(node);
      const declaration = this.aliasDeclarationOf(node);
      if (declaration === undefined) break;
      alias = declaration.name.text;
      node = unparenthesized(ts, declaration.type) as TS.TypeNode;
    }
    if (!ts.isUnionTypeNode(node)) return undefined;
    const members: TS.TypeNode[] = [];
    const flatten = (n: TS.TypeNode): void => {
      const inner = unparenthesized(ts, n) as TS.TypeNode;
      if (ts.isUnionTypeNode(inner)) inner.types.forEach(flatten);
      else members.push(inner);
    };
    flatten(node);
    return alias === undefined ? { members } : { members, alias };
  }

  private aliasDeclarationOf(reference: TS.TypeReferenceNode): TS.TypeAliasDeclaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(reference.typeName);
    if (symbol === undefined) return undefined;
    if (symbol.flags & this.S.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol.declarations?.find((d): d is TS.TypeAliasDeclaration => this.ts.isTypeAliasDeclaration(d));
    if (declaration === undefined || (declaration.typeParameters?.length ?? 0) > 0) return undefined;
    return declaration;
  }

  /** A union as written: `null`/`undefined` make it optional, string literals an enum, the rest a Union in the written order. */
  private mapWrittenUnion(written: { members: TS.TypeNode[]; alias?: string }, whole: TS.Type, locOutside: TS.Node | undefined, site: Site): ManifestType | undefined {
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
    const resolved = dedupe(
      parts.flatMap((p): ManifestType[] => {
        if (p === "strings") return [{ enum: [...new Set(strings)], name: (onlyStrings ? (written.alias ?? whole.aliasSymbol?.name) : undefined) ?? strings.join("|") }];
        if (p === "booleans") return booleans.length === 1 ? [] : ["Bool"];
        return [p];
      }),
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
    for (const group of groups) {
      if (typeof group === "string") parts.push(group);
      else if ("flags" in group) {
        const mapped = this.map(group, groups.length === 1 ? syntax : undefined, loc, site);
        if (mapped === undefined) failed = true;
        else if (typeof mapped === "object" && "union" in mapped) parts.push(...mapped.union);
        else parts.push(mapped);
      } else if ("enum" in group) {
        parts.push({ enum: group.enum, name: groups.length === 1 ? (type.aliasSymbol?.name ?? group.enum.join("|")) : group.enum.join("|") });
      } else parts.push(group);
    }
    if (failed) return undefined;
    if (parts.length === 0) return this.fail(site, "nullType", loc, type, "it has no value but nothing", "make it optional around a type: x: string | null");
    const resolved = dedupe(parts);
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
    return { enum: values, name: enumSymbol.name };
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
      return this.fail(site, "function", loc, type, "a function is not data a task can take or give");
    }
    if (checker.isTupleType(type)) return this.fail(site, "tuple", loc, type, "a tuple is not a Flyte type", "use an array (T[]) or a record: interface X { ... }");
    if (checker.isArrayType(type)) {
      const element = checker.getTypeArguments(type as TS.TypeReference)[0] as TS.Type;
      const elementSyntax = syntax === undefined ? undefined : ts.isArrayTypeNode(syntax) ? syntax.elementType : ts.isTypeReferenceNode(syntax) ? syntax.typeArguments?.[0] : undefined;
      const mapped = this.map(element, elementSyntax, child(elementSyntax), site);
      return mapped === undefined ? undefined : { list: mapped };
    }
    const symbol = type.getSymbol();
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
        return mapped === undefined ? undefined : { dict: mapped };
      }
      return this.fail(site, "libraryType", loc, type, `${symbol.name} is not a type a task can take or give`);
    }
    if (this.isCoreClass(type, symbol?.name ?? "")) {
      const scalar = CORE_SCALARS.get(symbol?.name ?? "");
      if (scalar !== undefined) return scalar;
      return this.fail(site, "libraryType", loc, type, `${symbol?.name ?? "it"} is not a type a task can take or give`);
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
    if (this.isLibrary(recordSymbol)) return this.fail(site, "libraryType", loc, type, `${recordSymbol.name} is not a type a task can take or give`);
    // A dependency's class is its machinery (an Arrow Table, a client), not a record of this project;
    // a dependency's interfaces and aliases describe data, and are read as records.
    if (kind === "class" && /[\\/]node_modules[\\/]/.test(declaration.getSourceFile().fileName)) {
      return this.fail(site, "libraryType", loc, type, `${recordSymbol.name} is a class of a dependency, not a record of this project`);
    }
    const key = this.recordKeyOf(recordSymbol, declaration);
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
    for (const property of this.fieldsOf(type)) {
      const fieldDeclaration = property.declarations?.[0];
      const typeNode = fieldDeclaration !== undefined && (this.ts.isPropertyDeclaration(fieldDeclaration) || this.ts.isPropertySignature(fieldDeclaration) || this.ts.isParameter(fieldDeclaration)) ? fieldDeclaration.type : undefined;
      const at = typeNode ?? fieldDeclaration ?? declaration;
      const token = fieldDeclaration !== undefined && this.hasFieldToken(fieldDeclaration);
      const site: Site = {
        problems: entry.problems,
        records: entry.reaches,
        top: typeNode,
        subject: `record ${name}, field '${property.name}'`,
        tokenFix: kind === "class" ? "declare the field's type with a token: @field(Json)" : `give the field a type Flyte knows, or make ${name} a class and declare the field's type with a token: @field(Json)`,
        quiet: token,
      };
      const fieldType = this.checker.getTypeOfSymbol(property);
      const mapped = this.map(fieldType, typeNode, at, site);
      if (mapped === undefined) continue;
      const optional = (property.flags & this.S.Optional) !== 0;
      fields.push({ name: property.name, type: optional ? optionalOf(mapped) : mapped });
    }
    entry.record = { name, kind, module, fields };
  }

  /** Whether a class field declares its type with `@field(token)` (explicit tokens win: no problem is reported for it). */
  private hasFieldToken(declaration: TS.Declaration): boolean {
    const ts = this.ts;
    if (!ts.isPropertyDeclaration(declaration)) return false;
    for (const decorator of ts.getDecorators(declaration) ?? []) {
      const expression = decorator.expression;
      if (!ts.isCallExpression(expression) || this.decoratorsExportOf(expression.expression) !== "field") continue;
      const argument = expression.arguments[0];
      if (argument === undefined) continue;
      if (ts.isObjectLiteralExpression(argument)) {
        if (argument.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === "type")) return true;
      } else return true;
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

function optionalOf(type: ManifestType): ManifestType {
  return typeof type === "object" && "optional" in type ? type : { optional: type };
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

function entityNameText(ts: TypeScriptApi, name: TS.EntityName): string {
  return ts.isIdentifier(name) ? name.text : name.right.text;
}
