// One transfer of a file against an S3 server, in a process of its own so that its peak RSS is its
// own: `node dist/transfer.js <ours|sdk> <up|down> <file> <s3://bucket/key>`. "ours" goes through
// the store every task uses (the router, which loads the S3 store from FLYTE_AWS_*); "sdk" is the
// AWS SDK used directly, the copy core depends on, configured as our store configures it for a
// non-AWS endpoint (path-style, checksums only when required), with lib-storage's Upload at its
// defaults and GetObject's body piped into the file. Prints {"ns": <transfer time>, "maxRss": <bytes>}.
import { defaultStorage } from "@flytekit-ts/core/extend";
import { createReadStream, createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";

const [who, direction, file, uri] = process.argv.slice(2) as [string, string, string, string];
const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
if (bucket === undefined || key === undefined || !["ours", "sdk"].includes(who) || !["up", "down"].includes(direction)) {
  throw new Error("usage: transfer.js <ours|sdk> <up|down> <file> <s3://bucket/key>");
}

async function sdkTransfer(): Promise<() => Promise<void>> {
  // The SDK core resolves (and bundles into its s3 chunk), not a copy of the bench's own.
  const fromCore = createRequire(createRequire(import.meta.url).resolve("@flytekit-ts/core/package.json"));
  const { S3Client, GetObjectCommand } = (await import(fromCore.resolve("@aws-sdk/client-s3"))) as typeof import("@aws-sdk/client-s3");
  const { Upload } = (await import(fromCore.resolve("@aws-sdk/lib-storage"))) as typeof import("@aws-sdk/lib-storage");
  const env = process.env;
  const client = new S3Client({
    endpoint: env.FLYTE_AWS_ENDPOINT,
    region: env.AWS_REGION ?? "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: env.FLYTE_AWS_ACCESS_KEY_ID ?? "", secretAccessKey: env.FLYTE_AWS_SECRET_ACCESS_KEY ?? "" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  if (direction === "up") return async () => void (await new Upload({ client, params: { Bucket: bucket, Key: key, Body: createReadStream(file) } }).done());
  return async () => {
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    await pipeline(got.Body as Readable, createWriteStream(file));
  };
}

const transfer =
  who === "sdk"
    ? await sdkTransfer()
    : direction === "up"
      ? () => defaultStorage.upload(file, uri)
      : () => defaultStorage.download(uri, file);
// Our store loads on its first use: load it first, so that both time the transfer alone.
if (who === "ours") await defaultStorage.exists(uri);
const start = process.hrtime.bigint();
await transfer();
const ns = Number(process.hrtime.bigint() - start);
console.log(JSON.stringify({ ns, maxRss: process.resourceUsage().maxRSS * 1024 }));
