// Our generated protobuf-es code and the protobufjs build shipped in @flyteorg/flyteidl must read
// each other's bytes with every field intact: that is our proof that Flyte reads what we write.
import { create, equals, fromBinary, toBinary, type DescMessage, type Message, type MessageInitShape } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { describe, expect, it } from "vitest";
import { pbjs } from "./support/pbjs.js";
import {
  BlobType_BlobDimensionality,
  Container_Architecture,
  DataLoadingConfig_LiteralMapFormat,
  IOStrategy_DownloadMode,
  IOStrategy_UploadMode,
  LiteralMapSchema,
  LiteralSchema,
  PrimitiveSchema,
  OAuth2TokenRequest_Type,
  ResourceType,
  Resources_ResourceName,
  RuntimeMetadata_RuntimeType,
  Secret_MountType,
  SimpleType,
  Sql_Dialect,
  TaskTemplateSchema,
} from "@flytekit-ts/core/idl";

const core = pbjs.flyteidl.core;

/** Paths of fields left unset in a message and its sub-messages (oneof alternatives not chosen are fine). */
function unsetFields(schema: DescMessage, message: Message, prefix = ""): string[] {
  const r = reflect(schema, message);
  const missing: string[] = [];
  for (const field of r.fields) {
    if (field.oneof !== undefined && r.oneofCase(field.oneof) !== field && r.oneofCase(field.oneof) !== undefined) continue;
    const path = `${prefix}${field.localName}`;
    if (!r.isSet(field)) {
      missing.push(path);
      continue;
    }
    if (field.fieldKind === "message" && field.message.typeName.startsWith("flyteidl.")) {
      const sub = r.get(field) as unknown as { message: Message; desc: DescMessage };
      missing.push(...unsetFields(sub.desc, sub.message, `${path}.`));
    }
  }
  return missing;
}

/** An INTEGER LiteralType as an init object (spreading a created message would keep its $typeName). */
const intType = () => ({ type: { case: "simple" as const, value: SimpleType.INTEGER } });

function richTemplate(target: "container" | "k8sPod" | "sql") {
  const base = {
    id: { resourceType: ResourceType.TASK, project: "p", domain: "d", name: "examples.math.Pipelines.add", version: "v1", org: "o" },
    type: "typescript-task",
    metadata: {
      discoverable: true,
      runtime: { type: RuntimeMetadata_RuntimeType.FLYTE_SDK, version: "0.1.0", flavor: "typescript" },
      timeout: { seconds: 300n, nanos: 5 },
      retries: { retries: 3 },
      discoveryVersion: "1.0",
      deprecatedErrorMessage: "use add2",
      interruptibleValue: { case: "interruptible" as const, value: true },
      cacheSerializable: true,
      tags: { team: "ml" },
      podTemplateName: "pt",
      cacheIgnoreInputVars: ["a", "b"],
      isEager: true,
      generatesDeck: true,
      metadata: { labels: { l: "1" }, annotations: { a: "2" } },
    },
    interface: {
      inputs: {
        variables: {
          x: {
            type: {
              type: { case: "unionType" as const, value: { variants: [{ ...intType(), structure: { tag: "int" } }] } },
              metadata: { title: "X", required: ["x"], n: 1.5 },
              annotation: { annotations: { "cache-key-metadata": { "serialization-format": "msgpack" } } },
              structure: { tag: "t", dataclassType: { f: intType() } },
            },
            description: "the x ✓",
            artifactPartialId: { version: "av", artifactKey: { project: "ap", domain: "ad", name: "an", org: "ao" } },
            artifactTag: { value: { value: { case: "staticValue" as const, value: "sv" } }, artifactKey: { project: "tp", domain: "td", name: "tn", org: "to" } },
          },
        },
      },
      outputs: {
        variables: {
          o0: {
            type: { type: { case: "blob" as const, value: { format: "csv", dimensionality: BlobType_BlobDimensionality.MULTIPART } } },
            description: "o0",
          },
        },
      },
    },
    custom: { query: "select 1", nested: { list: [1, "two", true, null] } },
    taskTypeVersion: 2,
    securityContext: {
      runAs: {
        iamRole: "role",
        k8sServiceAccount: "sa",
        oauth2Client: {
          clientId: "cid",
          clientSecret: { group: "g", groupVersion: "gv", key: "k", mountRequirement: Secret_MountType.FILE, envVar: "CS" },
        },
        executionIdentity: "ei",
      },
      secrets: [
        { group: "g", groupVersion: "v1", key: "k", mountRequirement: Secret_MountType.ENV_VAR, envVar: "MY_SECRET" },
      ],
      tokens: [
        {
          name: "tok",
          type: OAuth2TokenRequest_Type.CLIENT_CREDENTIALS,
          client: { clientId: "c", clientSecret: { group: "cg", key: "ck" } },
          idpDiscoveryEndpoint: "https://idp",
          tokenEndpoint: "https://token",
        },
      ],
    },
    extendedResources: {
      gpuAccelerator: { device: "nvidia-tesla-a100", partitionSizeValue: { case: "partitionSize" as const, value: "2g.10gb" } },
      sharedMemory: { mountPath: "/dev/shm", mountName: "flyte-shared-memory", sizeLimit: "2Gi" },
    },
    config: { primary_container_name: "primary" },
  };
  const dataConfig = {
    enabled: true,
    inputPath: "/var/inputs",
    outputPath: "/var/outputs",
    format: DataLoadingConfig_LiteralMapFormat.PROTO,
    ioStrategy: { downloadMode: IOStrategy_DownloadMode.DO_NOT_DOWNLOAD, uploadMode: IOStrategy_UploadMode.UPLOAD_EAGER },
  };
  const targets = {
    container: {
      case: "container" as const,
      value: {
        image: "docker.io/xyz:some-git-hash",
        command: ["node"],
        args: ["flytekit-ts-execute", "--inputs", "{{.input}}"],
        resources: {
          requests: [
            { name: Resources_ResourceName.EPHEMERAL_STORAGE, value: "500Mi" },
            { name: Resources_ResourceName.CPU, value: "1" },
          ],
          limits: [{ name: Resources_ResourceName.MEMORY, value: "400M" }],
        },
        env: [{ key: "FOO", value: "bar" }],
        config: [{ key: "c", value: "v" }],
        ports: [{ containerPort: 8080, name: "http" }],
        dataConfig,
        architecture: Container_Architecture.ARM64,
      },
    },
    k8sPod: {
      case: "k8sPod" as const,
      value: {
        metadata: { labels: { app: "x" }, annotations: { note: "y" } },
        podSpec: { containers: [{ name: "primary", image: "img", args: ["a"] }], restartPolicy: "Never" },
        dataConfig,
        primaryContainerName: "primary",
      },
    },
    sql: { case: "sql" as const, value: { statement: "select * from t where a = {{ .inputs.a }}", dialect: Sql_Dialect.ANSI } },
  };
  return create(TaskTemplateSchema, { ...base, target: targets[target] });
}

describe("TaskTemplate bytes between protobuf-es and Flyte's protobufjs build", () => {
  for (const target of ["container", "k8sPod", "sql"] as const) {
    it(`keeps every field of a rich template with a ${target} target, both ways`, () => {
      const ours = richTemplate(target);
      expect(unsetFields(TaskTemplateSchema, ours).filter((p) => !p.startsWith("interface.outputs.variables"))).toEqual([]);

      const bytes = toBinary(TaskTemplateSchema, ours);
      const theirs = core.TaskTemplate!.decode(bytes);
      expect(core.TaskTemplate!.verify(theirs)).toBeNull();
      // What protobufjs read, field by field where the meaning matters.
      expect(theirs.id.name).toBe("examples.math.Pipelines.add");
      expect(theirs.id.resourceType).toBe(ResourceType.TASK);
      expect(theirs.metadata.retries.retries).toBe(3);
      expect(theirs.metadata.timeout.seconds.toString()).toBe("300");
      expect(theirs.metadata.interruptible).toBe(true);
      expect(theirs.metadata.generatesDeck.value).toBe(true);
      expect(theirs.metadata.runtime.flavor).toBe("typescript");
      expect(theirs.metadata.cacheIgnoreInputVars).toEqual(["a", "b"]);
      expect(theirs.interface.inputs.variables.x.description).toBe("the x ✓");
      expect(theirs.interface.inputs.variables.x.type.unionType.variants[0].structure.tag).toBe("int");
      expect(theirs.custom.fields.query.stringValue).toBe("select 1");
      expect(theirs.securityContext.secrets[0].envVar).toBe("MY_SECRET");
      expect(theirs.extendedResources.gpuAccelerator.partitionSize).toBe("2g.10gb");
      expect(theirs.taskTypeVersion).toBe(2);
      expect(theirs.config.primary_container_name).toBe("primary");
      if (target === "container") expect(theirs.container.resources.requests[1].value).toBe("1");
      if (target === "k8sPod") expect(theirs.k8sPod.podSpec.fields.restartPolicy.stringValue).toBe("Never");
      if (target === "sql") expect(theirs.sql.dialect).toBe(Sql_Dialect.ANSI);

      // protobufjs writes back everything it read; we read that back equal to what we wrote.
      const back = fromBinary(TaskTemplateSchema, core.TaskTemplate!.encode(theirs).finish());
      expect(equals(TaskTemplateSchema, back, ours)).toBe(true);
    });
  }

  it("reads a template that protobufjs built", () => {
    const theirs = core.TaskTemplate!.create({
      id: { resourceType: 1, project: "p", domain: "d", name: "t", version: "v" },
      type: "python-task",
      metadata: { retries: { retries: 2 }, runtime: { type: 1, version: "1.16.24", flavor: "python" }, generatesDeck: { value: false } },
      container: { image: "img", args: ["pyflyte-execute"], resources: { requests: [{ name: 1, value: "2" }] } },
      config: { k: "v" },
    });
    const ours = fromBinary(TaskTemplateSchema, core.TaskTemplate!.encode(theirs).finish());
    expect(ours.id?.name).toBe("t");
    expect(ours.metadata?.retries?.retries).toBe(2);
    expect(ours.metadata?.runtime?.flavor).toBe("python");
    expect(ours.metadata?.generatesDeck).toBe(false);
    expect(ours.target.case).toBe("container");
    expect(ours.target.case === "container" && ours.target.value.resources?.requests[0]?.name).toBe(Resources_ResourceName.CPU);
    expect(ours.config).toEqual({ k: "v" });
    // Back through protobufjs: what it reads of our bytes is what it built.
    const again = core.TaskTemplate!.decode(toBinary(TaskTemplateSchema, ours));
    expect(equals(TaskTemplateSchema, fromBinary(TaskTemplateSchema, core.TaskTemplate!.encode(again).finish()), ours)).toBe(true);
  });
});

function richLiteralMap() {
  const int = (n: bigint) => ({ value: { case: "scalar" as const, value: { value: { case: "primitive" as const, value: { value: { case: "integer" as const, value: n } } } } } });
  const scalar = <C extends string, V>(c: C, v: V) => ({ value: { case: "scalar" as const, value: { value: { case: c, value: v } } } });
  const prim = (value: MessageInitShape<typeof PrimitiveSchema>["value"]) => scalar("primitive" as const, { value });
  return create(LiteralMapSchema, {
    literals: {
      int_max: int(9223372036854775807n),
      int_min: int(-9223372036854775808n),
      float_nan: prim({ case: "floatValue", value: Number.NaN }),
      float_inf: prim({ case: "floatValue", value: Number.NEGATIVE_INFINITY }),
      str: prim({ case: "stringValue", value: "héllo ✓ 🚀" }),
      bool: prim({ case: "boolean", value: false }),
      before_1970: prim({ case: "datetime", value: { seconds: -1n, nanos: 999000000 } }),
      duration: prim({ case: "duration", value: { seconds: 90n, nanos: 5000 } }),
      blob: scalar("blob", { metadata: { type: { format: "csv", dimensionality: BlobType_BlobDimensionality.SINGLE } }, uri: "s3://b/k.csv" }),
      binary: scalar("binary", { value: new Uint8Array([0x82, 0xa1, 0x78, 0x01]), tag: "msgpack" }),
      schema: scalar("schema", { uri: "s3://schema", type: { columns: [{ name: "c", type: 2 }] } }),
      none: scalar("noneType", {}),
      error: scalar("error", { failedNodeId: "n0", message: "boom" }),
      generic: scalar("generic", { a: 1, b: ["x", null, { c: true }] }),
      sd: scalar("structuredDataset", { uri: "s3://d.parquet", metadata: { structuredDatasetType: { format: "parquet", columns: [{ name: "a", literalType: intType() }] } } }),
      union: scalar("union", { value: int(5n), type: { ...intType(), structure: { tag: "int" } } }),
      list: { value: { case: "collection" as const, value: { literals: [int(1n), { value: { case: "collection" as const, value: { literals: [] } } }] } } },
      map: { value: { case: "map" as const, value: { literals: { k: int(2n), empty: { value: { case: "map" as const, value: { literals: {} } } } } } } },
      offloaded: { value: { case: "offloadedMetadata" as const, value: { uri: "s3://o/x_offloaded_metadata.pb", sizeBytes: 12345678901n, inferredType: intType() } }, hash: "abc123" },
      with_metadata: { ...int(7n), metadata: { origin: "test" } },
    },
  });
}

describe("LiteralMap bytes between protobuf-es and Flyte's protobufjs build", () => {
  it("keeps every literal kind, both ways", () => {
    const ours = richLiteralMap();
    const bytes = toBinary(LiteralMapSchema, ours);
    const theirs = core.LiteralMap!.decode(bytes);
    expect(core.LiteralMap!.verify(theirs)).toBeNull();
    const l = theirs.literals;
    expect(l.int_max.scalar.primitive.integer.toString()).toBe("9223372036854775807");
    expect(l.int_min.scalar.primitive.integer.toString()).toBe("-9223372036854775808");
    expect(Number.isNaN(l.float_nan.scalar.primitive.floatValue)).toBe(true);
    expect(l.float_inf.scalar.primitive.floatValue).toBe(Number.NEGATIVE_INFINITY);
    expect(l.str.scalar.primitive.stringValue).toBe("héllo ✓ 🚀");
    expect(l.before_1970.scalar.primitive.datetime.seconds.toString()).toBe("-1");
    expect(l.before_1970.scalar.primitive.datetime.nanos).toBe(999000000);
    expect(l.blob.scalar.blob.uri).toBe("s3://b/k.csv");
    expect([...l.binary.scalar.binary.value]).toEqual([0x82, 0xa1, 0x78, 0x01]);
    expect(l.none.scalar.noneType).toBeDefined();
    expect(l.generic.scalar.generic.fields.b.listValue.values[2].structValue.fields.c.boolValue).toBe(true);
    expect(l.union.scalar.union.type.structure.tag).toBe("int");
    expect(l.list.collection.literals).toHaveLength(2);
    expect(l.map.map.literals.k.scalar.primitive.integer.toString()).toBe("2");
    expect(l.offloaded.offloadedMetadata.sizeBytes.toString()).toBe("12345678901");
    expect(l.offloaded.hash).toBe("abc123");
    expect(l.with_metadata.metadata.origin).toBe("test");

    const back = fromBinary(LiteralMapSchema, core.LiteralMap!.encode(theirs).finish());
    expect(Object.keys(back.literals).sort()).toEqual(Object.keys(ours.literals).sort());
    for (const [key, literal] of Object.entries(ours.literals)) {
      // NaN != NaN, so the NaN literal is compared by its bytes.
      expect(toBinary(LiteralSchema, back.literals[key]!), key).toEqual(toBinary(LiteralSchema, literal));
      if (key !== "float_nan") expect(equals(LiteralSchema, back.literals[key]!, literal), key).toBe(true);
    }
  });

  it("reads a LiteralMap that protobufjs built", () => {
    const theirs = core.LiteralMap!.create({
      literals: {
        a: { scalar: { primitive: { integer: 42 } } },
        b: { collection: { literals: [{ scalar: { primitive: { stringValue: "x" } } }] } },
        c: { scalar: { binary: { value: new Uint8Array([1, 2, 3]), tag: "msgpack" } } },
      },
    });
    const ours = fromBinary(LiteralMapSchema, core.LiteralMap!.encode(theirs).finish());
    const a = ours.literals.a!.value;
    expect(a.case === "scalar" && a.value.value.case === "primitive" && a.value.value.value.value).toEqual({ case: "integer", value: 42n });
    const b = ours.literals.b!.value;
    expect(b.case === "collection" && b.value.literals).toHaveLength(1);
    const c = ours.literals.c!.value;
    expect(c.case === "scalar" && c.value.value.case === "binary" && [...c.value.value.value.value]).toEqual([1, 2, 3]);
  });
});
