# See ../__init__.py: the models' attributes in the real client's order, with their JSON names.


class _Model:
    attribute_map: dict = {}

    def __init__(self, **kwargs):
        unknown = set(kwargs) - set(self.attribute_map)
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected {sorted(unknown)}")
        for attr in self.attribute_map:
            setattr(self, attr, kwargs.get(attr))

    @property
    def openapi_types(self):
        return {a: object for a in self.attribute_map}


def _model(name, pairs):
    return type(name, (_Model,), {"attribute_map": dict(pairs)})


V1EnvVar = _model("V1EnvVar", [("name", "name"), ("value", "value"), ("value_from", "valueFrom")])
V1ResourceRequirements = _model("V1ResourceRequirements", [("claims", "claims"), ("limits", "limits"), ("requests", "requests")])
V1VolumeMount = _model("V1VolumeMount", [("mount_path", "mountPath"), ("mount_propagation", "mountPropagation"), ("name", "name"), ("read_only", "readOnly"), ("sub_path", "subPath")])
V1Volume = _model("V1Volume", [("empty_dir", "emptyDir"), ("host_path", "hostPath"), ("name", "name")])
V1Container = _model(
    "V1Container",
    [("args", "args"), ("command", "command"), ("env", "env"), ("image", "image"), ("name", "name"), ("resources", "resources"), ("volume_mounts", "volumeMounts"), ("working_dir", "workingDir")],
)
V1PodSpec = _model("V1PodSpec", [("containers", "containers"), ("node_selector", "nodeSelector"), ("tolerations", "tolerations"), ("volumes", "volumes")])


class ApiClient:
    def sanitize_for_serialization(self, obj):
        if obj is None:
            return None
        if isinstance(obj, (str, int, float, bool)):
            return obj
        if isinstance(obj, (list, tuple)):
            return [self.sanitize_for_serialization(o) for o in obj]
        if isinstance(obj, dict):
            return {k: self.sanitize_for_serialization(v) for k, v in obj.items()}
        fields = {obj.attribute_map[a]: getattr(obj, a) for a in obj.openapi_types if getattr(obj, a) is not None}
        return {k: self.sanitize_for_serialization(v) for k, v in fields.items()}
