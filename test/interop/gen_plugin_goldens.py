"""Regenerates test/golden-plugins/*.pb and manifest.json with the real flytekit 1.16.24 and its plugins.

Needs a virtualenv with flytekit==1.16.24 and flytekitplugins-{pod,bigquery,snowflake,athena}==1.16.24
(pip install -c test/interop/constraints.txt ...). Run: python test/interop/gen_plugin_goldens.py
"""
import base64
import gzip
import hashlib
import importlib
import json
import os
import sys
import traceback
import warnings
from collections import OrderedDict

warnings.simplefilter("ignore")
HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "golden-plugins")
os.chdir(HERE)
sys.path.insert(0, HERE)
os.environ.pop("FLYTE_INTERNAL_IMAGE", None)

import flytekit  # noqa: E402
import google.protobuf  # noqa: E402
from google.protobuf import json_format  # noqa: E402
from flytekit.configuration import ImageConfig, SerializationSettings  # noqa: E402
from flytekit.tools.translator import get_serializable  # noqa: E402

BASE = 'SerializationSettings(project="p", domain="d", version="v1", image_config=ImageConfig.auto(img_name="docker.io/xyz:some-git-hash"))'
ENV = 'SerializationSettings(project="p", domain="d", version="v1", image_config=ImageConfig.auto(img_name="docker.io/xyz:some-git-hash"), env={"FOO": "foo", "BAR": "bar"})'


def settings(kind):
    if kind == "base":
        return SerializationSettings(project="p", domain="d", version="v1",
                                     image_config=ImageConfig.auto(img_name="docker.io/xyz:some-git-hash"))
    if kind == "env":
        return SerializationSettings(project="p", domain="d", version="v1",
                                     image_config=ImageConfig.auto(img_name="docker.io/xyz:some-git-hash"),
                                     env={"FOO": "foo", "BAR": "bar"})
    raise ValueError(kind)


# case, module, entity attribute, how, settings kind, notes
CASES = [
    ("customized_container", "customized_container", "echo", "get_serializable", "base",
     "PythonCustomizedContainerTask subclass with custom executor + get_custom; secret_requests -> security_context; "
     "task_type_version 0 (omitted); config {} (omitted); args end with {{.taskTemplatePath}} + executor class path"),
    ("customized_container_model", "customized_container_model", "echo_model", "serialize_to_model", "base",
     "same declaration as customized_container but via serialize_to_model(settings): NO security_context "
     "(serialize_to_model does not pass it), otherwise identical shape"),
    ("customized_container_env", "customized_container_env", "env_task", "get_serializable", "env",
     "environment on a PythonCustomizedContainerTask: env = {**settings.env, **task.environment} (task wins, "
     "settings keys first). container_image template {{.images.default.fqn}}:{{.images.default.version}} resolved "
     "against settings.image_config. NOTE: with settings.env=None this task CRASHES (TypeError: 'NoneType' object "
     "is not a mapping) - see manifest 'errors'"),
    ("sqlite3_minimal", "sqlite3_minimal", "sql_min", "get_serializable", "base",
     "SQLite3Task with no inputs and no output_schema_type: output `results` is plain FlyteSchema; image is "
     "DefaultImages.default_image() (cr.flyte.org/flyteorg/flytekit:py3.11-1.16.24), NOT the settings' image"),
    ("sqlite3_full", "sqlite3_full", "sql_full", "get_serializable", "base",
     "SQLite3Task with inputs, typed FlyteSchema output (columns), explicit container_image, requests/limits, "
     "secret_requests, retries/timeout; compressed defaults to False; query whitespace collapsed"),
    ("sqlite3_task_template", "sqlite3_task_template", "sql_tt", "task_template_property", "base",
     "task.task_template property = serialize_to_model(PythonCustomizedContainerTask.SERIALIZE_SETTINGS): "
     "project PLACEHOLDER_PROJECT, domain LOCAL, version PLACEHOLDER_VERSION, settings.env None; this is what "
     "local execution passes to SQLite3TaskExecutor.execute_from_model (settings argument ignored)"),
    ("sqltask_base", "sqltask_base", "sql", "get_serializable", "base",
     "bare flytekit.SQLTask: task type 'sql_task', no container, no sql, no custom; query only lives in Python"),
    ("pod_basic", "pod_basic", "simple_pod_task", "get_serializable", "base",
     "PodFunctionTask: type 'sidecar', task_type_version 2, container absent, k8s_pod.pod_spec = "
     "ApiClient.sanitize_for_serialization(V1PodSpec) with primary container image/command/args/resources/env "
     "overwritten; config {primary_container_name}; labels/annotations in k8s_pod.metadata"),
    ("pod_undefined_primary", "pod_undefined_primary", "undefined_primary", "get_serializable", "base",
     "primary_container_name not among pod_spec.containers -> a V1Container(name=primary) is APPENDED (last)"),
    ("pod_default_primary", "pod_default_primary", "default_primary", "get_serializable", "base",
     "Pod(pod_spec=V1PodSpec(containers=[])) -> primary name 'primary'; no resources -> container has no "
     "'resources' key; labels/annotations None -> k8s_pod.metadata present but empty"),
    ("pod_dynamic", "pod_dynamic", "dynamic_pod_task", "get_serializable", "base",
     "@dynamic with Pod config: still PodFunctionTask ('sidecar', v2); settings.with_serialized_context() adds "
     "env _F_SS_C (gzip+base64 JSON of the settings) to the primary container env"),
    ("bigquery_full", "bigquery_full", "bq_full", "get_serializable", "base",
     "BigQueryTask: type 'bigquery_query_job_task'; custom = {Location, ProjectID, Domain} + "
     "QueryJobConfig.to_api_repr()['query'] (camelCase REST keys; labels/dryRun dropped); sql ANSI"),
    ("bigquery_minimal", "bigquery_minimal", "bq_min", "get_serializable", "base",
     "BigQueryTask with only ProjectID: custom Location is JSON null; no outputs; whitespace-collapsed statement"),
    ("snowflake_full", "snowflake_full", "sf_full", "get_serializable", "base",
     "SnowflakeTask: type 'snowflake'; config {user, account, database, schema, warehouse}; no custom; sql ANSI"),
    ("snowflake_flyteschema", "snowflake_flyteschema", "sf_schema", "get_serializable", "base",
     "SnowflakeTask with FlyteSchema output (schema type) and no inputs; trailing newline stripped"),
    ("athena_full", "athena_full", "athena_full", "get_serializable", "base",
     "AthenaTask: type 'presto'; custom = MessageToDict(PrestoQuery) -> keys statement, schema (=database), "
     "routingGroup (=workgroup), catalog; no sql, no container"),
    ("athena_minimal", "athena_minimal", "athena_min", "get_serializable", "base",
     "AthenaTask without task_config -> AthenaConfig() -> custom only {statement} (empty strings dropped by "
     "MessageToDict); no outputs"),
]


def decode_fss(pb):
    out = {}
    def walk(env_list):
        for kv in env_list:
            if kv.key == "_F_SS_C":
                out["_F_SS_C_decoded"] = json.loads(gzip.decompress(base64.b64decode(kv.value)).decode())
    if pb.HasField("container"):
        walk(pb.container.env)
    if pb.HasField("k8s_pod"):
        d = json_format.MessageToDict(pb.k8s_pod.pod_spec)
        for c in d.get("containers", []):
            for e in c.get("env", []) or []:
                if e.get("name") == "_F_SS_C":
                    out["_F_SS_C_decoded"] = json.loads(gzip.decompress(base64.b64decode(e["value"])).decode())
    return out


manifest = {
    "description": "flyteidl.core.TaskTemplate goldens for PythonCustomizedContainerTask / SQLite3Task / SQLTask / "
                   "pod / bigquery / snowflake / athena, produced by real flytekit",
    "facts": {
        "flytekit_version": flytekit.__version__,
        "python": sys.version.split()[0],
        "protobuf": google.protobuf.__version__,
        "plugins": {},
    },
    "settings": {"base": BASE, "env": ENV},
    "json_conventions": {
        "template_json": "json_format.MessageToDict(pb, preserving_proto_field_name=True) (same convention as "
                         "/work/main/test/golden/tasks/manifest.json)",
        "message_to_json": "json_format.MessageToJson(pb) with default options (camelCase, defaults omitted)",
    },
    "cases": [],
    "errors": [],
}
try:
    from importlib.metadata import version
    for p in ["flytekitplugins-pod", "flytekitplugins-bigquery", "flytekitplugins-snowflake",
              "flytekitplugins-athena", "kubernetes", "google-cloud-bigquery", "flyteidl"]:
        manifest["facts"]["plugins"][p] = version(p)
except Exception:
    pass

for case, module, attr, how, skind, notes in CASES:
    mod = importlib.import_module(module)
    entity = getattr(mod, attr)
    s = settings(skind)
    if how == "get_serializable":
        tt = get_serializable(OrderedDict(), s, entity).template
    elif how == "serialize_to_model":
        tt = entity.serialize_to_model(s)
    elif how == "task_template_property":
        tt = entity.task_template
    else:
        raise ValueError(how)
    pb = tt.to_flyte_idl()
    data = pb.SerializeToString(deterministic=True)
    with open(f"{case}.pb", "wb") as f:
        f.write(data)
    entry = {
        "case": case,
        "file": f"{case}.pb",
        "python_file": f"{case}.py" if os.path.exists(f"{case}.py") else f"{module}.py",
        "python_source": open(f"{module}.py").read(),
        "entity": f"{module}.{attr}",
        "entity_class": f"{type(entity).__module__}.{type(entity).__qualname__}",
        "how": {
            "get_serializable": "get_serializable(OrderedDict(), settings, entity).template.to_flyte_idl()",
            "serialize_to_model": "entity.serialize_to_model(settings).to_flyte_idl()",
            "task_template_property": "entity.task_template.to_flyte_idl()  (uses PythonCustomizedContainerTask.SERIALIZE_SETTINGS)",
        }[how],
        "settings": {"base": BASE, "env": ENV}[skind] if how != "task_template_property" else
        "PythonCustomizedContainerTask.SERIALIZE_SETTINGS",
        "proto": "flyteidl.core.TaskTemplate",
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "serialized_with": "SerializeToString(deterministic=True) (map entries sorted by key)",
        "notes": notes,
        "template_json": json_format.MessageToDict(pb, preserving_proto_field_name=True),
        "message_to_json": json_format.MessageToJson(pb),
    }
    extra = decode_fss(pb)
    if extra:
        entry.update(extra)
    manifest["cases"].append(entry)
    print("ok", case, len(data))

# Known failure: PythonCustomizedContainerTask with environment and settings.env=None
try:
    mod = importlib.import_module("customized_container_env")
    get_serializable(OrderedDict(), settings("base"), mod.env_task)
    manifest["errors"].append({"case": "customized_container_env with settings.env=None", "error": None})
except Exception as e:
    manifest["errors"].append({
        "case": "customized_container_env with settings.env=None (base settings)",
        "error_type": f"{type(e).__module__}.{type(e).__name__}",
        "error": str(e),
        "where": traceback.extract_tb(e.__traceback__)[-1].name,
    })

with open("manifest.json", "w") as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
print("wrote manifest with", len(manifest["cases"]), "cases")
