// A generic (google.protobuf.Struct) as Flyte CoPilot writes and reads it, for go.test.ts to
// compare with ours: the input file is jsonpb's text of the Struct, inputs.json holds Go's
// json.Marshal of the *structpb.Struct, and a STRUCT output's text is read by jsonpb.UnmarshalString.
// Reads a JSON array of texts on stdin; prints, per text, whether jsonpb reads it and, if so, both
// writings of the Struct it makes.
package main

import (
	"encoding/json"
	"os"

	"github.com/golang/protobuf/jsonpb"
	structpb "github.com/golang/protobuf/ptypes/struct"
)

type result struct {
	OK    bool   `json:"ok"`
	File  string `json:"file,omitempty"`
	Value string `json:"value,omitempty"`
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		panic(err)
	}
	out := []result{}
	for _, t := range texts {
		st := &structpb.Struct{}
		if err := jsonpb.UnmarshalString(t, st); err != nil {
			out = append(out, result{OK: false})
			continue
		}
		file, err := (&jsonpb.Marshaler{}).MarshalToString(st)
		if err != nil {
			panic(err)
		}
		value, err := json.Marshal(map[string]interface{}{"g": st})
		if err != nil {
			panic(err)
		}
		out = append(out, result{OK: true, File: file, Value: string(value)})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
