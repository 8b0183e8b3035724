//go:build race

package auth

// raceEnabled lets cost measurements skip themselves: the race detector
// slows argon2 about thirtyfold, which says nothing about production.
const raceEnabled = true
