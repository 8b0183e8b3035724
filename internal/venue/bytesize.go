package venue

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ByteSize is an upload limit. Files may say 10485760, "10 MiB" or "10 MB";
// export writes the binary unit when it divides evenly, so limits stay
// readable in version control.
type ByteSize int64

var byteUnits = []struct {
	name string
	size int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1},
}

// ParseByteSize reads a whole number of bytes with an optional unit.
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.name) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.name)), u.size
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size such as 10 MiB or 10485760", s)
	}
	if n > (1<<62)/mult || n < -(1<<62)/mult {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return ByteSize(n * mult), nil
}

// String writes b in the largest binary unit that divides it.
func (b ByteSize) String() string {
	for _, u := range byteUnits[:3] {
		if b != 0 && int64(b)%u.size == 0 {
			return fmt.Sprintf("%d %s", int64(b)/u.size, u.name)
		}
	}
	return strconv.FormatInt(int64(b), 10)
}

// MarshalYAML writes the String form, or a bare number when it has no unit.
func (b ByteSize) MarshalYAML() (any, error) {
	if s := b.String(); strings.Contains(s, " ") {
		return s, nil
	}
	return int64(b), nil
}

func (b *ByteSize) unmarshalNode(n *yaml.Node, p *decodeState, path string) {
	if n.Kind != yaml.ScalarNode {
		p.add(path, n, "must be a size such as 10 MiB")
		return
	}
	v, err := ParseByteSize(n.Value)
	if err != nil {
		p.add(path, n, err.Error())
		return
	}
	*b = v
}
