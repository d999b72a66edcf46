package csvin

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"slices"
)

// Seen finds the keys that occur more than once in a column of a file. It keeps a
// 96-bit hash of each key with its line, not the key itself, in a slice it sorts
// at the end: a results file's three million ids then take 48 MB with no pointers
// for the garbage collector, and no random access into a map per row. Two
// different keys share a hash with a probability of about n²/2⁹⁷, which is nil.
type Seen struct {
	r      *Reader
	hashes [2]maphash.Hash // seeded apart
	keys   []seenKey
}

type seenKey struct {
	hash uint64 // of the key
	tag  uint64 // 32 bits of a second hash of the key, above the line
}

// NewSeen returns an empty set for keys read from r.
func NewSeen(r *Reader) *Seen {
	s := &Seen{r: r}
	s.hashes[1].SetSeed(maphash.MakeSeed()) // the first seeds itself
	return s
}

// Add records that key is on the current line.
func (s *Seen) Add(key string) { s.AddPair(key, "") }

// AddPair records that the pair of keys a and b is on the current line.
func (s *Seen) AddPair(a, b string) {
	if len(s.keys) == cap(s.keys) {
		// Grown to the rows the file is likely to hold, rather than doubled
		// again and again: copying the slice as it doubled was most of the
		// cost of the check.
		s.keys = slices.Grow(s.keys, max(s.r.estimatedRows()*17/16-len(s.keys), len(s.keys)/4, 1024))
	}
	var hash [2]uint64
	var length [8]byte // of a: the pairs ("a", "bc") and ("ab", "c") differ
	binary.LittleEndian.PutUint64(length[:], uint64(len(a)))
	for i := range s.hashes {
		h := &s.hashes[i]
		h.Reset()
		h.Write(length[:])
		h.WriteString(a)
		h.WriteString(b)
		hash[i] = h.Sum64()
	}
	s.keys = append(s.keys, seenKey{hash: hash[0], tag: hash[1]<<32 | uint64(uint32(s.r.line))})
}

func (k seenKey) line() int { return int(uint32(k.tag)) }

// Report adds a problem in column c for each line whose key an earlier line has:
// format gets the earlier line. It empties the set.
func (s *Seen) Report(c Column, format string) {
	// This sort is the cost of the whole check: a radix sort by the first hash,
	// in a few passes over the keys, where a comparison sort of three million
	// keys took seconds. Keys that share it are told apart by the second.
	keys := radixSort(s.keys)
	for start := 0; start < len(keys); {
		end := start + 1
		for end < len(keys) && keys[end].hash == keys[start].hash {
			end++
		}
		if end-start > 1 {
			s.report(c, format, keys[start:end])
		}
		start = end
	}
	s.keys = nil
}

// report reports the duplicates in run, keys that share their first hash. The
// tags sort keys equal in both hashes together, the first line first.
func (s *Seen) report(c Column, format string, run []seenKey) {
	slices.SortFunc(run, func(a, b seenKey) int { return cmp.Compare(a.tag, b.tag) })
	for i := 1; i < len(run); i++ {
		if first := slices.IndexFunc(run, func(k seenKey) bool { return k.tag>>32 == run[i].tag>>32 }); first < i {
			s.r.problems.Add(Problem{File: s.r.file, Line: run[i].line(), Column: c.Name, Message: fmt.Sprintf(format, run[first].line())})
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
			counts[uint16(k.hash>>shift)]++
		}
		pos := 0
		for i, n := range counts {
			counts[i] = pos
			pos += n
		}
		for _, k := range keys {
			d := uint16(k.hash >> shift)
			buf[counts[d]] = k
			counts[d]++
		}
		keys, buf = buf, keys
	}
	return keys
}
