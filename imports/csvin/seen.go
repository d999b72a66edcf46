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
	// This sort is the cost of the whole check: a radix sort by the first hash,
	// in a few passes over the keys, where a comparison sort of three million
	// keys took seconds. Keys that share it are told apart by the second.
	keys := radixSort(s.keys)
	for start := 0; start < len(keys); {
		end := start + 1
		for end < len(keys) && keys[end].hash[0] == keys[start].hash[0] {
			end++
		}
		if end-start > 1 {
			s.report(r, c, format, keys[start:end])
		}
		start = end
	}
	s.keys = nil
}

// report reports the duplicates in run, keys that share their first hash.
func (s *Seen) report(r *Reader, c Column, format string, run []seenKey) {
	slices.SortFunc(run, func(a, b seenKey) int {
		return cmp.Or(cmp.Compare(a.hash[1], b.hash[1]), cmp.Compare(a.line, b.line))
	})
	for i := 1; i < len(run); i++ {
		if first := slices.IndexFunc(run, func(k seenKey) bool { return k.hash == run[i].hash }); first < i {
			r.problems.Add(Problem{File: r.file, Line: run[i].line, Column: c.Name, Message: fmt.Sprintf(format, run[first].line)})
		}
	}
}

// radixSort sorts keys by their first hash, 16 bits a pass, and returns them,
// in keys or in a buffer of the same size.
func radixSort(keys []seenKey) []seenKey {
	buf := make([]seenKey, len(keys))
	for shift := 0; shift < 64; shift += 16 {
		var counts [1 << 16]int
		for _, k := range keys {
			counts[uint16(k.hash[0]>>shift)]++
		}
		pos := 0
		for i, n := range counts {
			counts[i] = pos
			pos += n
		}
		for _, k := range keys {
			d := uint16(k.hash[0] >> shift)
			buf[counts[d]] = k
			counts[d]++
		}
		keys, buf = buf, keys
	}
	return keys
}
