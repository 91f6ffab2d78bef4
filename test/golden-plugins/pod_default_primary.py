from flytekitplugins.pod import Pod
from kubernetes.client.models import V1PodSpec

from flytekit import task


@task(task_config=Pod(pod_spec=V1PodSpec(containers=[])))
def default_primary():
    print("hello world")
