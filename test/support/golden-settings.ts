// The serialization settings the live goldens are written under, as test/interop/golden_settings.py
// builds them on the Python side: "plain" (one auto image) and "rich" (a default image and another
// pinned by digest), which each test completes with what it tests (env, default resources, fast settings).
import { ImageConfig, SerializationSettings } from "@flytekit-ts/core";
import { Image } from "@flytekit-ts/core/internal";

export function plainSettings(): SerializationSettings {
  return new SerializationSettings({ project: "p", domain: "d", version: "v1", imageConfig: ImageConfig.auto("docker.io/xyz:some-git-hash") });
}

export function richSettings(more: Omit<ConstructorParameters<typeof SerializationSettings>[0], "project" | "domain" | "version" | "imageConfig">): SerializationSettings {
  return new SerializationSettings({
    project: "p",
    domain: "d",
    version: "v2",
    imageConfig: new ImageConfig(new Image("default", "docker.io/xyz", "t"), [new Image("other", "ghcr.io/o", undefined, "sha256:abc")]),
    ...more,
  });
}
