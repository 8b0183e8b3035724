package affinity

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// synthetic builds a deterministic corpus with topical structure: each
// submission is drawn from one topic, each reviewer from one or two, and
// all text mixes topic words with a Zipf-distributed general vocabulary and
// stopwords, so posting lists have the skew of real abstracts.
func synthetic(nSubs, nRevs int, seed uint64) ([]Submission, []Reviewer) {
	const (
		nTopics     = 200
		topicWords  = 40
		commonWords = 8000
	)
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	zipf := rand.NewZipf(rng, 1.1, 2, commonWords-1)
	fillers := []string{"the", "of", "and", "we", "a", "in", "for", "is", "with", "that"}
	topicWord := func(topic, i int) string { return word(1_000_000 + topic*topicWords + i) }
	keyword := func(topic int) string {
		return topicWord(topic, rng.IntN(topicWords/4)) + " " + topicWord(topic, topicWords/4+rng.IntN(topicWords/4))
	}
	text := func(topics []int, n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(' ')
			}
			switch x := rng.IntN(10); {
			case x < 3:
				b.WriteString(topicWord(topics[rng.IntN(len(topics))], rng.IntN(topicWords)))
			case x < 5:
				b.WriteString(fillers[rng.IntN(len(fillers))])
			default:
				b.WriteString(word(int(zipf.Uint64())))
			}
			if rng.IntN(12) == 0 {
				b.WriteByte('.')
			}
		}
		return b.String()
	}

	subs := make([]Submission, nSubs)
	for i := range subs {
		topic := []int{rng.IntN(nTopics)}
		subs[i] = Submission{
			ID:       fmt.Sprintf("s%05d", i),
			Title:    text(topic, 8),
			Abstract: text(topic, 150),
			Keywords: []string{keyword(topic[0]), keyword(topic[0]), keyword(topic[0]), word(int(zipf.Uint64()))},
		}
	}
	revs := make([]Reviewer, nRevs)
	for i := range revs {
		topics := []int{rng.IntN(nTopics)}
		if rng.IntN(2) == 0 {
			topics = append(topics, rng.IntN(nTopics))
		}
		r := Reviewer{ID: fmt.Sprintf("r%05d", i)}
		for range 5 {
			r.Keywords = append(r.Keywords, keyword(topics[rng.IntN(len(topics))]))
		}
		for range 1 + rng.IntN(4) {
			r.Papers = append(r.Papers, text(topics, 150))
		}
		revs[i] = r
	}
	return subs, revs
}

// word spells n with letters only, so the tokenizer keeps it and the
// stemmer leaves it alone (no word ends in s, e, ed or ing).
func word(n int) string {
	const consonants, vowels = "bdfgklmnprtvz", "aiou"
	var b strings.Builder
	for {
		b.WriteByte(consonants[n%len(consonants)])
		n /= len(consonants)
		b.WriteByte(vowels[n%len(vowels)])
		n /= len(vowels)
		if n == 0 {
			return b.String()
		}
	}
}
