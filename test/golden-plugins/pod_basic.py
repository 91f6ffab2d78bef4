from flytekitplugins.pod import Pod
from kubernetes.client.models import V1Container, V1EnvVar, V1PodSpec, V1ResourceRequirements, V1VolumeMount

from flytekit import Resources, task

pod = Pod(
    pod_spec=V1PodSpec(
        restart_policy="OnFailure",
        containers=[
            V1Container(
                name="a container",
                command=["fee", "fi", "fo", "fum"],
                args=["ignored"],
                image="ignored:image",
                env=[V1EnvVar(name="AN_ENV_VAR", value="42")],
                volume_mounts=[V1VolumeMount(name="volume mount", mount_path="some/where")],
                resources=V1ResourceRequirements(limits={"cpu": "99"}),
            ),
            V1Container(name="another container", image="busybox"),
        ],
    ),
    primary_container_name="a container",
    labels={"label": "foo"},
    annotations={"anno": "bar"},
)


@task(
    task_config=pod,
    requests=Resources(cpu="10", mem="1Gi"),
    limits=Resources(gpu="2", ephemeral_storage="1Gi"),
    environment={"FOO": "bar"},
)
def simple_pod_task(i: int) -> int:
    return i + 1
