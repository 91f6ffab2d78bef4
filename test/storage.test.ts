// The storage interface is the only thing a remote store (s3, gs, abfs) has to implement: here an
// in-memory store registered for mem:// carries a whole execution (inputs, outputs, a file and a
// directory the task returns, a file it is given) with nothing else in flytekit-ts changed.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { execute, parseExecuteArgs } from "@flytekit-ts/core/execute";
import { ContainerError_Kind, ErrorDocumentSchema, ExecutionError_ErrorKind, LiteralMapSchema } from "@flytekit-ts/core/idl";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { fromLiteralMap, toLiteralMap } from "@flytekit-ts/core/internal";
import { currentContext, File, FlyteFile, functionTask, Int, registerStorage, type Storage, Str, taskOf, withServices } from "@flytekit-ts/core";
import { StorageRouter } from "@flytekit-ts/core/extend";
import { EntryTasks } from "./support/entry-tasks.js";

/** Objects by URI, in memory; a directory is the objects under its prefix. */
class MemoryStorage implements Storage {
  readonly objects = new Map<string, Uint8Array>();

  async read(uri: string): Promise<Uint8Array> {
    const bytes = this.objects.get(uri);
    if (bytes === undefined) throw new Error(`no object at ${uri}`);
    return bytes;
  }

  async write(uri: string, bytes: Uint8Array): Promise<void> {
    this.objects.set(uri, bytes);
  }

  async upload(localPath: string, uri: string): Promise<void> {
    if (!statSync(localPath).isDirectory()) {
      this.objects.set(uri, readFileSync(localPath));
      return;
    }
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else this.objects.set(`${uri}/${relative(localPath, path)}`, readFileSync(path));
      }
    };
    walk(localPath);
  }

  async download(uri: string, localPath: string): Promise<void> {
    const exact = this.objects.get(uri);
    if (exact !== undefined) {
      mkdirSync(dirname(localPath), { recursive: true });
      writeFileSync(localPath, exact);
      return;
    }
    for (const [key, bytes] of this.objects) {
      if (!key.startsWith(`${uri}/`)) continue;
      const target = join(localPath, key.slice(uri.length + 1));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
  }

  async exists(uri: string): Promise<boolean> {
    return this.objects.has(uri) || [...this.objects.keys()].some((k) => k.startsWith(`${uri}/`));
  }
}

const MODULE = join(import.meta.dirname, "support/entry-tasks.ts");
const store = new MemoryStorage();
registerStorage("mem", store);

function args(task: string, run: string): string[] {
  return [
    "--inputs", `mem://bucket/${run}/inputs.pb`,
    "--output-prefix", `mem://bucket/${run}/out`,
    "--raw-output-data-prefix", `mem://bucket/${run}/raw`,
    "--checkpoint-path", `mem://bucket/${run}/cp`,
    "--prev-checkpoint", '""',
    "--resolver", "flytekit-ts.DefaultTaskResolver",
    "--", "task-module", MODULE, "task-name", task,
  ];
}

describe("a remote store through the Storage interface alone", () => {
  it("reads inputs.pb from it and writes outputs.pb to it", async () => {
    await store.write("mem://bucket/add/inputs.pb", toBinary(LiteralMapSchema, toLiteralMap({ x: Int, y: Int }, { x: 2, y: 3 })));
    const { code, report } = await execute(parseExecuteArgs(args("EntryTasks.add", "add")), {}, () => {});
    expect({ code, wrote: report.wrote }).toEqual({ code: 0, wrote: "outputs" });
    const outputs = fromBinary(LiteralMapSchema, await store.read("mem://bucket/add/out/outputs.pb"));
    expect(fromLiteralMap({ o0: Int }, outputs, "output")).toEqual({ o0: 5 });
  });

  it("uploads the files and directories a task returns under the raw output prefix", async () => {
    await store.write("mem://bucket/files/inputs.pb", toBinary(LiteralMapSchema, toLiteralMap({ text: Str }, { text: "remote" })));
    const { code } = await execute(parseExecuteArgs(args("EntryTasks.writeFiles", "files")), {}, () => {});
    expect(code).toBe(0);
    const outputs = fromBinary(LiteralMapSchema, await store.read("mem://bucket/files/out/outputs.pb"));
    const uri = (name: string) => (outputs.literals[name]!.value.value as { value: { value: { uri: string } } }).value.value.uri;
    expect(uri("report")).toMatch(/^mem:\/\/bucket\/files\/raw\/[0-9a-f]{32}\/report\.txt$/);
    expect(new TextDecoder().decode(await store.read(uri("report")))).toBe("remote");
    expect(new TextDecoder().decode(await store.read(`${uri("bundle")}/b.txt`))).toBe("remote-b");
  });

  it("downloads a file input from it", async () => {
    await store.write("mem://bucket/data/in.txt", new TextEncoder().encode("from the store"));
    await store.write("mem://bucket/read/inputs.pb", toBinary(LiteralMapSchema, toLiteralMap({ f: File }, { f: "mem://bucket/data/in.txt" })));
    const { code, report } = await execute(parseExecuteArgs(args("EntryTasks.readFile", "read")), {}, () => {});
    expect(code, String(report.error)).toBe(0);
    const outputs = fromBinary(LiteralMapSchema, await store.read("mem://bucket/read/out/outputs.pb"));
    expect(fromLiteralMap({ o0: Str }, outputs, "output")).toEqual({ o0: "from the store" });
  });

  it("reports an object it cannot read as a recoverable system error, written to the same store", async () => {
    const { code, report } = await execute(parseExecuteArgs(args("EntryTasks.add", "missing")), {}, () => {});
    expect({ code, wrote: report.wrote }).toEqual({ code: 0, wrote: "error" });
    const doc = fromBinary(ErrorDocumentSchema, await store.read("mem://bucket/missing/out/error.pb"));
    expect(doc.error).toMatchObject({ code: "SYSTEM", kind: ContainerError_Kind.RECOVERABLE, origin: ExecutionError_ErrorKind.SYSTEM });
    expect(doc.error!.message).toContain("no object at mem://bucket/missing/inputs.pb");
  });
});

describe("the same store in a local call: services come through the task's context, not a setter", () => {
  it("a local call downloads a mem:// file input through the registered store (the entrypoint set nothing up)", async () => {
    await store.write("mem://bucket/a.txt", new TextEncoder().encode("read locally"));
    const readFile = taskOf(EntryTasks.readFile);
    expect(await readFile.invoke({ f: new FlyteFile("mem://bucket/a.txt") })).toBe("read locally");
    expect(await readFile.invoke({ f: "mem://bucket/a.txt" })).toBe("read locally");
  });

  it("an executor reads through its context's storage, and withServices gives local calls another store", async () => {
    const other = new MemoryStorage();
    await other.write("mem://bucket/a.txt", new TextEncoder().encode("from the other store"));
    const readFile = taskOf(EntryTasks.readFile);
    const viaOther = await withServices({ storage: new StorageRouter(new Map([["mem", other]])) }, () => readFile.invoke({ f: "mem://bucket/a.txt" }));
    expect(viaOther).toBe("from the other store");
    // Outside the scope, the registered store again.
    expect(await readFile.invoke({ f: "mem://bucket/a.txt" })).toBe("read locally");
    const peek = functionTask({ name: "peek", inputs: { uri: Str }, outputs: Str }, async ({ uri }) => new TextDecoder().decode(await currentContext().storage.read(uri)));
    expect(await peek({ uri: "mem://bucket/a.txt" })).toBe("read locally");
  });

  it("a file a task got from a literal keeps the store it was read through, after the task returns", async () => {
    const other = new MemoryStorage();
    await other.write("mem://bucket/kept.txt", new TextEncoder().encode("kept"));
    const pass = functionTask({ name: "pass-file", inputs: { f: File }, outputs: File }, ({ f }) => f);
    const out = withServices({ storage: new StorageRouter(new Map([["mem", other]])) }, () => pass({ f: "mem://bucket/kept.txt" })) as FlyteFile;
    expect(readFileSync(await out.download(), "utf8")).toBe("kept");
  });
});
