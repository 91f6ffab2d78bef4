// The whole test run writes its temporary files (its own and those of the processes it starts)
// under one directory of its own, removed when the run ends: `npm test` leaves nothing in /tmp.
// Every process it starts is kept off AWS's instance metadata service.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-tests-"));
  process.env.TMPDIR = dir;
  // No test may reach beyond loopback: an AWS SDK (ours, or botocore under pyflyte-execute) that finds
  // no credentials would otherwise ask the instance metadata service at 169.254.169.254.
  process.env.AWS_EC2_METADATA_DISABLED = "true";
  return () => rmSync(dir, { recursive: true, force: true });
}
