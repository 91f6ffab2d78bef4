# What flytekit 1.16.24 serializes for an eager task (the reference: @eager(environment={"a": "b"})),
# under two serialization settings: the golden ones, and ones that use every field of the settings' JSON
# (named images with a digest, env with non-ASCII text, default resources, fast registration).
# Prints, per settings, the JSON text of SerializationSettings.to_json() and the TaskTemplate's bytes (base64).
import base64
import json
from collections import OrderedDict

from flytekit import Resources, eager
from flytekit.configuration import FastSerializationSettings

import golden_settings
from flytekit.core.resources import ResourceSpec
from flytekit.tools.translator import get_serializable


@eager(environment={"a": "b"})
async def eager_env(x: int) -> int:
    return x


def settings():
    rich = golden_settings.rich(
        env={"E": "1", "\u00dc": "\u00e4"},
        # Strings only: flytekit cannot write a template whose default resources hold a number.
        default_resources=ResourceSpec(requests=Resources(cpu="1", mem="1Gi"), limits=Resources(cpu="2", ephemeral_storage="1Gi")),
        fast_serialization_settings=FastSerializationSettings(enabled=True, destination_dir=".", distribution_location="s3://b/x.tar.gz"),
    )
    return {"plain": golden_settings.plain(), "rich": rich}


if __name__ == "__main__":
    out = {}
    for name, ss in settings().items():
        spec = get_serializable(OrderedDict(), ss, eager_env)
        out[name] = {"json": ss.to_json(), "template": base64.b64encode(spec.template.to_flyte_idl().SerializeToString()).decode()}
    print(json.dumps(out))
