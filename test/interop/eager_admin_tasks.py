"""flytekit's own eager task, pointed at the AdminService stand-in (test/support/admin-standin.ts)
to learn what flytekit 1.16.24 sends FlyteAdmin from inside an eager task (test/eager-admin.test.ts).

`pipeline` calls `add` twice, one call on the other's output; `failing` calls `boom`, which raises.
Run as a script, prints the base64 of the flyteidl.admin.TaskSpec flytekit registers for a task
of this module with the settings given: `python eager_admin_tasks.py <task> <project> <domain> <version> <image>`.
"""

import base64
import sys
from collections import OrderedDict

from flytekit import eager, task


@task
def add(x: int, y: int) -> int:
    return x + y


@task
def boom(x: int) -> int:
    if x >= 0:
        raise ValueError(f"boom at {x}")
    return x


@eager
async def pipeline(x: int) -> int:
    a = add(x=x, y=1)
    return add(x=a, y=2)


@eager
async def failing(x: int) -> int:
    return boom(x=x)


if __name__ == "__main__":
    from flytekit.configuration import ImageConfig, SerializationSettings
    from flytekit.tools.translator import get_serializable

    name, project, domain, version, image = sys.argv[1:6]
    settings = SerializationSettings(project=project, domain=domain, version=version, image_config=ImageConfig.auto(img_name=image))
    spec = get_serializable(OrderedDict(), settings, globals()[name])
    sys.stdout.write(base64.b64encode(spec.to_flyte_idl().SerializeToString()).decode())
