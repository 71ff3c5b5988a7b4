import SLOWatchCore

/// A setting that can come from a flag, an environment variable or the configuration file.
///
/// The raw value is the configuration file key (`checkInterval`); the flag is its kebab-case form
/// (`--check-interval`) and the environment variable its upper snake-case form with a `SLOWATCH_`
/// prefix (`SLOWATCH_CHECK_INTERVAL`). Flags and environment variables are text; the file may use
/// YAML/JSON numbers where a number is expected.
public enum SettingKey: String, Sendable, CaseIterable {
    /// The address to bind: an IPv4 or IPv6 literal, or `localhost` (read as 127.0.0.1).
    case host
    /// The TCP port, 0...65535 (0 picks a free one).
    case port
    /// How often the SLO monitor checks (a duration).
    case checkInterval
    /// At most one violation event per SLO in this window (a duration).
    case rateLimitWindow
    /// The ring-buffer capacity, in samples, of metrics registered on first use.
    case capacity
    /// The most metrics the registry holds.
    case maxMetrics
    /// The memory budget (a byte size), or `auto`: the smaller of 2 GiB and half the memory the process
    /// may use.
    case memoryLimit
    /// The largest request body accepted (a byte size).
    case maxBody
    /// The most client connections open at once; one beyond it gets 503 and is closed.
    case maxConnections
    /// The most event streams open at once, out of ``maxConnections``; 0 means half of it.
    case maxStreams
    /// How many events the bus keeps for replay.
    case history
    /// The lowest log level written: trace, debug, info, notice, warning, error or critical.
    case logLevel
    /// The log line format: text or json.
    case logFormat
    /// How often every event stream gets a `: keepalive` comment (a duration).
    case keepaliveInterval
    /// How long a graceful shutdown waits for in-flight requests (a duration).
    case shutdownGrace
    /// Where to take StatsD lines over UDP and TCP (`127.0.0.1:8125`), or `off` (the default).
    case statsd
    /// The Alertmanagers that SLO alerts are sent to: `http://host[:port][/prefix]` URLs. A flag may be
    /// repeated, the environment variable holds a comma-separated list, and the file a list or one URL.
    case alertmanager
    /// The bearer token writes (and, with ``protectReads``, reads) must present, or `none`. A secret:
    /// flag or environment only, never the configuration file, and never printed.
    case token
    /// A file holding the token (one trailing newline is dropped), e.g. a Docker secret, or `none`.
    case tokenFile
    /// Whether reads need the token too (`true` or `false`).
    case protectReads
    /// Whether a non-loopback host may be served without a token (`true` or `false`).
    case insecure
    /// Whether the StatsD listener may use a non-loopback address (`true` or `false`).
    case statsdAllowRemote
    /// How long a request head may take to arrive from its first byte (a duration); then 408 and close.
    case headTimeout
    /// How long a request body may stall without a byte arriving (a duration); then 408 and close.
    case bodyTimeout
    /// How long a keep-alive connection may sit idle between requests (a duration); then it is closed.
    case idleTimeout
    /// How long queued response bytes may wait without the client reading any (a duration); then the
    /// connection is closed. Idle event streams are not affected.
    case writeStallTimeout
    /// The folder where definitions, the violation log and ring-buffer snapshots are kept across
    /// restarts; none (the default) keeps everything in memory.
    case dataDir
    /// How often the ring buffers are snapshotted to the data directory (a duration, at least 1s).
    case snapshotInterval
    /// When the journal of the data directory is flushed to the disk: never, batch or always.
    case fsync
    /// With `--fsync batch`, the shortest time between two flushes (a duration).
    case fsyncInterval
    /// The bucket scale of every metric's history, 3 to 8: quantiles from history are within
    /// (b − 1)/(b + 1), b = 2^(2^−scale), of the exact value (about 0.54 % at the default 6).
    case historyScale
    /// The finest history tier, `slice:retention` (`10s:6h`).
    case historyFine
    /// The middle history tier, `slice:retention` (`1m:48h`).
    case historyMedium
    /// The coarsest history tier, `slice:retention` (`1h:35d`); its retention is at most 400 days.
    case historyCoarse
    /// The part of the memory budget every metric's history may use together (a byte size).
    case historyMemory
    /// The OTLP attribute keys whose values are appended to an OTLP metric's name, in order
    /// (comma-separated; none by default).
    case otlpNameAttributes

    /// The settings table: one entry per setting, with its type and rule, where its value is stored, and
    /// its `--help` and docs/configuration.md texts. The flag, environment variable and file key come from the name
    /// (``flag``, ``environmentVariable``, ``fileKey``), and the default from ``ServiceConfiguration``.
    ///
    /// Adding a setting means a case above with its entry here, the stored property (with its default) in
    /// ``ServiceConfiguration``, and the code that uses it. The flags and `--help` (``SettingFlags``,
    /// ``SettingsHelp``), the environment and file reading, `check-config`'s listing and the table of
    /// docs/configuration.md (``SettingsMarkdown``, which a test compares with that page) all follow from it; the example files
    /// in `examples/` show every setting, and a test checks that they do.
    package var spec: SettingSpec {
        switch self {
        case .host:
            SettingSpec(
                .host, at: \.configuration.host, value: "address",
                help: "The address to bind: an IPv4 or IPv6 literal, or localhost",
                meaning: "address to bind: IPv4/IPv6 literal or `localhost` (`0.0.0.0` in a container)")
        case .port:
            SettingSpec(
                .integer(0...65_535, rule: "a whole number from 0 to 65535 (0 picks a free port)"),
                at: \.configuration.port, value: "port",
                help: "The TCP port to listen on; 0 picks a free one",
                meaning: "TCP port; 0 picks a free one")
        case .checkInterval:
            SettingSpec(
                .duration, at: \.configuration.checkIntervalMilliseconds, value: "duration",
                help: "How often SLOs are checked, e.g. 500ms, 5s, 1m",
                meaning: "how often SLOs are checked")
        case .rateLimitWindow:
            SettingSpec(
                .duration, at: \.configuration.rateLimitWindowMilliseconds, value: "duration",
                help: "At most one violation event per SLO within this duration",
                meaning: "at most one violation per SLO in this window")
        case .capacity:
            SettingSpec(
                .integer(
                    1...MetricDefinition.maximumCapacity,
                    rule: "a whole number of samples from 1 to \(MetricDefinition.maximumCapacity)"),
                at: \.configuration.capacity, value: "samples",
                help: "Samples kept per metric registered on first use",
                meaning: "samples kept per metric registered on first use (16 bytes each)")
        case .maxMetrics:
            SettingSpec(
                .integer(1...Int.max, rule: "a whole number of metrics, at least 1"),
                at: \.configuration.maxMetrics, value: "count",
                help: "The most metrics held at once",
                meaning: "the most metrics held")
        case .memoryLimit:
            SettingSpec(
                .memoryLimit, at: \.configuration.memoryLimitBytes, value: "size",
                help: "The memory budget for ring buffers and percentile scratch, e.g. 512MiB, 2GiB, or auto",
                meaning: "the memory budget (`512MiB`, `2GiB`): every metric's ring capacity (16 bytes a "
                    + "sample) is reserved in it when the metric is created or resized, and a PUT, "
                    + "sample or batch that does not fit gets 422 `memory_limit_reached`; `auto` is "
                    + "the smaller of 2 GiB and half the memory the process may use (cgroup "
                    + "`memory.max`, else physical memory). See [Memory budget](operations.md#memory-budget)")
        case .maxBody:
            SettingSpec(
                .bytes, at: \.configuration.maxBodyBytes, value: "size",
                help: "The largest request body, e.g. 1MiB, 512KiB, 1048576",
                meaning: "the largest request body (`512KiB`, `1048576`, `1MB`)")
        case .maxConnections:
            SettingSpec(
                .integer(
                    1...Self.maximumConnections,
                    rule: "a whole number of connections from 1 to \(Self.maximumConnections)"),
                at: \.configuration.maxConnections, value: "count",
                help: "The most connections open at once, streams included; more get 503",
                meaning: "the most connections open at once, event streams included (1–1000000); one "
                    + "more gets 503 with `Retry-After: 1`. `serve` raises its soft open-file limit "
                    + "(`ulimit -n`) to the hard limit, and warns at start-up when that is below this "
                    + "plus 64")
        case .maxStreams:
            SettingSpec(
                .integer(
                    0...Self.maximumConnections,
                    rule: "a whole number of streams from 0 to \(Self.maximumConnections), at most "
                        + "max-connections (0 means half of max-connections)"),
                at: \.configuration.maxStreams, value: "count",
                help: "The most event streams open at once (0: half of max-connections); more get 503",
                meaning: "the most event streams (`GET /slo/violations` with `Accept: text/event-stream`) "
                    + "open at once; `0` means half of `max-connections` (at least 1). At most "
                    + "`max-connections`. A stream beyond it gets 503 `too_many_streams` with "
                    + "`Retry-After: 2`; streams never take more than this many connection slots, so "
                    + "plain requests and `/healthz` always keep `max-connections` − `max-streams`")
        case .history:
            SettingSpec(
                .integer(
                    1...Self.maximumHistory, rule: "a whole number of events from 1 to \(Self.maximumHistory)"
                ), at: \.configuration.historyCapacity, value: "events",
                help: "Events kept for replay by GET /slo/violations and Last-Event-ID",
                meaning: "events kept for `GET /slo/violations` and `Last-Event-ID`")
        case .logLevel:
            SettingSpec(
                .logLevel, at: \.logLevel, value: "level",
                help: "The lowest level logged: trace, debug, info, notice, warning, error or critical",
                meaning: "`trace`, `debug` (adds a line per request), `info`, `notice`, `warning`, "
                    + "`error`, `critical`")
        case .logFormat:
            SettingSpec(
                .logFormat, at: \.logFormat, value: "format",
                help: "Log lines as text or json (one object per line)",
                meaning: "`text` or `json` (one object per line), on stderr")
        case .keepaliveInterval:
            SettingSpec(
                .duration, at: \.configuration.keepaliveIntervalMilliseconds, value: "duration",
                help: "How often every event stream gets a keepalive comment",
                meaning: "`: keepalive` on idle streams")
        case .shutdownGrace:
            SettingSpec(
                .duration, at: \.configuration.shutdownGraceMilliseconds, value: "duration",
                help: "How long shutdown waits for in-flight requests",
                meaning: "how long SIGTERM/SIGINT wait for in-flight requests (the process exits within "
                    + "10 s)")
        case .statsd:
            SettingSpec(
                .listenAddress, at: \.configuration.statsdAddress, value: "host:port",
                help: "Also take StatsD lines over UDP and TCP on this address, e.g. 127.0.0.1:8125",
                meaning: "`host:port` for the StatsD listener, UDP and TCP on one port "
                    + "(`127.0.0.1:8125`, `\"[::1]:8125\"`; port 0 picks a free one)")
        case .alertmanager:
            SettingSpec(
                .endpoints, at: \.configuration.alertmanagers, value: "url",
                help: "Send SLO alerts to this Alertmanager, http://host[:port][/prefix]; repeat for several",
                meaning: "Alertmanager URLs `http://host[:port][/prefix]` that get SLO alerts; repeat "
                    + "the flag, comma-separate the variable, a list in the file", repeatable: true)
        case .token:
            SettingSpec(
                .token, at: \.configuration.token, value: "token",
                help:
                    "The bearer token writes (and with --protect-reads, reads) need; other users can see it in ps, "
                    + "so prefer --token-file",
                meaning: "the bearer token: with one, every write (POST, PUT, DELETE) needs "
                    + "`Authorization: Bearer <token>`; 1–4096 visible ASCII characters; `none` for "
                    + "no token. A flag shows in `ps`: prefer `--token-file`. An empty "
                    + "`SLOWATCH_TOKEN` is an error, not \"no token\"", inFile: false)
        case .tokenFile:
            SettingSpec(
                .path(rule: "the path of a readable file that holds the token, or none", refusingNUL: false),
                at: \.tokenFile, value: "file",
                help: "Read the token from this file (one trailing newline is dropped)",
                meaning: "a file holding the token (one trailing newline dropped), e.g. "
                    + "`/run/secrets/slowatch_token`; giving both a token and a token file is an "
                    + "error")
        case .protectReads:
            SettingSpec(
                .boolean, at: \.configuration.protectReads, value: nil,
                help: "Reads need the token too, except /healthz, /openapi.yaml and the dashboard page",
                meaning: "reads (GET, HEAD) need the token too, except `GET /`, `/healthz` and "
                    + "`/openapi.yaml`")
        case .insecure:
            SettingSpec(
                .boolean, at: \.configuration.insecure, value: nil,
                help: "Allow a non-loopback --host without a token",
                meaning: "serve a non-loopback `--host` (`0.0.0.0`, `::`, a LAN address) without a "
                    + "token; without it that is refused (exit 78)")
        case .statsdAllowRemote:
            SettingSpec(
                .boolean, at: \.configuration.statsdAllowRemote, value: nil,
                help: "Allow a non-loopback --statsd address (StatsD has no authentication)",
                meaning: "let `--statsd` be a non-loopback address; without it that is refused (exit "
                    + "78). StatsD has no authentication")
        case .headTimeout:
            SettingSpec(
                .duration, at: \.configuration.headTimeoutMilliseconds, value: "duration",
                help: "How long a request head may take to arrive; then 408 and close",
                meaning: "a request head must arrive within this, counted from its first byte, else 408 and "
                    + "close (slowloris); a new connection that sends nothing also gets 408 after this")
        case .bodyTimeout:
            SettingSpec(
                .duration, at: \.configuration.bodyTimeoutMilliseconds, value: "duration",
                help: "How long a request body may stall between bytes; then 408 and close",
                meaning: "a request body may not stall longer than this between bytes, else 408 and "
                    + "close; a body slower than 240 bytes a second after its first 5 s also gets 408 "
                    + "(RUDY)")
        case .idleTimeout:
            SettingSpec(
                .duration, at: \.configuration.idleTimeoutMilliseconds, value: "duration",
                help: "How long a keep-alive connection may sit idle between requests",
                meaning: "an idle keep-alive connection is closed after this")
        case .writeStallTimeout:
            SettingSpec(
                .duration, at: \.configuration.writeStallTimeoutMilliseconds, value: "duration",
                help: "How long a client may leave queued response bytes unread before it is disconnected",
                meaning: "a client that leaves a response or stream unread, taking less than 4 KiB in "
                    + "this time, is disconnected (slow read); an idle event stream is not")
        case .dataDir:
            SettingSpec(
                .path(rule: "the path of a directory (created when absent), or none", refusingNUL: true),
                at: \.configuration.dataDirectory, value: "dir",
                help:
                    "Keep SLOs, metric definitions, violations and samples in this directory across restarts",
                meaning: "a directory where SLO and metric definitions, the violation history, "
                    + "ring buffers, metric histories and budget counts are kept across restarts "
                    + "(created 0700 when absent; see "
                    + "[Durable state](operations.md#durable-state)); `none` keeps everything in memory")
        case .snapshotInterval:
            SettingSpec(
                .duration(
                    atLeast: Self.minimumSnapshotIntervalMilliseconds,
                    rule: "a duration of at least 1s, such as 30s, 1m or 1h"),
                at: \.configuration.snapshotIntervalMilliseconds, value: "duration",
                help: "How often every ring buffer is snapshotted to the data directory",
                meaning: "how often every ring buffer is written to the data directory (at least `1s`), "
                    + "after which the journal before it is deleted")
        case .fsync:
            SettingSpec(
                .journalSync, at: \.configuration.fsync, value: "mode",
                help: "When the data directory's journal is flushed to disk: never, batch or always",
                meaning: "`never`: `write()` only, an acknowledged change survives `kill -9` but not a power "
                    + "loss; `batch`: one fsync at most every `--fsync-interval` across concurrent requests, "
                    + "each answered after it; `always`: an fsync before every answer")
        case .fsyncInterval:
            SettingSpec(
                .duration, at: \.configuration.fsyncIntervalMilliseconds, value: "duration",
                help: "With --fsync batch, the shortest time between two journal flushes",
                meaning: "group commit: requests arriving within it share one fsync")
        case .historyScale, .historyFine, .historyMedium, .historyCoarse, .historyMemory:
            historySpec
        case .otlpNameAttributes:
            otlpSpec
        }
    }
}
