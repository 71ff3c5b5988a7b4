// SLOWatchProtobuf holds only generated code (Generated/, written by `make generate` from Protos/ with
// protoc-gen-swift, package visibility) and this note. Its types are:
// - `Io_Prometheus_Client_*`: Prometheus's exposition (MetricFamily, Metric, Histogram, BucketSpan, …),
//   from prometheus/client_model's io/prometheus/client/metrics.proto;
// - `Opentelemetry_Proto_*`: OTLP metrics (ExportMetricsServiceRequest and what it holds), from
//   open-telemetry/opentelemetry-proto.
// Do not edit Generated/ by hand: change Protos/ (kept unmodified from upstream) and run `make generate`.
