#!/bin/sh
# A raw container's program: any language, no Flyte SDK. It gets its inputs on the command line
# ({{.inputs.a}}, {{.inputs.b}} rendered by Flyte) and leaves one file per output in the folder
# named last; Flyte's CoPilot reads them back by name.
#   calculate-ellipse-area.sh A B OUTPUT_DIR
set -eu
a=$1
b=$2
out=$3
awk -v a="$a" -v b="$b" 'BEGIN { printf "%.15g\n", 3.141592653589793 * a * b }' > "$out/area"
printf 'This is an ellipse with semi-axes %s and %s\n' "$a" "$b" > "$out/metadata"
