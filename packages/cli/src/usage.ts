// What `flytekit-ts --help` and each command's `--help` print, and the error for a command line
// that is wrong as such (an unknown command or option, a missing argument): a short message and
// where the help is, exit code 2, as click (pyflyte) answers a usage error.
import { VERSION } from "@flytekit-ts/core";
import { brand } from "@flytekit-ts/core/internal";
import { CliError } from "./discover.js";

export const COMMAND_NAMES = ["build", "serialize", "package", "run"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** A command line the command cannot take; `command` names whose `--help` to point at. */
export class UsageError extends CliError {
  command: CommandName | undefined;
  constructor(command: CommandName | undefined, fields: ConstructorParameters<typeof CliError>[0]) {
    super(fields);
    this.command = command;
  }

  /** Where the user finds the usage: `Try 'flytekit-ts run --help' for help.` */
  get hint(): string {
    return `Try 'flytekit-ts${this.command === undefined ? "" : ` ${this.command}`} --help' for help.`;
  }
}
brand(UsageError, "UsageError");

const SETTINGS = `  --project P, --domain D, --version V   where the tasks are registered (default: empty, left to flytectl,
                                        as pyflyte package leaves them)
  --image IMAGE | --image NAME=IMAGE    the default image, and named ones for {{.images.NAME.fqn}} templates
  --env KEY=VALUE                       an environment variable for every task's container (repeatable)`;

const MODULES = `MODULES are TypeScript sources (compiled by the SDK's own TypeScript under the project's
tsconfig.json, nothing forced; their tasks' types read from the sources) or compiled JavaScript (the
types read from the manifests flytekit-ts build wrote beside it); every exported task is found.`;

export const USAGE = `flytekit-ts ${VERSION}

Usage: flytekit-ts COMMAND [ARGS]...

Commands:
  build [-p TSCONFIG] [--no-emit]             compile the project and write each task module's manifest (its types)
  serialize --out DIR [options] MODULES...    write one flyteidl.admin.TaskSpec file per task
  package [--output FILE] [options] MODULES...
                                              the same files in a flyte-package.tgz, for flytectl register files
  run [--json] FILE [TASK [--INPUT VALUE]...] run a task locally; FILE alone lists its tasks

Options:
  -h, --help     show this message and exit (COMMAND --help: the command's own)
  --version      print flytekit-ts's version and exit`;

export const BUILD_USAGE = `Usage: flytekit-ts build [-p TSCONFIG] [--no-emit]

Type-checks and compiles a TypeScript project with the SDK's own TypeScript, as tsc -b does (the
projects its tsconfig references first, each on its own), and writes beside each compiled module that
declares tasks its manifest, <module>.js.flyte.json: the tasks' inputs and outputs read from their
TypeScript types, and a hash of the module's code. Running the compiled module (node, flytekit-ts run,
serialize, package, the container) takes the tasks' types from it; a module changed since is refused
until it is built again.

Options:
  -p TSCONFIG   the project's tsconfig.json, or its folder (default: ./tsconfig.json)
  --no-emit     compile nothing: read the JavaScript the project's own compiler wrote (TypeScript 7's
                tsc, say) where the tsconfig puts it, and write the manifests beside it
  -h, --help    show this message and exit

Errors print as tsc prints them, file(line,col): error TS<code>: ..., and a task whose types cannot
be an interface as file(line,col): error FTS<code>: ...; such a module gets no manifest (an earlier
one is removed). Exit status: 0 built, 1 errors, 2 a command line it cannot take.`;

export const SERIALIZE_USAGE = `Usage: flytekit-ts serialize --out DIR [options] MODULES...

Writes one flyteidl.admin.TaskSpec file per task into DIR, <index>_<task name>_1.pb, numbered in the
order the tasks were declared, as pyflyte serialize does. Reference tasks are registered elsewhere:
they are skipped, and each is named on stderr.

Options:
  --out DIR                             where the files go (required)
  --json                                a readable .json beside each .pb
${SETTINGS}
  --fast [--distribution URI] [--dest-dir DIR]
                                        fast registration: the container unpacks the code first
  -h, --help                            show this message and exit

${MODULES}`;

export const PACKAGE_USAGE = `Usage: flytekit-ts package [--output FILE] [-f] [options] MODULES...

Writes the files serialize writes into one flyte-package.tgz, laid out as pyflyte package lays out its
own, for flytectl register files. Reference tasks are skipped, and each is named on stderr.

Options:
  --output FILE                         the archive (default: flyte-package.tgz)
  -f, --force                           overwrite FILE if it exists
${SETTINGS}
  --fast [--source DIR] [--distribution URI] [--dest-dir DIR]
                                        fast registration: the archive carries the code of DIR (default .;
                                        .git, node_modules and .flyteignore patterns left out), which the
                                        container unpacks into --dest-dir (default /root, as pyflyte package)
  -h, --help                            show this message and exit

${MODULES}`;

export const RUN_USAGE = `Usage: flytekit-ts run [--json] FILE [TASK [--INPUT VALUE]...]

Runs one task of FILE locally, as a call from your own code runs it (the local cache, retries and
timeout included), and prints its outputs.
  flytekit-ts run FILE               lists FILE's tasks, with their inputs and outputs
  flytekit-ts run FILE TASK --help   lists TASK's inputs: type, how to write it, default, description

Options:
  --json       print the outputs as one JSON document on stdout; what the task logs or prints goes to
               stderr (may also follow TASK, unless the task has an input named json)
  -h, --help   show this message and exit

Inputs are flags named after the task's inputs, --name VALUE or --name=VALUE. Numbers, text and
booleans are written as they are; a Datetime as ISO 8601 (2024-05-01T12:00:00Z), now or today, or
one of those - or + a duration (today - 1 day); a Duration as seconds (90), [h:]m:s (1:24) or with
units (1h30m); a File or Directory as a path or URI; lists, dicts and records as JSON, in which a
Datetime is an ISO 8601 string and a Duration a number of seconds, as in pyflyte run.

Types: a task's inputs and outputs come from its TypeScript types: FILE's own when it is a source
(analysed before it runs), or the manifest flytekit-ts build wrote beside compiled JavaScript. So a
string enum parameter (c: Color) is an Enum and --c takes only Color's values. JavaScript compiled by
tsc alone has no manifest: there TypeScript reflects a string enum as String (with
emitDecoratorMetadata), unless the task declares it: @task({ inputs: { c: Enum(Color) } }).

FILE is a TypeScript source or compiled JavaScript.`;

export const COMMAND_USAGE: Record<CommandName, string> = { build: BUILD_USAGE, serialize: SERIALIZE_USAGE, package: PACKAGE_USAGE, run: RUN_USAGE };
