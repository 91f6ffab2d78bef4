"""The serialization settings the goldens are written under, as the TypeScript tests build them:
"plain" (one auto image) and the start of "rich" (a default image and another one, pinned by
digest), which each script completes with what it tests (env, default resources, fast settings)."""

from flytekit.configuration import Image, ImageConfig, SerializationSettings


def plain():
    return SerializationSettings(project="p", domain="d", version="v1", image_config=ImageConfig.auto(img_name="docker.io/xyz:some-git-hash"))


def rich(**more):
    return SerializationSettings(
        project="p",
        domain="d",
        version="v2",
        image_config=ImageConfig.create_from(
            Image(name="default", fqn="docker.io/xyz", tag="t"), [Image(name="other", fqn="ghcr.io/o", tag=None, digest="sha256:abc")]
        ),
        **more,
    )
