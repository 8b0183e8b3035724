package auth

import (
	"container/list"
	"context"
	"fmt"
	"sync"
	"time"
)

// Limiter decides whether one more attempt under key is allowed at now. When
// it is not, retryAfter says how long until it would be, for Retry-After.
// A limiter kept in a database can fail; the memory one cannot.
type Limiter interface {
	Allow(ctx context.Context, key string, now time.Time) (ok bool, retryAfter time.Duration, err error)
}

// Rate is Burst attempts per Per, refilled continuously: Rate{5, 15*time.Minute}
// allows 5 attempts at once and then one every 3 minutes.
type Rate struct {
	Burst int
	Per   time.Duration
}

// MemoryLimiter is a token-bucket Limiter held in memory. Its memory is
// bounded: a key whose bucket has refilled is indistinguishable from a new
// key and is dropped, and beyond MaxKeys the least recently used key is
// evicted. Eviction forgives that key, which is the safer failure than
// refusing everyone once an attacker has filled the table. Limits reset on
// restart and are per process; that is acceptable for a single-instance
// deployment and keeps Postgres out of the login path.
type MemoryLimiter struct {
	rate     Rate
	maxKeys  int
	interval time.Duration // time to earn one token

	mu      sync.Mutex
	buckets map[string]*list.Element
	lru     *list.List // front = most recently used
}

type bucket struct {
	key    string
	tokens float64
	last   time.Time
}

// DefaultMaxKeys bounds a MemoryLimiter at about 20 MB (some 200 bytes a key).
const DefaultMaxKeys = 100_000

// NewMemoryLimiter returns a limiter for rate holding at most maxKeys keys
// (DefaultMaxKeys when maxKeys <= 0).
func NewMemoryLimiter(rate Rate, maxKeys int) (*MemoryLimiter, error) {
	if rate.Burst < 1 || rate.Per <= 0 {
		return nil, fmt.Errorf("auth: rate %d per %v: burst and period must be positive", rate.Burst, rate.Per)
	}
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	return &MemoryLimiter{
		rate:     rate,
		maxKeys:  maxKeys,
		interval: rate.Per / time.Duration(rate.Burst),
		buckets:  map[string]*list.Element{},
		lru:      list.New(),
	}, nil
}

// Allow takes one token from key's bucket if it has one.
func (l *MemoryLimiter) Allow(_ context.Context, key string, now time.Time) (bool, time.Duration, error) {
	ok, wait := l.allow(key, now)
	return ok, wait, nil
}

func (l *MemoryLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.expire(now)
	b := l.touch(key, now)
	b.tokens = l.refill(b, now)
	b.last = later(b.last, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.interval))
	return false, max(wait, time.Nanosecond)
}

// Reset forgets key, e.g. the per-account counter after a successful login.
func (l *MemoryLimiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.buckets[key]; ok {
		l.lru.Remove(e)
		delete(l.buckets, key)
	}
}

// Len reports how many keys are tracked, so tests and metrics can see that
// memory stays bounded.
func (l *MemoryLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (l *MemoryLimiter) touch(key string, now time.Time) *bucket {
	if e, ok := l.buckets[key]; ok {
		l.lru.MoveToFront(e)
		return e.Value.(*bucket)
	}
	for len(l.buckets) >= l.maxKeys {
		l.evict(l.lru.Back())
	}
	b := &bucket{key: key, tokens: float64(l.rate.Burst), last: now}
	l.buckets[key] = l.lru.PushFront(b)
	return b
}

// expire drops buckets that have refilled completely. The list is ordered by
// last use, so the scan stops at the first bucket still recovering and the
// cost is amortised over the keys it removes.
func (l *MemoryLimiter) expire(now time.Time) {
	for e := l.lru.Back(); e != nil; e = l.lru.Back() {
		b := e.Value.(*bucket)
		if now.Sub(b.last) < l.rate.Per {
			return
		}
		l.evict(e)
	}
}

func (l *MemoryLimiter) evict(e *list.Element) {
	delete(l.buckets, e.Value.(*bucket).key)
	l.lru.Remove(e)
}

func (l *MemoryLimiter) refill(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.last)
	if elapsed <= 0 { // an injected clock may step back; never refund for it
		return b.tokens
	}
	earned := float64(elapsed) / float64(l.interval)
	return min(float64(l.rate.Burst), b.tokens+earned)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
