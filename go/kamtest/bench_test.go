package kamtest

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkStart times Start until the server is ready (node's start, a fresh PKI folder with its RSA keys, the
// RBAC bootstrap policy): what a test pays for each env. Stopping is not timed. npm run bench runs it with
// -test.benchtime=5x and reads ns/op (the mean) and median-ms.
func BenchmarkStart(b *testing.B) {
	var took []time.Duration
	for range b.N {
		start := time.Now()
		env := Start(b, Options{})
		took = append(took, time.Since(start))
		b.StopTimer()
		env.stop(b)
		b.StartTimer()
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
}
