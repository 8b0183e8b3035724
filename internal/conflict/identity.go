package conflict

import "strings"

// identities decides which Person entries are the same human. Two entries
// are one person when they share an email (case-insensitively) or a non-zero
// account id; the relation is closed transitively, because an author listed
// with an old address on one submission and a new one on another is linked
// through their account id. A union-find over emails and ids gives each
// entry a node whose root names the person.
type identities struct {
	byEmail map[string]int32
	byID    map[int64]int32
	parent  []int32
}

func newIdentities(sizeHint int) *identities {
	return &identities{
		byEmail: make(map[string]int32, sizeHint),
		byID:    make(map[int64]int32, sizeHint),
		parent:  make([]int32, 0, sizeHint),
	}
}

func (ids *identities) fresh() int32 {
	n := int32(len(ids.parent))
	ids.parent = append(ids.parent, n)
	return n
}

// add registers p and returns a node for it. Roots can still change while
// entries are added, so callers resolve nodes with find once all are in.
func (ids *identities) add(p Person) int32 {
	n := int32(-1)
	if email := normalizeEmail(p.Email); email != "" {
		e, ok := ids.byEmail[email]
		if !ok {
			e = ids.fresh()
			ids.byEmail[email] = e
		}
		n = e
	}
	if p.ID != 0 {
		i, ok := ids.byID[p.ID]
		switch {
		case ok && n >= 0:
			ids.union(n, i)
		case ok:
			n = i
		default:
			if n < 0 {
				n = ids.fresh()
			}
			ids.byID[p.ID] = n
		}
	}
	if n < 0 {
		// Neither email nor id: this entry is nobody else.
		n = ids.fresh()
	}
	return n
}

func (ids *identities) find(n int32) int32 {
	for ids.parent[n] != n {
		ids.parent[n] = ids.parent[ids.parent[n]]
		n = ids.parent[n]
	}
	return n
}

func (ids *identities) union(a, b int32) {
	ra, rb := ids.find(a), ids.find(b)
	if ra == rb {
		return
	}
	if ra > rb {
		ra, rb = rb, ra
	}
	ids.parent[rb] = ra
}

func normalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
