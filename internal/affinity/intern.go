package affinity

import (
	"bytes"
	"hash/maphash"
)

// The corpus looks a term up for every word of every text: four million
// words and two million distinct terms at conference scale. These two
// open-addressing tables do it with one probe into one flat array where a
// Go map walks groups of slots and, for strings, keeps a pointer per key
// for the collector to scan.

// pairTable maps a bigram, the stem indices of its two words, to its term
// id. A slot is 12 bytes; first is stored plus one, so a zero slot is empty.
type pairTable struct {
	slots []pairSlot
	n     int
	sink  uint32 // keeps touch's reads from being optimised away
}

type pairSlot struct{ first, second, id uint32 }

func pairHash(first, second uint32) uint64 {
	return (uint64(first)<<32 | uint64(second)) * 0x9e3779b97f4a7c15
}

// id returns the pair's id, or newID() for a pair not seen before, which
// it then keeps.
func (t *pairTable) id(first, second int32, newID func() int32) int32 {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	a, b := uint32(first)+1, uint32(second)
	mask := uint64(len(t.slots) - 1)
	for i := pairHash(a, b) >> 32 & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.first == a && s.second == b {
			return int32(s.id)
		}
		if s.first == 0 {
			id := newID()
			*s = pairSlot{a, b, uint32(id)}
			t.n++
			return id
		}
	}
}

// touch reads the slot where each adjacent pair of toks (stem indices, -1
// between phrases) would be found, so that id finds it in the cache.
func (t *pairTable) touch(toks []int32) {
	if len(t.slots) == 0 {
		return
	}
	mask := uint64(len(t.slots) - 1)
	var sum uint32
	for k := 1; k < len(toks); k++ {
		if a, b := toks[k-1], toks[k]; a >= 0 && b >= 0 {
			sum += t.slots[pairHash(uint32(a)+1, uint32(b))>>32&mask].id
		}
	}
	t.sink += sum
}

func (t *pairTable) grow() {
	old := t.slots
	t.slots = make([]pairSlot, max(1024, 2*len(old)))
	mask := uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.first == 0 {
			continue
		}
		i := pairHash(s.first, s.second) >> 32 & mask
		for t.slots[i].first != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

// wordTable maps a word's bytes to a value; the words are kept in one
// byte array. An empty slot has length 0 (a word is never empty).
type wordTable struct {
	seed  maphash.Seed
	slots []wordSlot
	text  []byte
	n     int
}

type wordSlot struct {
	hash     uint32
	off, len uint32
	val      int32
}

// value returns the word's value, or newValue(w) for a word not seen
// before, which it then keeps.
func (t *wordTable) value(w []byte, newValue func(w []byte) int32) int32 {
	if t.slots == nil {
		t.seed = maphash.MakeSeed()
	}
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	h := maphash.Bytes(t.seed, w)
	h32 := uint32(h >> 32)
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.len == 0 {
			v := newValue(w)
			*s = wordSlot{hash: h32, off: uint32(len(t.text)), len: uint32(len(w)), val: v}
			t.text = append(t.text, w...)
			t.n++
			return v
		}
		if s.hash == h32 && int(s.len) == len(w) && bytes.Equal(t.text[s.off:s.off+s.len], w) {
			return s.val
		}
	}
}

func (t *wordTable) grow() {
	old := t.slots
	t.slots = make([]wordSlot, max(1024, 2*len(old)))
	mask := uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.len == 0 {
			continue
		}
		i := maphash.Bytes(t.seed, t.text[s.off:s.off+s.len]) & mask
		for t.slots[i].len != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}
