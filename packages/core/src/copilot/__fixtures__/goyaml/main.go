// inputs.yaml as Flyte CoPilot writes it, for go.test.ts to compare with ours: ghodss/yaml's
// JSONToYAML (go-yaml v2 reads the JSON, so numbers keep their kind, then writes YAML), here with
// go-yaml v2.4.0 directly (ghodss/yaml is those two calls). Reads a JSON array of JSON documents (as
// strings) on stdin and prints a JSON array of their YAML texts (or "error: ...").
package main

import (
	"encoding/json"
	"os"

	"gopkg.in/yaml.v2"
)

func main() {
	var docs []string
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		panic(err)
	}
	out := make([]string, 0, len(docs))
	for _, doc := range docs {
		var obj interface{}
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
			out = append(out, "error: "+err.Error())
			continue
		}
		y, err := yaml.Marshal(obj)
		if err != nil {
			out = append(out, "error: "+err.Error())
			continue
		}
		out = append(out, string(y))
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
