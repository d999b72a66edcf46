package jobs_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dnevnik/dnevnik/jobs"
)

func TestMetricsHeldQueueDepthAndCodeBrake(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := jobs.NewMetrics(reg)
	m.Held("digest")
	m.Held("digest")
	m.SetQueueDepth("send", 7)
	m.SetQueueDepth("send", 3)
	m.CodeBrake()

	if n := metric(t, reg, "dnevnik_messages_held_total", "kind", "digest"); n != 2 {
		t.Errorf("held_total = %v", n)
	}
	if n := metric(t, reg, "dnevnik_queue_depth", "queue", "send"); n != 3 {
		t.Errorf("queue_depth = %v", n)
	}
	if n := metric(t, reg, "dnevnik_code_checks_braked_total"); n != 1 {
		t.Errorf("code_checks_braked_total = %v", n)
	}

	var none *jobs.Metrics // a sender or worker without metrics
	none.Held("digest")
	none.SetQueueDepth("send", 1)
	none.CodeBrake()
}
