from .models import ApiClient, V1Container, V1EnvVar, V1PodSpec, V1ResourceRequirements, V1Volume, V1VolumeMount  # noqa: F401
