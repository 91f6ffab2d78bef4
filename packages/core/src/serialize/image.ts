// Container images at registration, as flytekit resolves them (python_auto_container.py and
// configuration/__init__.py): a default image and named images, and templates in a task's
// containerImage such as `{{.images.NAME.fqn}}:{{.images.NAME.version}}`.
import { brand, FlyteError } from "../errors/flyte-error.js";

/** Raised for an image flytekit-ts cannot resolve. */
export class ImageError extends FlyteError {}
brand(ImageError, "ImageError");

/** One image: its name in the configuration, its fully qualified name, and a tag or a digest. */
export class Image {
  constructor(
    readonly name: string,
    readonly fqn: string,
    readonly tag?: string,
    readonly digest?: string,
  ) {
    if (tag !== undefined && digest !== undefined) {
      throw new ImageError({ subject: `image ${fqn}`, problem: `Cannot specify both tag and digest. Got tag=${tag} and digest=${digest}` });
    }
  }

  /** The full name: `fqn:tag`, or `fqn@digest`. */
  get full(): string {
    return this.digest !== undefined ? `${this.fqn}@${this.digest}` : `${this.fqn}:${this.tag ?? ""}`;
  }

  /** The tag or the digest. */
  get version(): string | undefined {
    return this.digest ?? this.tag;
  }

  /** Parses `registry/name:tag` or `registry/name@sha256:...`; a tag or digest is required unless allowed otherwise. */
  static parse(name: string, identifier: string, allowNoVersion = false): Image {
    let fqn = identifier;
    let tag: string | undefined;
    let digest: string | undefined;
    const at = identifier.lastIndexOf("@");
    if (at >= 0) {
      fqn = identifier.slice(0, at);
      digest = identifier.slice(at + 1);
    } else {
      const colon = identifier.lastIndexOf(":");
      if (colon >= 0 && !identifier.slice(colon + 1).includes("/")) {
        fqn = identifier.slice(0, colon);
        tag = identifier.slice(colon + 1);
      }
    }
    if (!allowNoVersion && tag === undefined && digest === undefined) {
      throw new ImageError({ subject: `image ${identifier}`, problem: `Incorrectly formatted image ${identifier}, missing tag or digest` });
    }
    return new Image(name, fqn, tag, digest);
  }
}

export const DEFAULT_IMAGE_NAME = "default";

/** The images a registration can use: a default one and named others. */
export class ImageConfig {
  readonly defaultImage: Image | undefined;
  readonly images: readonly Image[];

  constructor(defaultImage?: Image, others: readonly Image[] = []) {
    this.defaultImage = defaultImage;
    this.images = defaultImage === undefined ? [...others] : [defaultImage, ...others];
  }

  /** `ImageConfig.auto("docker.io/xyz:tag", { other: "docker.io/other:1" })`. */
  static auto(defaultImage?: string, others: Readonly<Record<string, string>> = {}): ImageConfig {
    return new ImageConfig(
      defaultImage === undefined ? undefined : Image.parse(DEFAULT_IMAGE_NAME, defaultImage),
      Object.entries(others).map(([name, id]) => Image.parse(name, id)),
    );
  }

  /**
   * From command-line values: `image` or `default=image` for the default image, `name=image` for
   * the others (flytekit's `--image`).
   */
  static fromFlags(values: readonly string[]): ImageConfig {
    let defaultImage: Image | undefined;
    const others: Image[] = [];
    for (const v of values) {
      const eq = v.indexOf("=");
      const image = eq >= 0 ? Image.parse(v.slice(0, eq), v.slice(eq + 1)) : Image.parse(DEFAULT_IMAGE_NAME, v);
      if (image.name === DEFAULT_IMAGE_NAME) {
        if (defaultImage !== undefined) {
          throw new ImageError({ subject: "images", problem: `Only one default image can be specified. Received multiple ${defaultImage.full} & ${image.full}` });
        }
        defaultImage = image;
      } else {
        others.push(image);
      }
    }
    return new ImageConfig(defaultImage, others);
  }

  findImage(name: string): Image | undefined {
    return this.images.find((i) => i.name === name);
  }
}

const IMAGE_TEMPLATE = /(\{\{\s*\.images?(?:\.([a-zA-Z0-9_-]+))(?:\.([a-zA-Z0-9_-]+))?\s*\}\})/gi;

/**
 * The image to register for a task: its own (templates resolved), or the default image.
 * Templates: `{{.images.NAME.fqn}}`, `{{.images.NAME.version}}`, `{{.images.NAME}}` (`.image.` too,
 * any case, spaces allowed); a digest version after `:` becomes `@digest`.
 */
export function resolveContainerImage(image: string | undefined, config: ImageConfig): string {
  if (image !== undefined && image !== "") {
    let out = image;
    for (const m of image.matchAll(IMAGE_TEMPLATE)) {
      const [, group, name, attr = ""] = m;
      const found = config.findImage(name!);
      if (found === undefined) throw new ImageError({ subject: `image ${image}`, problem: `Image Config with name ${name} not found in the configuration` });
      if (attr === "version") {
        const version = found.version ?? config.defaultImage?.version ?? "";
        if (version.includes(":") && out.includes(`:${group}`)) out = out.replace(`:${group}`, `@${version}`);
        else out = out.replace(group!, version);
      } else if (attr === "fqn") {
        out = out.replace(group!, found.fqn);
      } else if (attr === "") {
        out = out.replace(group!, found.full);
      } else {
        throw new ImageError({ subject: `image ${image}`, problem: `Only fqn and version are supported replacements, ${attr} is not supported` });
      }
    }
    return out;
  }
  if (config.defaultImage === undefined) throw new ImageError({ subject: "image", problem: "An image is required for container tasks", fix: "give a default image (--image)" });
  return config.defaultImage.full;
}
