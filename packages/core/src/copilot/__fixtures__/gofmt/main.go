// Go's own text for the values Flyte CoPilot and propeller write and read, for go.test.ts to compare
// with ours. Standard library only: `go run . < cases.json`. Reads one JSON document of cases
// and prints one JSON document of results, case by case in the same order.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"
)

// A value as CoPilot holds it before json.Marshal, described so that JSON can carry it exactly.
type node struct {
	T     string          `json:"t"`
	V     json.RawMessage `json:"v,omitempty"`
	Bits  string          `json:"bits,omitempty"`
	Sec   int64           `json:"sec,omitempty"`
	Nanos int64           `json:"nanos,omitempty"`
}

func build(n node) interface{} {
	switch n.T {
	case "null":
		return nil
	case "bool":
		var b bool
		must(json.Unmarshal(n.V, &b))
		return b
	case "int":
		var s string
		must(json.Unmarshal(n.V, &s))
		i, err := strconv.ParseInt(s, 10, 64)
		must(err)
		return i
	case "float":
		return float(n.Bits)
	case "str":
		var s string
		must(json.Unmarshal(n.V, &s))
		return s
	case "bytes":
		var s string
		must(json.Unmarshal(n.V, &s))
		b, err := base64.StdEncoding.DecodeString(s)
		must(err)
		return b
	case "time":
		return time.Unix(n.Sec, n.Nanos).UTC()
	case "list":
		var items []node
		must(json.Unmarshal(n.V, &items))
		out := []interface{}{}
		for _, it := range items {
			out = append(out, build(it))
		}
		return out
	case "map":
		var items map[string]node
		must(json.Unmarshal(n.V, &items))
		out := map[string]interface{}{}
		for k, it := range items {
			out[k] = build(it)
		}
		return out
	}
	panic("unknown node " + n.T)
}

func float(bits string) float64 {
	u, err := strconv.ParseUint(bits, 16, 64)
	must(err)
	return math.Float64frombits(u)
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

type cases struct {
	Floats     []string   `json:"floats"`
	Durations  []string   `json:"durations"`
	Timestamps [][2]int64 `json:"timestamps"`
	JSON       []node     `json:"json"`
	ParseInt   []string   `json:"parseInt"`
	ParseFloat []string   `json:"parseFloat"`
	ParseBool  []string   `json:"parseBool"`
	ParseDur   []string   `json:"parseDuration"`
	ParseTime  []string   `json:"parseTime"`
}

type result struct {
	OK    bool   `json:"ok"`
	Value string `json:"value,omitempty"`
}

func main() {
	var in cases
	must(json.NewDecoder(os.Stdin).Decode(&in))
	out := map[string]interface{}{}

	floats := []map[string]string{}
	for _, b := range in.Floats {
		f := float(b)
		r := map[string]string{"f": strconv.FormatFloat(f, 'f', -1, 64), "v": fmt.Sprintf("%v", f), "g": strconv.FormatFloat(f, 'g', -1, 64)}
		if j, err := json.Marshal(f); err != nil {
			r["jsonError"] = err.Error()
		} else {
			r["json"] = string(j)
		}
		floats = append(floats, r)
	}
	out["floats"] = floats

	durations := []string{}
	for _, s := range in.Durations {
		n, err := strconv.ParseInt(s, 10, 64)
		must(err)
		durations = append(durations, time.Duration(n).String())
	}
	out["durations"] = durations

	timestamps := []string{}
	for _, ts := range in.Timestamps {
		// ptypes.TimestampString is Timestamp(ts) (checked) then Format(time.RFC3339Nano) in UTC.
		timestamps = append(timestamps, time.Unix(ts[0], ts[1]).UTC().Format(time.RFC3339Nano))
	}
	out["timestamps"] = timestamps

	jsons := []result{}
	for _, n := range in.JSON {
		b, err := json.Marshal(build(n))
		if err != nil {
			jsons = append(jsons, result{OK: false, Value: err.Error()})
		} else {
			jsons = append(jsons, result{OK: true, Value: string(b)})
		}
	}
	out["json"] = jsons

	ints := []result{}
	for _, s := range in.ParseInt {
		v, err := strconv.ParseInt(s, 10, 64)
		ints = append(ints, result{OK: err == nil, Value: strconv.FormatInt(v, 10)})
	}
	out["parseInt"] = ints

	fl := []result{}
	for _, s := range in.ParseFloat {
		v, err := strconv.ParseFloat(s, 64)
		fl = append(fl, result{OK: err == nil, Value: strconv.FormatUint(math.Float64bits(v), 16)})
	}
	out["parseFloat"] = fl

	bools := []result{}
	for _, s := range in.ParseBool {
		v, err := strconv.ParseBool(s)
		bools = append(bools, result{OK: err == nil, Value: strconv.FormatBool(v)})
	}
	out["parseBool"] = bools

	durs := []result{}
	for _, s := range in.ParseDur {
		v, err := time.ParseDuration(s)
		durs = append(durs, result{OK: err == nil, Value: strconv.FormatInt(int64(v), 10)})
	}
	out["parseDuration"] = durs

	times := []result{}
	for _, s := range in.ParseTime {
		t, err := time.Parse(time.RFC3339, s)
		// ptypes.TimestampProto then refuses what a Timestamp cannot hold (years 1 to 9999).
		if err == nil && (t.Unix() < -62135596800 || t.Unix() > 253402300799) {
			err = fmt.Errorf("timestamp out of range")
		}
		v := ""
		if err == nil {
			v = fmt.Sprintf("%d.%09d", t.Unix(), t.Nanosecond())
		}
		times = append(times, result{OK: err == nil, Value: v})
	}
	out["parseTime"] = times

	enc := json.NewEncoder(os.Stdout)
	must(enc.Encode(out))
}
