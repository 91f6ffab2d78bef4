import typing

from flytekit import kwtypes
from flytekit.configuration import SerializationSettings
from flytekit.core.interface import Interface
from flytekit.core.python_customized_container_task import PythonCustomizedContainerTask
from flytekit.core.shim_task import ShimTaskExecutor


class NoopExecutor(ShimTaskExecutor["EnvTask"]):
    def execute_from_model(self, tt, **kwargs):
        return None


class EnvTask(PythonCustomizedContainerTask[None]):
    def get_custom(self, settings: SerializationSettings) -> typing.Dict[str, typing.Any]:
        return {}


env_task = EnvTask(
    name="customized_container_env.env_task",
    task_config=None,
    # image templates are resolved against settings.image_config
    container_image="{{.images.default.fqn}}:{{.images.default.version}}",
    executor_type=NoopExecutor,
    environment={"TASK_ENV": "t", "FOO": "overridden-by-task"},
    interface=Interface(inputs=kwtypes(a=int), outputs=None),
)
