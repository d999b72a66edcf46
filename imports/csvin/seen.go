package csvin

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
)

// Seen finds the keys that occur more than once in a column of a file. It keeps a
// 128-bit hash of each key with its line, not the key itself, in a slice it sorts
// at the end: a results file's three million ids then take 72 MB with no pointers
// for the garbage collector, and no random access into a map per row. Two
// different keys share a hash with a probability of about n²/2¹²⁹, which is nil.
type Seen struct {
	seeds [2]maphash.Seed
	keys  []seenKey
}

type seenKey struct {
	hash [2]uint64
	line int
}

// NewSeen returns an empty set.
func NewSeen() *Seen {
	return &Seen{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// Add records that key is on line.
func (s *Seen) Add(key string, line int) {
	s.keys = append(s.keys, seenKey{hash: [2]uint64{maphash.String(s.seeds[0], key), maphash.String(s.seeds[1], key)}, line: line})
}

// Report adds a problem in column c for each line whose key an earlier line has:
// format gets the earlier line. It empties the set.
func (s *Seen) Report(r *Reader, c Column, format string) {
	// By hash alone, with early returns: this sort is the cost of the whole check.
	slices.SortFunc(s.keys, func(a, b seenKey) int {
		if a.hash[0] != b.hash[0] {
			return cmp.Compare(a.hash[0], b.hash[0])
		}
		return cmp.Compare(a.hash[1], b.hash[1])
	})
	for start := 0; start < len(s.keys); {
		end := start + 1
		for end < len(s.keys) && s.keys[end].hash == s.keys[start].hash {
			end++
		}
		if end-start > 1 {
			run := s.keys[start:end]
			first := slices.MinFunc(run, func(a, b seenKey) int { return cmp.Compare(a.line, b.line) }).line
			for _, k := range run {
				if k.line != first {
					r.problems.Add(Problem{File: r.file, Line: k.line, Column: c.Name, Message: fmt.Sprintf(format, first)})
				}
			}
		}
		start = end
	}
	s.keys = nil
}
