# A stand-in for the kubernetes Python client, used by test/interop/raw_container_tasks.py only when
# the real package is not installed (the interop venv has none). It holds the few models flytekit's
# _serialize_pod_spec touches and ApiClient.sanitize_for_serialization's rule for models: each
# attribute under its JSON name (attribute_map), attributes that are None left out, recursively.
