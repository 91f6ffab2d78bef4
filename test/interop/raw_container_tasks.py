# What flytekit 1.16.24 serializes for ContainerTask (task type raw-container): the issue's
# ellipse-area-metadata-shell and one declaration per feature (arguments, metadata formats, no data
# folders, resources/env/secrets/metadata, pod templates, file/directory/list/datetime interfaces).
# Prints a JSON object: per case the TaskTemplate's and the TaskSpec's bytes (base64), each under
# the settings the case names; the version of the kubernetes client that made the pod specs;
# and what serializing an io_strategy does. test/raw-container-serialize.test.ts declares the same tasks with flytekit-ts.
import base64
import json
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import List

import kubernetes
from kubernetes.client import V1Container, V1EnvVar, V1PodSpec, V1ResourceRequirements, V1Volume, V1VolumeMount

from flytekit import ContainerTask, PodTemplate, Resources, Secret, TaskMetadata, kwtypes
import golden_settings
from flytekit.core.resources import ResourceSpec
from flytekit.models.documentation import Description, Documentation
from flytekit.tools.translator import get_serializable
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

ELLIPSE = dict(
    input_data_dir="/var/inputs",
    output_data_dir="/var/outputs",
    inputs=kwtypes(a=float, b=float),
    outputs=kwtypes(area=float, metadata=str),
    image="ghcr.io/flyteorg/rawcontainers-shell:v2",
    command=["./calculate-ellipse-area.sh", "{{.inputs.a}}", "{{.inputs.b}}", "/var/outputs"],
)


def pod_spec(with_own_primary: bool) -> V1PodSpec:
    containers = [
        V1Container(name="sidecar", image="{{.image.default.fqn}}:side", command=["sleep", "inf"]),
    ]
    if with_own_primary:
        containers.insert(
            0,
            V1Container(
                name="main",
                args=["ignored"],
                env=[V1EnvVar(name="OWN", value="1")],
                volume_mounts=[V1VolumeMount(name="scratch", mount_path="/scratch")],
            ),
        )
    return V1PodSpec(containers=containers, volumes=[V1Volume(name="scratch", empty_dir={})])


def cases():
    return {
        "ellipse": (ContainerTask(name="ellipse-area-metadata-shell", **ELLIPSE), "plain"),
        "arguments": (
            ContainerTask(
                name="raw.arguments",
                image="alpine:3.19",
                command=["sh", "-c"],
                arguments=["echo $(( {{.inputs.x}} + {{ .Inputs.y }} )) > /var/outputs/sum", "--flag={{$inputs.x}}", "{{.outputPrefix}}"],
                inputs=kwtypes(x=int, y=int),
                outputs=kwtypes(sum=int),
                input_data_dir="/var/inputs",
                output_data_dir="/var/outputs",
            ),
            "plain",
        ),
        "yaml": (
            ContainerTask(name="raw.yaml", metadata_format=ContainerTask.MetadataFormat.YAML, **{**ELLIPSE, "image": "python:3.12"}),
            "plain",
        ),
        "proto": (
            ContainerTask(name="raw.proto", metadata_format=ContainerTask.MetadataFormat.PROTO, **{**ELLIPSE, "image": "python:3.12"}),
            "plain",
        ),
        "no_dirs": (
            ContainerTask(name="raw.no_dirs", image="busybox", command=["cat", "/var/flyte/inputs/inputs.json"], inputs=kwtypes(s=str), outputs=kwtypes(o=str)),
            "plain",
        ),
        "no_interface": (ContainerTask(name="raw.no_interface", image="busybox", command=["true"]), "plain"),
        "empty_arguments": (ContainerTask(name="raw.empty_arguments", image="busybox", command=["true"], arguments=[]), "plain"),
        "options": (
            ContainerTask(
                name="raw.options",
                image="busybox",
                command=["sh", "-c", "echo {{.inputs.s}} > /var/outputs/o"],
                inputs=kwtypes(s=str),
                outputs=kwtypes(o=str),
                output_data_dir="/var/outputs",
                requests=Resources(cpu="1", mem="1Gi", ephemeral_storage="2Gi"),
                limits=Resources(cpu="2", mem="2Gi", gpu="1"),
                environment={"B": "2", "A": "1"},
                secret_requests=[Secret(group="g", key="k"), Secret(group="h", key="k2", mount_requirement=Secret.MountType.FILE)],
                metadata=TaskMetadata(
                    retries=3,
                    timeout=timedelta(minutes=5),
                    cache=True,
                    cache_version="1.0",
                    cache_serialize=True,
                    cache_ignore_input_vars=("s",),
                    interruptible=True,
                    deprecated="use raw.other",
                    labels={"team": "a"},
                    annotations={"note": "x"},
                ),
            ),
            "plain",
        ),
        "resources_pair": (
            ContainerTask(name="raw.resources_pair", image="busybox", command=["true"], resources=Resources(cpu=("1", "2"), mem="1Gi")),
            "plain",
        ),
        "rich_settings": (
            ContainerTask(
                name="raw.rich_settings",
                image="{{.image.other.fqn}}:{{.image.other.version}}",
                command=["run"],
                environment={"E": "task", "T": "t"},
            ),
            "rich",
        ),
        "pod_template": (
            ContainerTask(
                name="raw.pod_template",
                pod_template=PodTemplate(pod_spec=pod_spec(True), primary_container_name="main", labels={"l": "1"}, annotations={"a": "2"}),
                requests=Resources(cpu="1", mem="1Gi"),
                environment={"T": "1"},
                metadata_format=ContainerTask.MetadataFormat.YAML,
                **ELLIPSE,
            ),
            "plain",
        ),
        "pod_template_arguments": (
            ContainerTask(
                name="raw.pod_template_arguments",
                pod_template=PodTemplate(pod_spec=pod_spec(False)),
                image="busybox",
                command=["sh", "-c"],
                arguments=["echo {{.inputs.x}}"],
                inputs=kwtypes(x=int),
            ),
            "plain",
        ),
        "docs": (
            ContainerTask(
                name="raw.docs",
                docs=Documentation(short_description="Area of an ellipse", long_description=Description(value="Reads *a* and *b*.", format=Description.DescriptionFormat.MARKDOWN)),
                **ELLIPSE,
            ),
            "plain",
        ),
        "pod_template_own_image": (
            ContainerTask(
                name="raw.pod_template_own_image",
                pod_template=PodTemplate(pod_spec=V1PodSpec(containers=[V1Container(name="primary", image="{{.image.default.fqn}}:own")])),
                image="busybox",
                command=["true"],
                arguments=[],
            ),
            "plain",
        ),
        "pod_template_name": (
            ContainerTask(name="raw.pod_template_name", pod_template_name="my-template", image="busybox", command=["true"]),
            "plain",
        ),
        "files": (
            ContainerTask(
                name="raw.files",
                image="busybox",
                command=["sh", "/var/inputs/infile", "/var/inputs/indir", "{{.inputs.when}}", "{{.inputs.xs}}"],
                inputs=kwtypes(infile=FlyteFile, indir=FlyteDirectory, xs=List[int], when=datetime, d=timedelta, flag=bool, n=int),
                outputs=kwtypes(out=FlyteFile, folder=FlyteDirectory, count=int, at=datetime, ok=bool, took=timedelta),
                input_data_dir="/var/inputs",
                output_data_dir="/var/outputs",
            ),
            "plain",
        ),
    }


def settings():
    rich = golden_settings.rich(
        env={"E": "settings", "S": "s"},
        default_resources=ResourceSpec(requests=Resources(cpu="1", mem="1Gi"), limits=Resources(cpu="2")),
    )
    return {"plain": golden_settings.plain(), "rich": rich}


def io_strategy_probe():
    # flytekit 1.16.24 passes the enum's int where an IOStrategy model is wanted: no value serializes.
    t = ContainerTask(name="raw.io", io_strategy=ContainerTask.IOStrategy.DOWNLOAD_STREAM, **ELLIPSE)
    try:
        get_serializable(OrderedDict(), settings()["plain"], t).template.to_flyte_idl()
        return "serialized"
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"


if __name__ == "__main__":
    all_settings = settings()
    out = {"templates": {}, "specs": {}, "io_strategy": io_strategy_probe(), "kubernetes": kubernetes.__version__}
    for name, (task, which) in cases().items():
        spec = get_serializable(OrderedDict(), all_settings[which], task)
        out["templates"][name] = base64.b64encode(spec.template.to_flyte_idl().SerializeToString()).decode()
        # The registration file's TaskSpec: the template and the description, when the task has one.
        out["specs"][name] = base64.b64encode(spec.to_flyte_idl().SerializeToString()).decode()
    print(json.dumps(out))
