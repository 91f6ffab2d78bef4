# Same declaration as customized_container.py, but serialized with
# task.serialize_to_model(settings) instead of get_serializable(...).
from customized_container import EchoTask  # noqa: F401  (re-uses the class)

from flytekit import Resources, Secret
from flytekit.core.base_task import TaskMetadata

echo_model = EchoTask(
    name="customized_container_model.echo_model",
    greeting="hello",
    requests=Resources(cpu="1", mem="1Gi"),
    limits=Resources(cpu="2", mem="2Gi", gpu="1", ephemeral_storage="10Gi"),
    secret_requests=[Secret(group="g", key="k")],
    metadata=TaskMetadata(retries=3, timeout=60, cache=True, cache_version="1.0", interruptible=True),
)
