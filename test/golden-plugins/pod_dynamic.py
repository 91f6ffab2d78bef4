import typing

from flytekitplugins.pod import Pod
from kubernetes.client.models import V1Container, V1PodSpec

from flytekit import Resources, dynamic, task


@task
def t1(a: int) -> int:
    return a + 10


@dynamic(
    task_config=Pod(pod_spec=V1PodSpec(restart_policy="OnFailure", containers=[V1Container(name="primary")])),
    requests=Resources(cpu="10"),
    limits=Resources(ephemeral_storage="1Gi", gpu="2"),
)
def dynamic_pod_task(a: int) -> typing.List[int]:
    return [t1(a=i) for i in range(a)]
