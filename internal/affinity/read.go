package affinity

import "slices"

// fieldText is one field of a document as NewScorer takes it: its weight and
// its texts (one, or many).
type fieldText struct {
	weight float64
	one    string
	many   []string
}

// docFields puts document d's fields (the submissions first, then the
// reviewers) into f and returns how many there are.
func docFields(subs []Submission, revs []Reviewer, o Options, d int, f *[3]fieldText) int {
	if d < len(subs) {
		s := &subs[d]
		f[0] = fieldText{weight: o.TitleWeight, one: s.Title}
		f[1] = fieldText{weight: o.AbstractWeight, one: s.Abstract}
		f[2] = fieldText{weight: o.KeywordWeight, many: s.Keywords}
		return 3
	}
	r := &revs[d-len(subs)]
	f[0] = fieldText{weight: o.KeywordWeight, many: r.Keywords}
	f[1] = fieldText{weight: o.AbstractWeight, many: r.Papers}
	return 2
}

// readBatch is the words of consecutive documents' fields: field k's are
// toks[ends[k-1]:ends[k]].
type readBatch struct {
	toks []int32
	ends []int32
}

// readAll reads every document's fields in order on its own goroutine and
// sends them in batches of about batchToks words; it takes the batches to
// fill from free and closes out at the end.
func readAll(subs []Submission, revs []Reviewer, o Options, out chan<- *readBatch, free <-chan *readBatch) {
	const batchToks = 1 << 16
	defer close(out)
	r := newReader()
	var f [3]fieldText
	n := len(subs) + len(revs)
	b := <-free
	for d := range n {
		for _, ft := range f[:docFields(subs, revs, o, d, &f)] {
			if ft.weight != 0 {
				if ft.many == nil {
					b.toks = r.read(ft.one, b.toks)
				}
				for _, text := range ft.many {
					b.toks = r.read(text, b.toks)
				}
			}
			b.ends = append(b.ends, int32(len(b.toks)))
		}
		if len(b.toks) >= batchToks || d == n-1 {
			out <- b
			if d < n-1 {
				b = <-free
				b.toks, b.ends = b.toks[:0], b.ends[:0]
			}
		}
	}
}

// addAll builds the corpus's documents from readAll's batches, in the same
// order: reading the text and handing out term ids run side by side.
func (c *corpus) addAll(subs []Submission, revs []Reviewer, o Options) (rawSubs, rawRevs []doc) {
	out, free := make(chan *readBatch, 2), make(chan *readBatch, 3)
	for range cap(free) {
		free <- &readBatch{}
	}
	go readAll(subs, revs, o, out, free)
	fields := make([]field, 3*len(subs)+2*len(revs))
	docs := make([]doc, len(subs)+len(revs))
	var (
		f    [3]fieldText
		b    *readBatch
		k    int // the next field of b
		used int // fields taken
	)
	// The fields' terms are sorted on a goroutine of their own, a batch
	// of documents behind: handing out term ids has to run in text order
	// on this one, sorting does not, and the reader's core has time left.
	const sortBatch = 512
	toSort, sorted := make(chan []doc, 64), make(chan struct{})
	go func() {
		for batch := range toSort {
			for _, d := range batch {
				for _, fd := range d {
					slices.Sort(fd.ids)
				}
			}
		}
		close(sorted)
	}()
	from := 0
	for d := range docs {
		nf := docFields(subs, revs, o, d, &f)
		df := fields[used : used+nf : used+nf]
		used += nf
		for i := range nf {
			if b == nil || k == len(b.ends) {
				if b != nil {
					free <- b
				}
				b, k = <-out, 0
			}
			start := int32(0)
			if k > 0 {
				start = b.ends[k-1]
			}
			df[i] = c.field(f[i].weight, b.toks[start:b.ends[k]])
			k++
		}
		docs[d] = c.add(d < len(subs), df)
		if d+1-from == sortBatch || d == len(docs)-1 {
			toSort <- docs[from : d+1]
			from = d + 1
		}
	}
	close(toSort)
	for range out { // the reader is done: let it finish
	}
	<-sorted
	return docs[:len(subs)], docs[len(subs):]
}
