package load

import (
	"slices"
	"time"
)

// Latencies is a distribution of reply times.
type Latencies struct {
	P50, P90, P99, Max time.Duration
}

// distribution sorts ds and reads its percentiles (nearest rank); zero for none.
func distribution(ds []time.Duration) Latencies {
	if len(ds) == 0 {
		return Latencies{}
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(ds))+0.999999) - 1
		return ds[max(0, min(i, len(ds)-1))]
	}
	return Latencies{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: ds[len(ds)-1]}
}
