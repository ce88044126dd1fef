package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// merge makes one document of a version's object documents (HubSpot
// publishes one per object, all made from one template), so that the
// version is one generated package. It is mechanical:
//
//   - An object's path family, /crm/objects/VERSION/OBJECT and the paths
//     below it, becomes /crm/objects/VERSION/{objectType}…: the record id
//     parameter that follows the object's segment ({taskId}, {noteId}, …) is
//     renamed objectId, and objectType is a path parameter of the family.
//     The families of all the objects must then be the same operations.
//   - A path outside the families (the association paths every document
//     declares) and every component (schemas, responses, …) is taken once.
//     Every document must declare every path and every component.
//
// "The same" is the same JSON apart from description, summary and example
// texts, which name the object, and apart from two lists that are sets and
// are merged as sets: the alternatives of an operation's security and the
// scopes of a security scheme (HubSpot lists a few more OAuth scopes in
// some documents). Anything else that differs fails the merge, naming the
// path or the component and where in it the documents differ, so a vendor
// change that makes one object unlike the others is noticed instead of
// being merged away. info is made anew (title and version; descriptions and
// summaries are the first document's).
func merge(version string, names []string, docs []map[string]any) (map[string]any, error) {
	if len(names) == 0 || len(names) != len(docs) {
		return nil, fmt.Errorf("merge %s: %d names for %d documents", version, len(names), len(docs))
	}
	prefix := "/crm/objects/" + version + "/"
	out := map[string]any{}
	paths := map[string]any{}
	from := map[string]string{} // where each merged path and component came from
	has := make([]map[string]bool, len(docs))
	var titles []string
	for i, doc := range docs {
		name := names[i]
		src := name + ".json"
		has[i] = map[string]bool{}
		for key, v := range doc {
			switch key {
			case "paths", "components", "tags", "security":
			case "info":
				info, _ := v.(map[string]any)
				if got, _ := info["version"].(string); got != version {
					return nil, fmt.Errorf("merge %s: %s has info.version %q", version, src, got)
				}
				title, _ := info["title"].(string)
				titles = append(titles, title)
			default:
				if w, ok := out[key]; ok {
					if at := differs(w, v, key); at != "" {
						return nil, fmt.Errorf("merge %s: %s differs from %s at %s", version, src, names[0]+".json", at)
					}
					continue
				}
				out[key] = v
			}
		}
		out["tags"] = unionList(out["tags"], doc["tags"])
		if doc["security"] != nil {
			out["security"] = unionList(out["security"], doc["security"])
		}
		ps, _ := doc["paths"].(map[string]any)
		for _, p := range sortedKeys(ps) {
			item, _ := ps[p].(map[string]any)
			g, err := genericPath(prefix, name, p, item)
			if err != nil {
				return nil, fmt.Errorf("merge %s: %s: %w", version, src, err)
			}
			has[i]["path "+g] = true
			if have, ok := paths[g]; ok {
				merged, at := mergeSame(have, item, "")
				if at != "" {
					return nil, fmt.Errorf("merge %s: path %s of %s (%s) differs from %s's at %s", version, g, src, p, from["path "+g], at)
				}
				paths[g] = merged
				continue
			}
			paths[g], from["path "+g] = item, src
		}
		comps, _ := doc["components"].(map[string]any)
		mc, _ := out["components"].(map[string]any)
		if mc == nil {
			mc = map[string]any{}
			out["components"] = mc
		}
		for _, kind := range sortedKeys(comps) {
			entries, _ := comps[kind].(map[string]any)
			have, _ := mc[kind].(map[string]any)
			if have == nil {
				have = map[string]any{}
				mc[kind] = have
			}
			for _, n := range sortedKeys(entries) {
				what := componentNoun(kind) + " " + n
				has[i][what] = true
				w, ok := have[n]
				if !ok {
					have[n], from[kind+" "+n] = entries[n], src
					continue
				}
				merged, at := mergeSame(w, entries[n], "")
				if at != "" {
					return nil, fmt.Errorf("merge %s: %s of %s differs from %s's at %s", version, what, src, from[kind+" "+n], at)
				}
				have[n] = merged
			}
		}
	}
	// Every document declares every path and component: one that lacks one
	// is not from the version's template.
	all := map[string]string{} // every path and component, with the first document that has it
	for i := range docs {
		for what := range has[i] {
			if _, ok := all[what]; !ok {
				all[what] = names[i] + ".json"
			}
		}
	}
	for i := range docs {
		var missing []string
		for what := range all {
			if !has[i][what] {
				missing = append(missing, what)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			return nil, fmt.Errorf("merge %s: %s has no %s (%s has)", version, names[i]+".json", missing[0], all[missing[0]])
		}
	}
	out["paths"] = paths
	out["info"] = map[string]any{
		"title":   "HubSpot " + version + ": " + strings.Join(titles, ", "),
		"version": version,
		"description": "The documents api/" + version + "/{" + strings.Join(names, ",") +
			"}.json merged by internal/oapigen: one path family per object under /crm/objects/" + version + "/{objectType}.",
	}
	return out, nil
}

// componentNoun names a component kind in the singular for messages.
func componentNoun(kind string) string {
	switch kind {
	case "schemas":
		return "schema"
	case "securitySchemes":
		return "security scheme"
	case "requestBodies":
		return "request body"
	}
	return strings.TrimSuffix(kind, "s")
}

// genericPath turns a path of object name's family into the version's
// generic path, rewriting item in place (id parameter renamed objectId,
// objectType added, operationIds with the generic path); a path outside the
// family is returned unchanged.
func genericPath(prefix, name, p string, item map[string]any) (string, error) {
	base := prefix + name
	if p != base && !strings.HasPrefix(p, base+"/") {
		return p, nil
	}
	rest := p[len(base):]
	idParam := ""
	if strings.HasPrefix(rest, "/{") {
		end := strings.Index(rest, "}")
		idParam = rest[2:end]
		rest = "/{objectId}" + rest[end+1:]
	}
	g := prefix + "{objectType}" + rest
	rename := strings.NewReplacer(base, prefix+"{objectType}", "{"+idParam+"}", "{objectId}")
	for method, op := range item {
		o, ok := op.(map[string]any)
		if !ok || method == "parameters" {
			continue
		}
		if id, ok := o["operationId"].(string); ok {
			o["operationId"] = rename.Replace(id)
		}
		if err := renameParam(o, idParam, p); err != nil {
			return "", err
		}
	}
	if err := renameParam(item, idParam, p); err != nil {
		return "", err
	}
	params, _ := item["parameters"].([]any)
	item["parameters"] = append([]any{map[string]any{
		"name": "objectType", "in": "path", "required": true,
		"description": "The object type (" + name + ", …): every object of the version has these operations.",
		"schema":      map[string]any{"type": "string"},
	}}, params...)
	return g, nil
}

// renameParam renames the path parameter from to objectId in the parameters
// of an operation or a path item.
func renameParam(o map[string]any, from, path string) error {
	params, _ := o["parameters"].([]any)
	for _, q := range params {
		m, _ := q.(map[string]any)
		if m["in"] != "path" {
			continue
		}
		switch m["name"] {
		case from:
			if from != "" {
				m["name"] = "objectId"
			}
		case "objectType", "objectId":
			return fmt.Errorf("%s already has a path parameter %s", path, m["name"])
		}
	}
	return nil
}

// mergeSame returns a (with b's set members added) when a and b are the
// same apart from texts, or where they differ.
func mergeSame(a, b any, at string) (any, string) {
	if d := differs(a, b, at); d != "" {
		return nil, d
	}
	return unionSets(a, b, false), ""
}

// differs returns where a and b differ ("" when they do not), not counting
// description, summary and example texts, the order and members of security
// alternatives, or the scopes of a security scheme.
func differs(a, b any, at string) string { return differsIn(a, b, at, false) }

// differsIn is differs where names says a and b are a schema's properties,
// whose members are names, not keywords (a property named description is a
// property).
func differsIn(a, b any, at string, names bool) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return at
		}
		for _, k := range unionKeys(x, y) {
			if !names && ignored(k) {
				continue
			}
			xv, xok := x[k]
			yv, yok := y[k]
			if xok != yok {
				return join(at, k)
			}
			if d := differsIn(xv, yv, join(at, k), !names && k == "properties"); d != "" {
				return d
			}
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return at
		}
		for i := range x {
			if d := differsIn(x[i], y[i], fmt.Sprintf("%s[%d]", at, i), false); d != "" {
				return d
			}
		}
		return ""
	default:
		if !jsonEqual(a, b) {
			return at
		}
		return ""
	}
}

// ignored says whether a keyword is left out of the comparison: the texts
// (description, summary, example) and the two sets unionSets merges.
func ignored(k string) bool {
	switch k {
	case "description", "summary", "example", "security", "scopes":
		return true
	}
	return false
}

// unionSets returns a with the security alternatives and scopes of b that
// a lacks added (a's texts are kept); names is as for differsIn.
func unionSets(a, b any, names bool) any {
	switch x := a.(type) {
	case map[string]any:
		y, _ := b.(map[string]any)
		out := make(map[string]any, len(x))
		for k, v := range x {
			switch {
			case !names && k == "security":
				out[k] = unionList(v, y[k])
			case !names && k == "scopes":
				s, _ := v.(map[string]any)
				t, _ := y[k].(map[string]any)
				m := make(map[string]any, len(s)+len(t))
				for n, d := range t {
					m[n] = d
				}
				for n, d := range s {
					m[n] = d
				}
				out[k] = m
			default:
				out[k] = unionSets(v, y[k], !names && k == "properties")
			}
		}
		for k, v := range y {
			if _, ok := x[k]; !ok && !names && (k == "security" || k == "scopes") {
				out[k] = v // a's texts are kept, b's are not added
			}
		}
		return out
	case []any:
		y, _ := b.([]any)
		if len(y) != len(x) {
			return x
		}
		out := make([]any, len(x))
		for i := range x {
			out[i] = unionSets(x[i], y[i], false)
		}
		return out
	}
	return a
}

// unionList returns the members of a, then those of b that a lacks.
func unionList(a, b any) any {
	x, _ := a.([]any)
	y, _ := b.([]any)
	out := slices.Clone(x)
	for _, v := range y {
		if !slices.ContainsFunc(out, func(w any) bool { return jsonEqual(v, w) }) {
			out = append(out, v)
		}
	}
	if out == nil {
		return nil
	}
	return out
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func join(at, k string) string {
	if at == "" {
		return k
	}
	return at + "." + k
}

func unionKeys(x, y map[string]any) []string {
	keys := sortedKeys(x)
	for _, k := range sortedKeys(y) {
		if _, ok := x[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// readDoc reads a JSON document, numbers kept as written.
func readDoc(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc, nil
}

// mergeFiles merges api/VERSION/NAME.json for every name into a temporary
// file and returns its path; the caller removes it.
func mergeFiles(dir, version string, names []string) (string, error) {
	docs := make([]map[string]any, len(names))
	for i, n := range names {
		doc, err := readDoc(filepath.Join(dir, n+".json"))
		if err != nil {
			return "", err
		}
		docs[i] = doc
	}
	merged, err := merge(version, names, docs)
	if err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(merged, "", "  ")
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "oapigen-merged-*.json")
	if err != nil {
		return "", err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), f.Close()
}
