// What `serialize` and `package` accept for where tasks are registered and what they run in,
// checked as Flyte checks it, before anything is written: a value with a newline or a space in it
// would otherwise reach the TaskSpec and the container's command line as it is.
import { CliError } from "./discover.js";

/** Flyte's rule for a project id (flyteadmin validates it as a DNS-1123 label); domains follow it too. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A version: letters, digits and `_ . - + : @ = ~`, not starting with `-`, at most 255 characters. */
const VERSION = /^[A-Za-z0-9_.+:@=~][A-Za-z0-9_.+:@=~-]{0,254}$/;

// An image reference, by the grammar of the distribution project (docker's): an optional registry
// host (with a port), a lowercase repository path, then a tag and/or a digest.
const HOST_PART = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `${HOST_PART}(?:\\.${HOST_PART})*(?::[0-9]+)?`;
const PATH_PART = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const IMAGE = new RegExp(`^(?:${HOST}/)?${PATH_PART}(?:/${PATH_PART})*(?::${TAG})?(?:@${DIGEST})?$`);

/** An environment variable's name, as a shell and Kubernetes take it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function describe(value: string): string {
  const bad = [...value].find((c) => /[\s\p{Cc}]/u.test(c));
  return bad === undefined ? JSON.stringify(value) : `${JSON.stringify(value)}, which holds ${bad === " " ? "a space" : `the character U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`}`;
}

/** --project and --domain: empty (left to flytectl, as pyflyte package leaves them) or Flyte's id rule. */
export function checkIdentifier(flag: "--project" | "--domain", value: string): string {
  if (value === "" || DNS_LABEL.test(value)) return value;
  throw new CliError({
    subject: flag,
    expected: `a ${flag.slice(2)} id as Flyte takes it: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
    got: describe(value),
  });
}

/** --version: empty (left to flytectl) or a version without spaces, newlines or a leading '-'. */
export function checkVersion(value: string): string {
  if (value === "" || VERSION.test(value)) return value;
  throw new CliError({ subject: "--version", expected: "a version of letters, digits and _ . - + : @ = ~ (not starting with '-'), at most 255 characters", got: describe(value) });
}

/** --image IMAGE or --image NAME=IMAGE: the image must be a reference a container runtime can pull. */
export function checkImage(value: string): string {
  const eq = value.indexOf("=");
  const name = eq < 0 ? undefined : value.slice(0, eq);
  const image = eq < 0 ? value : value.slice(eq + 1);
  if (name !== undefined && !/^[A-Za-z0-9_-]+$/.test(name)) {
    throw new CliError({ subject: "--image", expected: "NAME=IMAGE with a NAME of letters, digits, '_' and '-'", got: describe(value) });
  }
  if (!IMAGE.test(image)) {
    throw new CliError({
      subject: name === undefined ? "--image" : `--image ${name}`,
      expected: "an image reference: [registry[:port]/]repository[:tag][@digest], the repository in lowercase",
      got: describe(image),
    });
  }
  return value;
}

/** --env KEY=VALUE: KEY a variable name. */
export function checkEnvName(key: string, given: string): string {
  if (ENV_NAME.test(key)) return key;
  throw new CliError({ subject: "--env", expected: "KEY=VALUE with KEY a variable name (letters, digits, '_', '.', '-', not starting with a digit)", got: describe(given) });
}
