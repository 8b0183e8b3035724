package venue

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decodeState walks a yaml.Node tree into Settings by hand instead of
// node.Decode, for three reasons: yaml.v3 offers strict field checking only
// on a Decoder, not on a Node; it stops at a type error without a path; and
// chairs need every problem at once, each with its path and line.
type decodeState struct {
	problems []Problem
	// lines maps each path seen in the file to its line, so problems found
	// later by Validate (which sees only Go values) can point into the file.
	lines map[string]int
}

// nodeUnmarshaler is implemented by types with their own YAML forms.
type nodeUnmarshaler interface {
	unmarshalNode(n *yaml.Node, p *decodeState, path string)
}

func (p *decodeState) add(path string, n *yaml.Node, msg string) {
	line := 0
	if n != nil {
		line = n.Line
	}
	p.problems = append(p.problems, Problem{Path: path, Line: line, Message: msg})
}

// valueNode returns the value under key in a mapping, or the mapping itself
// so that a problem still gets a line.
func (p *decodeState) valueNode(mapping *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(mapping.Content); i += 2 {
		if mapping.Content[i].Value == key {
			return mapping.Content[i+1]
		}
	}
	return mapping
}

func (p *decodeState) decodeStruct(n *yaml.Node, ptr any, path string) {
	p.decodeValue(n, reflect.ValueOf(ptr).Elem(), path)
}

func (p *decodeState) decodeValue(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		// Refused rather than followed: a few aliases of aliases make a
		// small file expand into millions of values (and problems).
		p.add(path, n, "YAML aliases (*name) are not allowed in a venue file; write the value out")
		return
	}
	if _, seen := p.lines[path]; !seen && path != "" {
		p.lines[path] = n.Line
	}
	if v.CanAddr() {
		if u, ok := v.Addr().Interface().(nodeUnmarshaler); ok {
			if !isNull(n) {
				u.unmarshalNode(n, p, path)
			}
			return
		}
	}
	if isNull(n) {
		return // an empty value leaves the zero value; Validate judges it
	}
	switch v.Kind() {
	case reflect.Struct:
		p.decodeMapping(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			p.add(path, n, "must be a list")
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			p.decodeValue(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			p.add(path, n, "must be text")
			return
		}
		v.SetString(n.Value)
	case reflect.Int, reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 10, 64)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil {
			p.add(path, n, fmt.Sprintf("must be a whole number, not %s", show(n)))
			return
		}
		v.SetInt(i)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			p.add(path, n, fmt.Sprintf("must be true or false, not %s", show(n)))
			return
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			p.add(path, n, fmt.Sprintf("must be true or false, not %s", show(n)))
			return
		}
		v.SetBool(b)
	default:
		panic(fmt.Sprintf("venue: no YAML decoding for %s at %s", v.Type(), path))
	}
}

func (p *decodeState) decodeMapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		p.add(path, n, "must be a mapping of names to values")
		return
	}
	fields := yamlFields(v.Type())
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		sub := joinPath(path, key.Value)
		idx, ok := fields[key.Value]
		switch {
		case !ok:
			p.add(sub, key, fmt.Sprintf("unknown field %q", key.Value))
		case seen[key.Value]:
			p.add(sub, key, "given twice")
		default:
			seen[key.Value] = true
			// A mapping or list under a key is reported at its key's line.
			p.lines[sub] = key.Line
			p.decodeValue(val, v.Field(idx), sub)
		}
	}
}

// yamlFields maps yaml names to field indexes.
func yamlFields(t reflect.Type) map[string]int {
	out := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = i
	}
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func show(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}[n.Kind]
}

// lineOf finds the line for path, or for the nearest enclosing path the file
// has (a missing field is reported at its parent).
func (p *decodeState) lineOf(path string) int {
	for path != "" {
		if l, ok := p.lines[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return 0
}
