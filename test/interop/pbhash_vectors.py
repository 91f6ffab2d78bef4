# Prints flytekit compute_hash_string vectors for packages/core/src/execute/pbhash.test.ts:
#   .cache/python-venv/bin/python test/interop/pbhash_vectors.py
import datetime
from flytekit.models import literals as L
from flytekit.models.core import types as T
from flytekit.models import types as TT
from flytekit.utils.pbhash import compute_hash_string
from google.protobuf.struct_pb2 import Struct
import base64, json
from google.protobuf import json_format
out=[]
def p(name, lit):
    pb=lit.to_flyte_idl()
    out.append([name, base64.b64encode(pb.SerializeToString()).decode(), compute_hash_string(pb)])
    print(name, json.dumps(json_format.MessageToDict(pb), sort_keys=True, separators=(",", ":")))
prim = lambda **k: L.Literal(scalar=L.Scalar(primitive=L.Primitive(**k)))
p("int0", prim(integer=0))
p("int", prim(integer=-42))
p("float1", prim(float_value=1.0))
p("float_small", prim(float_value=1e-05))
p("float_big", prim(float_value=1e16))
p("float_frac", prim(float_value=0.1))
p("float_mid", prim(float_value=123456789.125))
p("float_nan", prim(float_value=float("nan")))
p("float_neg0", prim(float_value=-0.0))
p("str", prim(string_value='h\u00e9llo "w" \n\t\x7f \U0001F600 / <'))
p("long_str", prim(string_value='h\u00e9 "q" \\ \n\x01\x7f \U0001F600 \uffff ' * 40))
p("bool", prim(boolean=True))
p("dt", prim(datetime=datetime.datetime(2024,1,2,3,4,5,120000, tzinfo=datetime.timezone.utc)))
p("dur", prim(duration=datetime.timedelta(seconds=90, microseconds=500)))
s = Struct(); s.update({"b": 1, "a": [1.5, "x", None, True, {"z": {}}], "é": 2.0})
p("generic", L.Literal(scalar=L.Scalar(generic=s)))
p("binary", L.Literal(scalar=L.Scalar(binary=L.Binary(value=b"\x00\xffabc", tag="msgpack"))))
p("coll", L.Literal(collection=L.LiteralCollection(literals=[prim(integer=1), prim(string_value="b")])))
p("map", L.Literal(map=L.LiteralMap(literals={"z": prim(integer=1), "a": prim(float_value=2.5), "B": L.Literal(scalar=L.Scalar(none_type=L.Void()))})))
p("blob", L.Literal(scalar=L.Scalar(blob=L.Blob(metadata=L.BlobMetadata(type=T.BlobType(format="csv", dimensionality=T.BlobType.BlobDimensionality.MULTIPART)), uri="s3://b/k"))))
p("meta", L.Literal(scalar=L.Scalar(primitive=L.Primitive(integer=5)), metadata={"k2":"v","k1":"w"}))
p("union", L.Literal(scalar=L.Scalar(union=L.Union(value=prim(integer=3), stored_type=TT.LiteralType(simple=TT.SimpleType.INTEGER, structure=TT.TypeStructure(tag="int"))))))

print("VECTORS", json.dumps(out))
