from flytekitplugins.pod import Pod
from kubernetes.client.models import V1Container, V1PodSpec, V1Toleration

from flytekit import task

pod = Pod(
    pod_spec=V1PodSpec(
        containers=[V1Container(name="sidecar", image="redis:7", ports=None)],
        node_selector={"node_group": "memory"},
        tolerations=[V1Toleration(key="k", operator="Equal", value="v", effect="NoSchedule")],
    ),
    primary_container_name="an undefined container",
)


@task(task_config=pod)
def undefined_primary(s: str) -> str:
    return s
