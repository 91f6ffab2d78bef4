import typing

from flytekit import Resources, Secret, kwtypes
from flytekit.configuration import SerializationSettings
from flytekit.core.base_task import TaskMetadata
from flytekit.core.interface import Interface
from flytekit.core.python_customized_container_task import PythonCustomizedContainerTask
from flytekit.core.shim_task import ShimTaskExecutor
from flytekit.models import task as task_models


class EchoExecutor(ShimTaskExecutor["EchoTask"]):
    def execute_from_model(self, tt: task_models.TaskTemplate, **kwargs) -> typing.Any:
        return f"{tt.custom['greeting']}, {kwargs['who']}"


class EchoTask(PythonCustomizedContainerTask[dict]):
    def __init__(self, name: str, greeting: str, **kwargs):
        super().__init__(
            name=name,
            task_config={"greeting": greeting},
            container_image="docker.io/custom-executor:1.2.3",
            executor_type=EchoExecutor,
            task_type="echo-task",
            interface=Interface(inputs=kwtypes(who=str), outputs=kwtypes(o0=str)),
            **kwargs,
        )

    def get_custom(self, settings: SerializationSettings) -> typing.Dict[str, typing.Any]:
        return {
            "greeting": self.task_config["greeting"],
            "n": 3,
            "ratio": 0.5,
            "flag": True,
            "nothing": None,
            "list": [1, "two", {"three": 3}],
            "nested": {"b": "x", "a": [True, None]},
        }


echo = EchoTask(
    name="customized_container.echo",
    greeting="hello",
    requests=Resources(cpu="1", mem="1Gi"),
    limits=Resources(cpu="2", mem="2Gi", gpu="1", ephemeral_storage="10Gi"),
    secret_requests=[Secret(group="g", key="k")],
    metadata=TaskMetadata(retries=3, timeout=60, cache=True, cache_version="1.0", interruptible=True),
)
