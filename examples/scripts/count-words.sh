#!/bin/sh
# A raw container's program reading its inputs as Flyte's CoPilot lays them out: the File input
# `text` is the file <inputs>/text, the list `words` the folder <inputs>/words with one file per
# element (0, 1, ...). It leaves the File output `counts` and the Int output `total` in <outputs>.
#   count-words.sh INPUT_DIR OUTPUT_DIR
set -eu
in=$1
out=$2
total=0
: > "$out/counts"
i=0
while [ -f "$in/words/$i" ]; do
  word=$(cat "$in/words/$i")
  n=$(tr -cs '[:alnum:]' '\n' < "$in/text" | grep -cix -- "$word" || true)
  printf '%s\t%s\n' "$word" "$n" >> "$out/counts"
  total=$((total + n))
  i=$((i + 1))
done
echo "$total" > "$out/total"
