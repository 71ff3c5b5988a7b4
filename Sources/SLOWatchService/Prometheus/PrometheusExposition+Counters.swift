extension PrometheusExposition {
    /// The service's own counters and gauges: samples, HTTP responses, StatsD lines, Alertmanager
    /// deliveries, storage failures, registered metrics, the memory budget and its use, open event streams
    /// and the build.
    static func writeServiceCounters(
        of service: SLOWatchService, to writer: inout some PrometheusSampleWriter
    ) {
        let counters = service.counters
        counter(
            "slowatch_samples_total", "Samples accepted, from every source (POST /samples, StatsD).",
            ServiceCounters.read(counters.samplesAccepted), to: &writer)
        counter(
            "slowatch_samples_dropped_total",
            "Samples dropped from full ring buffers (overflow), deleted metrics included.",
            service.registry.totalOverflow, to: &writer)
        writer.family(
            "slowatch_http_requests_total", type: .counter,
            help: "HTTP responses written, by status code, errors the server answered itself included.")
        for (code, count) in service.responsesByStatus().sorted(by: { $0.key < $1.key }) {
            writer.sample("slowatch_http_requests_total", labels: ["code": String(code)], count)
        }
        counter(
            "slowatch_http_gzip_responses_total",
            "HTTP answers sent gzip-coded (Content-Encoding: gzip), HEAD included.",
            ServiceCounters.read(counters.gzipResponses), to: &writer)
        counter(
            "slowatch_statsd_accepted_lines_total", "StatsD lines recorded as samples (|ms, |h, |d, |g).",
            ServiceCounters.read(counters.statsdLinesAccepted), to: &writer)
        counter(
            "slowatch_statsd_rejected_lines_total",
            "Well-formed StatsD lines of a type slowatch does not keep (|c counters, |s sets).",
            ServiceCounters.read(counters.statsdLinesRejected), to: &writer)
        counter(
            "slowatch_statsd_bad_lines_total", "StatsD lines that could not be read.",
            ServiceCounters.read(counters.statsdLinesBad), to: &writer)
        counter(
            "slowatch_alertmanager_alerts_sent_total", "Alerts an Alertmanager accepted.",
            ServiceCounters.read(counters.alertsSent), to: &writer)
        counter(
            "slowatch_alertmanager_delivery_failures_total",
            "Posts to an Alertmanager that failed (connection error, timeout or non-2xx), retries included.",
            ServiceCounters.read(counters.alertDeliveryFailures), to: &writer)
        counter(
            "slowatch_storage_failures_total",
            "Durable writes of the data directory that failed (snapshots, definitions, the violation log).",
            service.durable?.health.status.failures ?? 0, to: &writer)
        gauge(
            "slowatch_metrics", "Metrics registered now.", Double(service.registry.metricCount), to: &writer)
        gauge(
            "slowatch_memory_budget_bytes", "The memory budget (--memory-limit), in bytes.",
            Double(service.registry.memory.limit), to: &writer)
        gauge(
            "slowatch_memory_reserved_bytes",
            "Bytes reserved in the memory budget: ring capacity, per-metric overhead, percentile scratch.",
            Double(service.registry.memory.reserved), to: &writer)
        counter(
            "slowatch_history_dropped_slices_total",
            "History slices dropped to keep --history-memory (oldest, coarsest, least recently written first).",
            service.registry.historyMemory.droppedSlices, to: &writer)
        gauge(
            "slowatch_history_bytes",
            "Bytes every metric's history holds, as counted against --history-memory.",
            Double(service.registry.historyMemory.bytes), to: &writer)
        gauge(
            "slowatch_event_subscribers", "Open event streams (GET /slo/violations as Server-Sent Events).",
            Double(service.streams.count), to: &writer)
        writer.family(
            "slowatch_build_info", type: .gauge, help: "Always 1; the label version names the build.")
        writer.sample("slowatch_build_info", labels: ["version": SLOWatchVersion.current], 1.0)
    }

    /// The conventional process gauges and CPU counter, each omitted when it could not be read.
    static func writeProcess(_ stats: ProcessStats, to writer: inout some PrometheusSampleWriter) {
        if let seconds = stats.cpuSeconds {
            writer.family(
                "process_cpu_seconds_total", type: .counter, help: "User and system CPU time, in seconds.")
            writer.sample("process_cpu_seconds_total", seconds)
        }
        let gauges: [(name: String, help: String, value: Double?)] = [
            ("process_resident_memory_bytes", "Resident memory, in bytes.", stats.residentMemoryBytes),
            ("process_virtual_memory_bytes", "Virtual memory, in bytes.", stats.virtualMemoryBytes),
            ("process_open_fds", "Open file descriptors.", stats.openFileDescriptors),
            ("process_max_fds", "The limit on open file descriptors.", stats.maxFileDescriptors),
            (
                "process_start_time_seconds", "When the process started, in seconds since the Unix epoch.",
                stats.startTimeSeconds
            ),
        ]
        for gauge in gauges {
            guard let value = gauge.value else { continue }
            self.gauge(gauge.name, gauge.help, value, to: &writer)
        }
    }

    /// A counter family with one unlabelled sample.
    private static func counter(
        _ name: String, _ help: String, _ value: UInt64, to writer: inout some PrometheusSampleWriter
    ) {
        writer.family(name, type: .counter, help: help)
        writer.sample(name, value)
    }

    /// A gauge family with one unlabelled sample.
    private static func gauge(
        _ name: String, _ help: String, _ value: Double, to writer: inout some PrometheusSampleWriter
    ) {
        writer.family(name, type: .gauge, help: help)
        writer.sample(name, value)
    }
}
