"""What flyte-sdk (the `flyte` package, 2.12) makes of the Flyte 2 task settings flytekit-ts keeps
for its Flyte 2 target: the wire form of a RetryStrategy, Timeout and ReusePolicy, Backoff's delays,
and the errors its checks raise. Reads cases as JSON from its argument, prints results as JSON."""

import json
import sys
from datetime import timedelta

from google.protobuf.json_format import MessageToDict

from flyte._cache.cache import Cache
from flyte._internal.runtime import task_serde
from flyte._internal.runtime.reuse import reuse_policy_to_pb
from flyte._retry import Backoff, RetryStrategy
from flyte._reusable_environment import ReusePolicy
from flyte._timeout import Timeout


def seconds(v):
    return None if v is None else timedelta(seconds=v)


def error_of(make):
    try:
        make()
    except (ValueError, TypeError) as e:
        return str(e)
    return None


def build(kind, spec):
    if kind == "backoff":
        return Backoff(base=seconds(spec["base"]), factor=spec.get("factor", 1.0), cap=seconds(spec.get("cap")))
    if kind == "retry":
        return RetryStrategy(count=spec["count"])
    if kind == "reuse":
        args = dict(spec)
        if isinstance(args.get("replicas"), list):
            args["replicas"] = tuple(args["replicas"])
        return ReusePolicy(**args)
    if kind == "cache":
        return Cache(behavior="auto", max_age=spec["max_age"])
    raise ValueError(kind)


cases = json.loads(sys.argv[1])
out = {}
w = cases["wire"]
out["retries"] = MessageToDict(task_serde.get_proto_retry_strategy(RetryStrategy(count=w["count"], backoff=build("backoff", w["backoff"]))))
out["timeouts"] = MessageToDict(task_serde.get_proto_timeout_strategy(Timeout(max_runtime=w["max_runtime"], max_queued_time=w["max_queued_time"], deadline=w["deadline"])))
r = dict(w["reuse"])
r["replicas"] = tuple(r["replicas"])
out["reusePolicy"] = MessageToDict(reuse_policy_to_pb(ReusePolicy(**r)))
out["delays"] = [[build("backoff", d["backoff"]).compute_delay(n).total_seconds() for n in d["n"]] for d in cases["delays"]]
out["errors"] = [error_of(lambda e=e: build(e["kind"], e["spec"])) for e in cases["errors"]]
print(json.dumps(out))
