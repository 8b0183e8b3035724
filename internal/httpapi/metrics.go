package httpapi

import (
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/quirehq/quire/internal/pdfcheck"
)

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(pool *pgxpool.Pool, checker *pdfcheck.Checker) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "quire_http_requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "quire_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool != nil {
		reg.MustRegister(poolCollector{pool})
	}
	if checker != nil {
		reg.MustRegister(checkerCollector{checker})
	}
	return m
}

// middleware records every request under its route pattern (not its raw path,
// which would explode the label space).
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		method := c.Request().Method
		m.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return nil
	}
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}

// poolCollector exports the connection pool's statistics at scrape time.
type poolCollector struct{ pool *pgxpool.Pool }

var (
	poolAcquired = prometheus.NewDesc("quire_db_pool_acquired_conns", "Connections currently in use.", nil, nil)
	poolIdle     = prometheus.NewDesc("quire_db_pool_idle_conns", "Idle connections.", nil, nil)
	poolTotal    = prometheus.NewDesc("quire_db_pool_total_conns", "Open connections.", nil, nil)
	poolMax      = prometheus.NewDesc("quire_db_pool_max_conns", "Maximum pool size.", nil, nil)
	poolAcquires = prometheus.NewDesc("quire_db_pool_acquires_total", "Connections acquired from the pool.", nil, nil)
	poolWaits    = prometheus.NewDesc("quire_db_pool_empty_acquires_total", "Acquires that had to wait for a connection.", nil, nil)
	poolWaitSecs = prometheus.NewDesc("quire_db_pool_acquire_wait_seconds_total", "Time spent waiting for connections.", nil, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolTotal, poolMax, poolAcquires, poolWaits, poolWaitSecs} {
		ch <- d
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolAcquired, prometheus.GaugeValue, float64(s.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(s.IdleConns()))
	ch <- prometheus.MustNewConstMetric(poolTotal, prometheus.GaugeValue, float64(s.TotalConns()))
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaitSecs, prometheus.CounterValue, s.AcquireDuration().Seconds())
}

// checkerCollector exports, at scrape time, whether each tool of the PDF
// check worked when last probed (at start-up, by /readyz, after a failed
// check) and how many checks could not run.
type checkerCollector struct{ checker *pdfcheck.Checker }

var (
	toolUp = prometheus.NewDesc("quire_pdfcheck_tool_up",
		"1 when the PDF check's tool was found and worked on the built-in test PDF when last probed, 0 otherwise.", []string{"tool"}, nil)
	checkFailures = prometheus.NewDesc("quire_pdfcheck_failures_total",
		"PDF checks that could not run (a missing or broken tool, a dead worker); the upload was refused with 503.", nil, nil)
)

func (checkerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- toolUp
	ch <- checkFailures
}

func (c checkerCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.checker.Tools().Status() {
		up := 0.0
		if s.OK() {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(toolUp, prometheus.GaugeValue, up, s.Name)
	}
	ch <- prometheus.MustNewConstMetric(checkFailures, prometheus.CounterValue, float64(c.checker.Failures()))
}
