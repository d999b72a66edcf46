package load

import (
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// PrintWebhook writes the steps as a table, one line a rate.
func PrintWebhook(w io.Writer, steps []WebhookStep) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "offered/s\tposted\tanswered\tanswered/s\tp50\tp90\tp99\tmax\taccepted p50\taccepted p99\trefused\tlost\textra\tmax RSS\tbot cores\ttool cores\t")
	for _, s := range steps {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%.2f\t%.2f\t\n", s.Offered, s.Posted, s.Answered, s.PerSec,
			ms(s.Latency.P50), ms(s.Latency.P90), ms(s.Latency.P99), ms(s.Latency.Max), ms(s.Accepted.P50), ms(s.Accepted.P99),
			s.Refused, s.Lost, s.Extra, mb(s.MaxRSS), s.BotCPU, s.ToolCPU)
	}
	return tw.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func mb(b int64) string         { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }

// floor is the least latency the chart shows: a log scale has no zero.
const floor = 0.1 // ms

// Chart writes a PNG of the reply latency (p50 and p99, log scale) against
// the offered load.
func Chart(file string, steps []WebhookStep) error {
	p := plot.New()
	p.Title.Text = "dnevnik bot: reply latency against offered load"
	p.X.Label.Text = "offered updates/s"
	p.Y.Label.Text = "reply latency, ms (log scale)"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())
	p.Legend.Top, p.Legend.Left = true, true
	line := func(pick func(Latencies) time.Duration) plotter.XYs {
		xys := make(plotter.XYs, len(steps))
		for i, s := range steps {
			xys[i].X = float64(s.Offered)
			xys[i].Y = max(floor, float64(pick(s.Latency))/float64(time.Millisecond))
		}
		return xys
	}
	p50, p99 := line(func(l Latencies) time.Duration { return l.P50 }), line(func(l Latencies) time.Duration { return l.P99 })
	if err := plotutil.AddLinePoints(p, "p50", p50, "p99", p99); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	// From the power of ten below the least to the one above the most: a log
	// scale labels its powers of ten only, and a range within one decade
	// (2 to 8 ms, say) would show none.
	least, most := math.Inf(1), math.Inf(-1)
	for _, xy := range append(p50, p99...) {
		least, most = min(least, xy.Y), max(most, xy.Y)
	}
	p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(least))), math.Pow(10, math.Ceil(math.Log10(most)))
	if p.Y.Max == p.Y.Min {
		p.Y.Max *= 10
	}
	if err := p.Save(16*vg.Centimeter, 10*vg.Centimeter, file); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}
