// Raw container tasks called locally, end to end: real shell scripts (test/fixtures/raw-container)
// run as local processes (runtime "process") or through the docker stand-in (this machine has
// Docker's client and no engine), their inputs laid out as CoPilot lays them out, their outputs the
// values the scripts wrote; and each way it fails, named.
import { Cache, ContainerExitError, ContainerTask, Secret, File, FlyteFile, Float, Int, List, RecoverableError, Str, TaskOutputError, taskOf, withServices } from "@flytekit-ts/core";
import { fromLiteralMap, localServices, TaskExecutionContext, toLiteralMap } from "@flytekit-ts/core/internal";
import { containerTask, eager } from "@flytekit-ts/decorators";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLI_BIN, cleanEnv, runProcess, TEST_ROOT } from "./support/execute.js";
import { ELLIPSE } from "./support/raw-container-ellipse.js";

const FIXTURES = join(import.meta.dirname, "fixtures/raw-container");
const PROCESS = { runtime: "process", workingDir: FIXTURES } as const;

/** A task with the folders at /var/inputs and /var/outputs, run as a local process from the fixtures. */
function shellTask(name: string, command: string[], more: Partial<ConstructorParameters<typeof ContainerTask>[0]> = {}): ContainerTask {
  return new ContainerTask({ name, image: "alpine:3.20", inputDataDir: "/var/inputs", outputDataDir: "/var/outputs", command, local: PROCESS, ...more });
}

/** A folder to put first on PATH, holding a `docker` that runs the stand-in (see its header for what it plays). */
function standinBin(): string {
  const bin = mkdtempSync(join(tmpdir(), "standin-bin-"));
  writeFileSync(join(bin, "docker"), `#!/bin/sh\nexec "${process.execPath}" "${join(FIXTURES, "standin/docker.cjs")}" "$@"\n`);
  chmodSync(join(bin, "docker"), 0o755);
  return bin;
}

/** process.env changed for one test (the local services read it when a task runs). */
const saved: Record<string, string | undefined> = {};
function setEnv(values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!(k in saved)) saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    delete saved[k];
  }
});

/** Whether Docker or Podman answers on this machine (then "auto" would use it, and the no-engine cases are skipped). */
function engineAnswers(): boolean {
  const asks: [string, string][] = [
    ["docker", "{{.ServerVersion}}"],
    ["podman", "{{.Version.Version}}"],
  ];
  return asks.some(([engine, format]) => {
    try {
      return execFileSync(engine, ["info", "--format", format], { stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).toString().trim() !== "";
    } catch {
      return false;
    }
  });
}

/** Whether a process still runs (a zombie no parent has reaped has ended). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

@containerTask({ ...ELLIPSE, local: PROCESS })
class EllipseArea {}

describe("a raw container task run as a local process", () => {
  it("the issue's ellipse task: area = π·a·b as the script's awk computed it, and its metadata line", async () => {
    const ellipse = new ContainerTask({ name: "ellipse-area-metadata-shell", ...ELLIPSE, local: PROCESS });
    expect(await ellipse.call(1.5, 2)).toEqual({ area: Math.PI * 1.5 * 2, metadata: "[from shell rawcontainer]" });
    // The decorator form is the same task.
    expect(await taskOf(EllipseArea).call(0.5, 4)).toEqual({ area: Math.PI * 0.5 * 4, metadata: "[from shell rawcontainer]" });
  });

  it("float, string, list and file inputs; float, string and file outputs: the values the script wrote", async () => {
    const mixed = shellTask("mixed", ["./mixed.sh", "/var/inputs", "/var/outputs", "{{.inputs.x}}"], {
      inputs: { x: Float, s: Str, xs: List(Float), f: File },
      outputs: { total: Float, label: Str, report: File },
    });
    const given = join(mkdtempSync(join(tmpdir(), "given-")), "payload.txt");
    writeFileSync(given, "payload");
    const out = (await mixed.call(1.5, "hello world", [0.25, 2, 3.5], given)) as { total: number; label: string; report: FlyteFile };
    expect(out.total).toBe(7.25);
    expect(out.label).toBe("hello world | 3 items | x=1.5");
    expect(out.report).toBeInstanceOf(FlyteFile);
    expect(readFileSync(out.report.path, "utf8")).toBe("the file said: payload\ncount=3\n");
  });

  it("the metadata file the script reads: inputs.json (Go's encoding, keys sorted) and inputs.yaml", async () => {
    const common = { inputs: { name: Str, a: Float, xs: List(Int) }, outputs: Str };
    const json = shellTask("meta-json", ["sh", "-c", "cat /var/inputs/inputs.json > /var/outputs/o0"], { ...common, metadataFormat: "JSON" });
    expect(await json.call("hi", 1.5, [1, 2])).toBe('{"a":1.5,"name":"hi","xs":[1,2]}');
    const yaml = shellTask("meta-yaml", ["sh", "-c", "ls /var/inputs > /var/outputs/o0; cat /var/inputs/inputs.yaml >> /var/outputs/o0"], { ...common, metadataFormat: "YAML" });
    expect(await yaml.call("hi", 1.5, [1, 2])).toBe("a\ninputs.pb\ninputs.yaml\nname\nxs\na: 1.5\nname: hi\nxs:\n- 1\n- 2");
  });

  it("a command that exits 3: the error names the task, the code and stderr's last lines", async () => {
    const fails = shellTask("fails", ["./fail.sh"], { outputs: { area: Float } });
    await expect(fails.call()).rejects.toThrow(`task 'fails', process "./fail.sh": it exited with code 3, and the last lines of its stderr were:\n  starting\n  boom: the input was negative`);
  });

  it("an output the script did not write", async () => {
    const missing = shellTask("missing", ["./write.sh", "/var/outputs/area", "3.5"], { outputs: { area: Float, metadata: Str } });
    await expect(missing.call()).rejects.toThrow(
      "task 'missing', output 'metadata': expected Str (STRING) in /var/outputs/metadata, got no file: CoPilot looks for metadata or one metadata.* and found neither; write the file /var/outputs/metadata (or metadata.<extension>)",
    );
  });

  it("an output that does not parse as its type: abc for a Float", async () => {
    const bad = shellTask("unparseable", ["./write.sh", "/var/outputs/area", "abc"], { outputs: { area: Float } });
    await expect(bad.call()).rejects.toThrow(
      `task 'unparseable', output 'area': expected Float (FLOAT): a number within float64 (Go's strconv.ParseFloat: 1.5, 1e3, NaN, Inf), got "abc" in /var/outputs/area`,
    );
  });

  it("an _ERROR file fails the task with its text", async () => {
    const reported = shellTask("reported", ["./write.sh", "/var/outputs/_ERROR", "the input was bad"], { outputs: { area: Float } });
    await expect(reported.call()).rejects.toThrow("task 'reported': the container reported an error in _ERROR: the input was bad");
  });

  it("the task's timeout stops the script and what it started, long before its sleep 30 ends", async () => {
    const pids = join(mkdtempSync(join(tmpdir(), "pids-")), "pids");
    const slow = shellTask("slow", ["./sleep.sh"], { outputs: { area: Float }, timeout: 1, environment: { PID_FILE: pids } });
    const started = Date.now();
    await expect(slow.call()).rejects.toThrow("task 'slow': it exceeded its timeout of 1s");
    const recorded = readFileSync(pids, "utf8").trim().split("\n").map(Number);
    expect(recorded).toHaveLength(2);
    while (recorded.some(running) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
    for (const pid of recorded) expect(running(pid), `pid ${pid}`).toBe(false);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("goes through the local path: a cached call does not run the script again; a failed command is retried, as propeller retries a container that exited non-zero", async () => {
    const dir = mkdtempSync(join(tmpdir(), "runs-"));
    setEnv({ FLYTEKIT_TS_LOCAL_CACHE_DIR: join(dir, "cache") });
    const runs = join(dir, "runs");
    const counted = shellTask("counted", ["sh", "-c", 'echo run >> "$RUNS"; printf "%s" "$(cat /var/inputs/n)0" > /var/outputs/o0'], {
      inputs: { n: Int },
      outputs: Int,
      cache: new Cache({ version: "1" }),
      environment: { RUNS: runs },
    });
    expect(await counted.call(4)).toBe(40);
    expect(await counted.call(4)).toBe(40);
    expect(await counted.call(5)).toBe(50);
    expect(readFileSync(runs, "utf8")).toBe("run\nrun\n");
    const failing = shellTask("failing", ["sh", "-c", 'echo run >> "$RUNS"; exit 2'], { outputs: Int, retries: 2, environment: { RUNS: runs } });
    const error = await (failing.call() as Promise<unknown>).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ContainerExitError);
    expect(error).toBeInstanceOf(RecoverableError);
    expect((error as Error).message).toContain("task 'failing', process \"sh\": it exited with code 2, writing nothing to stderr");
    // The first run and its two retries.
    expect(readFileSync(runs, "utf8")).toBe("run\nrun\nrun\nrun\nrun\n");
    // An _ERROR file is recoverable too (CoPilot writes a RECOVERABLE error document); a missing output is not.
    writeFileSync(runs, "");
    const reporting = shellTask("reporting", ["sh", "-c", 'echo run >> "$RUNS"; echo disk full > /var/outputs/_ERROR'], { outputs: Int, retries: 1, environment: { RUNS: runs } });
    await expect(reporting.call()).rejects.toThrow("the container reported an error in _ERROR: disk full");
    expect(readFileSync(runs, "utf8")).toBe("run\nrun\n");
    writeFileSync(runs, "");
    const silent = shellTask("silent", ["sh", "-c", 'echo run >> "$RUNS"'], { outputs: Int, retries: 3, environment: { RUNS: runs } });
    await expect(silent.call()).rejects.toThrow(TaskOutputError);
    expect(readFileSync(runs, "utf8")).toBe("run\n");
  });

  it("called from an eager task's body, it runs inline as any local call", async () => {
    const ellipse = new ContainerTask({ name: "ellipse-inner", ...ELLIPSE, local: PROCESS });
    class Pipeline {
      @eager({ inputs: { a: Float }, outputs: Float })
      static async twice(a: number): Promise<number> {
        const first = (await ellipse.call(a, 1)) as { area: number };
        const second = (await ellipse.call(first.area, 1)) as { area: number };
        return second.area;
      }
    }
    expect(await taskOf(Pipeline.twice).call(2)).toBe(Math.PI * (Math.PI * 2));
  });

  it("FLYTEKIT_TS_CONTAINER_RUNTIME=process runs a task declared for Docker as a local process", async () => {
    setEnv({ FLYTEKIT_TS_CONTAINER_RUNTIME: "process" });
    const ellipse = new ContainerTask({ name: "ellipse-env", ...ELLIPSE, local: { runtime: "docker", workingDir: FIXTURES } });
    expect(await ellipse.call(1, 1)).toEqual({ area: Math.PI, metadata: "[from shell rawcontainer]" });
  });
});

describe("the secrets a raw container task requests", () => {
  // As Flyte's secret webhook gives them to the pod: ENV_VAR as _FSEC_<GROUP>_<KEY>, ANY and FILE as
  // /etc/flyte/secrets/<group>/<key>; the values read from this machine as a task's code reads them.
  const SECRETS = [
    new Secret({ group: "db", key: "password", mountRequirement: Secret.MountType.ENV_VAR }),
    new Secret({ group: "api", key: "token" }),
    new Secret({ group: "api", key: "user", mountRequirement: Secret.MountType.ENV_VAR, envVar: "API_USER" }),
  ];
  const READ = 'printf "%s|%s|%s|%s" "$_FSEC_DB_PASSWORD" "$(cat /etc/flyte/secrets/api/token)" "$API_USER" "$FLYTE_SECRETS_ENV_PREFIX" > /var/outputs/o0';

  it("as a local process: in the variables and the file Flyte would give, the secrets folder mapped", async () => {
    setEnv({ DB_PASSWORD: "pw-7f3a9c", API_TOKEN: "tok-51be0d", API_USER: "svc-reader" });
    const task = shellTask("secret-reader", ["sh", "-c", READ], { outputs: Str, secretRequests: SECRETS });
    expect(await task.call()).toBe("pw-7f3a9c|tok-51be0d|svc-reader|_FSEC_");
  });

  it("the folders given to the container let an image's non-root user read its inputs and secrets and write its outputs, as Flyte's volumes do; the run's scratch folder stays private", async () => {
    setEnv({ DB_PASSWORD: "pw-7f3a9c", API_TOKEN: "tok-51be0d", API_USER: "svc-reader" });
    const MODES = 'stat -c %a /var/inputs /var/inputs/x /var/outputs /etc/flyte/secrets /etc/flyte/secrets/api /etc/flyte/secrets/api/token /var/inputs/.. | tr "\\n" " " > /var/outputs/o0';
    const task = shellTask("modes", ["sh", "-c", MODES], { inputs: { x: Int }, outputs: Str, secretRequests: SECRETS });
    // inputs 755 (a file 644), outputs 777 (an emptyDir), secrets 755/644 (a secret volume's 0644), the scratch folder holding them 700.
    expect(await task.call(1)).toBe("755 644 777 755 755 644 700");
  });

  it("a secret the command prints to stderr is masked in the error", async () => {
    setEnv({ DB_PASSWORD: "pw-7f3a9c", API_TOKEN: "tok-51be0d", API_USER: "svc-reader" });
    const task = shellTask("secret-leaker", ["sh", "-c", 'echo "connecting with $_FSEC_DB_PASSWORD" >&2; exit 1'], { outputs: Str, secretRequests: SECRETS });
    const error = (await (task.call() as Promise<unknown>).then(() => undefined, (e: unknown) => e)) as Error;
    expect(error.message).toContain("connecting with ****");
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain("pw-7f3a9c");
  });

  it("a secret not found on this machine fails the run before the command starts, saying where it was looked for", async () => {
    setEnv({ DB_PASSWORD: undefined, _FSEC_DB_PASSWORD: undefined, API_TOKEN: "tok-51be0d", API_USER: "svc-reader" });
    const marker = join(mkdtempSync(join(tmpdir(), "ran-")), "ran");
    const task = shellTask("secret-missing", ["sh", "-c", `touch ${marker}`], { outputs: Str, secretRequests: SECRETS });
    await expect(task.call()).rejects.toThrow(/secret db\/password.*Unable to find secret for key password in group db/s);
    expect(existsSync(marker)).toBe(false);
  });

  it("through the docker stand-in: the secrets folder mounted read-only at /etc/flyte/secrets, and no value in docker's arguments", async () => {
    setEnv({ DB_PASSWORD: "pw-7f3a9c", API_TOKEN: "tok-51be0d", API_USER: "svc-reader" });
    const log = join(mkdtempSync(join(tmpdir(), "standin-log-")), "calls");
    const images = { "alpine:3.20": { entrypoint: [], cmd: [], workdir: FIXTURES } };
    setEnv({ PATH: `${standinBin()}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const task = shellTask("secret-docker", ["sh", "-c", READ], { outputs: Str, secretRequests: SECRETS, local: { runtime: "docker" } });
    expect(await task.call()).toBe("pw-7f3a9c|tok-51be0d|svc-reader|_FSEC_");
    const run = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[])[1]!;
    expect(run.flatMap((a, i) => (run[i - 1] === "-v" && a.includes("secrets") ? [a.replace(/^.*:\/etc/, "<secrets>:/etc")] : []))).toEqual(["<secrets>:/etc/flyte/secrets:ro"]);
    for (const value of ["pw-7f3a9c", "tok-51be0d", "svc-reader"]) expect(run.join(" ")).not.toContain(value);
  });
});

describe("a raw container task in a container engine", () => {
  const images = {
    "ghcr.io/flyteorg/rawcontainers-shell:v2": { entrypoint: ["/bin/false"], cmd: [], workdir: FIXTURES },
    // An image whose entrypoint is the script and whose CMD is a default it never runs here.
    "example/ellipse:1": { entrypoint: ["./calculate-ellipse-area.sh"], cmd: ["1", "1", "/var/outputs"], workdir: FIXTURES },
  };

  it("runtime auto with no engine answering: the error names each engine tried, why it failed, and how to ask for a process", async () => {
    setEnv({ PATH: `${standinBin()}:/usr/bin:/bin`, STANDIN_ENGINE: "down", FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const ellipse = new ContainerTask({ name: "ellipse-auto", ...ELLIPSE });
    await expect(ellipse.call(1, 2)).rejects.toThrow(
      "task 'ellipse-auto': cannot run its container locally: no container engine answered (runtime \"auto\" tries Docker, then Podman): " +
        "docker: its client is installed but 'docker info --format {{.ServerVersion}}' failed (exit code 1): Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?; " +
        "podman: not installed (no 'podman' on PATH); " +
        'start an engine, or run the command as a local process on this machine (the image is not used): give the task local: { runtime: "process" }, or set FLYTEKIT_TS_CONTAINER_RUNTIME=process',
    );
  });

  it("this machine's own docker client, with no engine: the same error (skipped where an engine answers)", async (ctx) => {
    if (engineAnswers()) ctx.skip();
    setEnv({ FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const ellipse = new ContainerTask({ name: "ellipse-here", ...ELLIPSE });
    await expect(ellipse.call(1, 2)).rejects.toThrow(/^task 'ellipse-here': cannot run its container locally: no container engine answered .*docker: .*; podman: .*; start an engine, or run the command as a local process/s);
  });

  it("through the docker stand-in: the outputs, and `docker run` given the mounts, the env and the command as entrypoint", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "standin-log-")), "calls");
    setEnv({ PATH: `${standinBin()}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const ellipse = new ContainerTask({ name: "ellipse-docker", ...ELLIPSE, environment: { MODE: "fast" } });
    expect(await ellipse.call(2, 3)).toEqual({ area: Math.PI * 6, metadata: "[from shell rawcontainer]" });
    const calls = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]);
    expect(calls[0]).toEqual(["info", "--format", "{{.ServerVersion}}"]);
    const run = calls[1]!;
    const mounts = run.flatMap((a, i) => (run[i - 1] === "-v" ? [a.replace(/^.*\/(inputs|outputs)-\w+:/, "<$1>:")] : []));
    expect(mounts).toEqual(["<inputs>:/var/inputs", "<outputs>:/var/outputs"]);
    // Variables go by name (`-e MODE`), their values through the client's environment: none shows in the process list.
    expect(run[run.indexOf("MODE") - 1]).toBe("-e");
    expect(run.join(" ")).not.toContain("fast");
    expect(run.slice(run.indexOf("--entrypoint"))).toEqual(["--entrypoint", "./calculate-ellipse-area.sh", "ghcr.io/flyteorg/rawcontainers-shell:v2", "2", "3", "/var/outputs"]);
  });

  it("with no command the image's entrypoint runs, the arguments replacing its CMD", async () => {
    const log = join(mkdtempSync(join(tmpdir(), "standin-log-")), "calls");
    setEnv({ PATH: `${standinBin()}:${process.env.PATH}`, STANDIN_LOG: log, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const ellipse = new ContainerTask({ ...ELLIPSE, name: "ellipse-entrypoint", image: "example/ellipse:1", command: [], arguments: ["{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"], local: { runtime: "docker" } });
    expect(await ellipse.call(3, 0.5)).toEqual({ area: Math.PI * 1.5, metadata: "[from shell rawcontainer]" });
    const run = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[])[1]!;
    expect(run).not.toContain("--entrypoint");
    expect(run.slice(run.indexOf("example/ellipse:1"))).toEqual(["example/ellipse:1", "3", "0.5", "/var/outputs"]);
  });

  it("in a container the metadata files name the input files where the container sees them", async () => {
    setEnv({ PATH: `${standinBin()}:${process.env.PATH}`, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const given = join(mkdtempSync(join(tmpdir(), "given-")), "payload.txt");
    writeFileSync(given, "payload");
    const common = { image: "ghcr.io/flyteorg/rawcontainers-shell:v2", inputDataDir: "/var/inputs", outputDataDir: "/var/outputs", inputs: { f: File, fs: List(File), n: Int }, outputs: Str, local: { runtime: "docker" as const } };
    const json = new ContainerTask({ ...common, name: "meta-docker-json", command: ["sh", "-c", "cat /var/inputs/inputs.json > /var/outputs/o0"] });
    expect(await json.call(given, [given], 7)).toBe('{"f":"/var/inputs/f","fs":["/var/inputs/fs/0"],"n":7}');
    const yaml = new ContainerTask({ ...common, name: "meta-docker-yaml", metadataFormat: "YAML", command: ["sh", "-c", "cat /var/inputs/inputs.yaml > /var/outputs/o0"] });
    expect(await yaml.call(given, [given], 7)).toBe('f: /var/inputs/f\nfs:\n- /var/inputs/fs/0\n"n": 7'); // "n" is quoted: YAML 1.1 reads a bare n as false
  });

  it("the task's timeout stops the container run through the engine", async () => {
    setEnv({ PATH: `${standinBin()}:${process.env.PATH}`, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const pids = join(mkdtempSync(join(tmpdir(), "pids-")), "pids");
    const slow = new ContainerTask({ ...ELLIPSE, name: "slow-docker", command: ["./sleep.sh"], timeout: 1, environment: { PID_FILE: pids }, local: { runtime: "docker" } });
    const started = Date.now();
    await expect(slow.call(1, 1)).rejects.toThrow("task 'slow-docker': it exceeded its timeout of 1s");
    const recorded = readFileSync(pids, "utf8").trim().split("\n").map(Number);
    while (recorded.some(running) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
    for (const pid of recorded) expect(running(pid), `pid ${pid}`).toBe(false);
  });

  it("a container that exits non-zero through the engine: its code and stderr", async () => {
    setEnv({ PATH: `${standinBin()}:${process.env.PATH}`, STANDIN_IMAGES: JSON.stringify(images), FLYTEKIT_TS_CONTAINER_RUNTIME: undefined });
    const fails = new ContainerTask({ ...ELLIPSE, name: "fails-docker", command: ["./fail.sh"], local: { runtime: "docker" } });
    await expect(fails.call(1, 1)).rejects.toThrow(
      `task 'fails-docker', container "ghcr.io/flyteorg/rawcontainers-shell:v2" (docker): it exited with code 3, and the last lines of its stderr were:\n  starting\n  boom: the input was negative`,
    );
  });
});

describe("flytekit-ts run of a module declaring raw container tasks", () => {
  const module = "support/raw-container-run-tasks.ts";
  const cli = (args: readonly string[], env: NodeJS.ProcessEnv = {}) => runProcess(process.execPath, [CLI_BIN, "run", module, ...args], { cwd: TEST_ROOT, env: { ...cleanEnv(), ...env } });

  it("runs the ellipse task and a task with a list and a file as local processes (FLYTEKIT_TS_CONTAINER_RUNTIME=process)", async () => {
    const r = await cli(["ellipse", "--a", "1.5", "--b", "2"], { FLYTEKIT_TS_CONTAINER_RUNTIME: "process" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`area: ${Math.PI * 3}\nmetadata: '[from shell rawcontainer]'\n`);
    const given = join(mkdtempSync(join(tmpdir(), "given-")), "payload.txt");
    writeFileSync(given, "payload");
    const m = await cli(["mixed", "--x", "1.5", "--s", "hi there", "--xs", "[0.25,2,3.5]", "--f", given], { FLYTEKIT_TS_CONTAINER_RUNTIME: "process" });
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/^total: 7\.25\nlabel: 'hi there \| 3 items \| x=1\.5'\nreport: \S+\/report\n$/);
  });

  it("with no engine and no runtime asked for, it fails with the no-engine error (skipped where an engine answers)", async (ctx) => {
    if (engineAnswers()) ctx.skip();
    const r = await cli(["ellipse", "--a", "1.5", "--b", "2"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^flytekit-ts: task 'ellipse-area-metadata-shell': cannot run its container locally: no container engine answered .*FLYTEKIT_TS_CONTAINER_RUNTIME=process\n$/s);
  });
});

it("the run's input and output folders are gone as soon as the call ends, while its attempt's scratch directory is still there", async () => {
  // The attempt's release removes the whole scratch directory anyway: looked at before it, this
  // sees what the run itself removed.
  const task = new ContainerTask({ name: "ellipse-kept", local: PROCESS, ...ELLIPSE });
  const context = new TaskExecutionContext({ taskName: task.name, services: localServices() });
  const out = await task.dispatchExecute(toLiteralMap({ a: Float, b: Float }, { a: 1, b: 2 }, "input", context), context);
  expect(fromLiteralMap({ area: Float, metadata: Str }, out, "output", context).area).toBeCloseTo(Math.PI * 2);
  expect(readdirSync(context.scratchDir)).toEqual([]);
  context.release(out);
});

it("the folder {{.outputPrefix}} named, and the secrets folder, are gone as soon as the call ends too", async () => {
  setEnv({ API_TOKEN: "tok-5c2e" });
  const task = shellTask("prefix-kept", ["sh", "-c", 'echo x > {{.outputPrefix}}/marker; cat /etc/flyte/secrets/api/token > /var/outputs/o0'], {
    outputs: Str,
    secretRequests: [new Secret({ group: "api", key: "token", mountRequirement: "FILE" })],
  });
  const context = new TaskExecutionContext({ taskName: task.name, services: localServices() });
  const out = await task.dispatchExecute(toLiteralMap({}, {}, "input", context), context);
  expect(fromLiteralMap({ o0: Str }, out, "output", context).o0).toBe("tok-5c2e");
  expect(readdirSync(context.scratchDir)).toEqual([]);
  context.release(out);
});

it("a multi-line secret (a PEM key) the command prints is masked line by line in the error and in its logs", async () => {
  const pem = "-----BEGIN KEY-----\nKEYLINEAAAABBBBCCCC\nKEYLINEDDDDEEEEFFFF\n-----END KEY-----";
  setEnv({ PEM_KEY: pem });
  const lines: string[] = [];
  const task = shellTask("pem-leaker", ["sh", "-c", "cat /etc/flyte/secrets/pem/key >&2; exit 1"], {
    outputs: Str,
    secretRequests: [new Secret({ group: "pem", key: "key" })],
    local: { ...PROCESS, logs: true },
  });
  const error = (await withServices({ logSink: (_level, line) => lines.push(line) }, () => task.call()).then(() => undefined, (e: unknown) => e)) as Error;
  expect(error.message).toContain("****");
  for (const text of [error.message, lines.join("\n")]) {
    for (const part of ["BEGIN KEY", "KEYLINEAAAA", "KEYLINEDDDD", "END KEY"]) expect(text).not.toContain(part);
  }
  expect(lines.length).toBeGreaterThan(0);
});
