import SLOWatchCore

/// Turns a `POST /samples` body into checked samples, or into the 400 that names the first bad one.
///
/// The body is one sample, `{"metric":"checkout.latency","value":12.5,"timestamp":1764393600000}`, or
/// a batch, `{"samples":[…]}` of at most ``maximumSamples``. Unknown fields are ignored; `timestamp` is
/// optional (`null` counts as absent) and, when given, at least ``minimumTimestampMilliseconds``.
/// Every sample is checked before any is returned, so a caller that records only what this returns
/// records all of a batch or nothing.
///
/// The interface is deliberately narrow (bytes in, samples or an ``APIError`` out) so that the
/// internals can become a streaming decoder without touching the route.
enum SampleBatchDecoder {
    /// The most samples one batch may hold.
    static let maximumSamples = 10_000

    /// The smallest timestamp the HTTP API accepts, in ms since the Unix epoch: 10^11 ms, 1973-03-03.
    ///
    /// A timestamp below it is almost surely in seconds (1764393600 is 2025-11-29 in seconds, but
    /// January 1970 in ms), and taken as ms it would fall outside every window without a sign. The
    /// rule is the HTTP API's only: an embedder calling `MetricsRegistry.record` may pass any finite
    /// time (a simulation, a test clock).
    static let minimumTimestampMilliseconds: Double = 100_000_000_000

    /// Decodes and checks a body.
    ///
    /// The common shapes are read by ``SampleBodyScanner`` straight from the bytes; everything else,
    /// including every body that is refused, goes through the strict JSON parser and the field checks
    /// below, which give the same batch for what the scanner accepts.
    /// - Parameters:
    ///   - body: the request body, UTF-8 JSON.
    ///   - cache: the calling thread's resolved names (see ``SampleBodyScanner/scan(_:cache:)``), or nil.
    /// - Returns: the samples, in body order (one for a single sample; possibly none for an empty batch).
    /// - Throws: 400 `invalid_json` when the body is not strict JSON; 400 `invalid_request` naming the
    ///   first bad sample and field (`samples[3].value: must be a finite number, got string.`).
    static func decode(_ body: [UInt8], cache: SampleHandleCache? = nil) throws(APIError) -> SampleBatch {
        if let batch = SampleBodyScanner.scan(body, cache: cache) { return batch }
        return try decodeTree(body)
    }

    /// Decodes and checks a body through the general JSON parser: the reference the scanner is held to.
    static func decodeTree(_ body: [UInt8]) throws(APIError) -> SampleBatch {
        let document = try JSONRequestBody.parse(body)
        let fields = try JSONFields(
            document, path: "", expected: #"a sample object {"metric","value"} or a batch {"samples":[…]}"#)
        var batch = SampleBatch()
        var slots: [String: Int] = [:]
        guard fields.object["samples"] != nil else {
            try append(fields, to: &batch, slots: &slots)
            return batch
        }
        guard case .array(let elements) = fields.object["samples"] else {
            throw .invalidRequest(
                "samples: must be an array of sample objects, got \(fields.object["samples"]?.typeName ?? "null")."
            )
        }
        guard elements.count <= maximumSamples else {
            throw .invalidRequest(
                "samples: holds \(elements.count) samples, more than the limit of \(maximumSamples) per batch."
            )
        }
        batch.samples.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let fields = try JSONFields(element, path: "samples[\(index)]", expected: "a sample object")
            try append(fields, to: &batch, slots: &slots)
        }
        return batch
    }

    /// Checks one sample object and appends it, naming its metric once per batch.
    private static func append(
        _ fields: JSONFields, to batch: inout SampleBatch, slots: inout [String: Int]
    ) throws(APIError) {
        let (metric, value, timestamp) = try sample(fields)
        let slot: Int
        if let known = slots[metric] {
            slot = known
        } else {
            slot = batch.metrics.count
            batch.metrics.append(metric)
            slots[metric] = slot
        }
        batch.samples.append(SampleBatch.Sample(metric: slot, value: value, timestamp: timestamp))
    }

    /// Checks one sample object: `metric`, then `value`, then `timestamp`.
    private static func sample(
        _ fields: JSONFields
    ) throws(APIError) -> (metric: String, value: Double, timestamp: Double?) {
        let metric = try fields.requiredString("metric")
        guard SLODefinition.isValidName(metric) else {
            // The core states the name rule once; the path tells which sample broke it.
            throw .invalidRequest(
                "\(fields.path(of: "metric")): \(MetricsError.invalidName(metric).message).")
        }
        let value = try fields.requiredNumber("value")
        let timestamp = try fields.number("timestamp")
        if let timestamp, timestamp < minimumTimestampMilliseconds {
            throw .invalidRequest(implausibleTimestamp(timestamp, at: fields.path(of: "timestamp")))
        }
        return (metric, value, timestamp)
    }

    /// The message for a timestamp below ``minimumTimestampMilliseconds`` at `path` (e.g.
    /// `samples[3].timestamp`): a negative one is simply not a time; one from 0 up looks like seconds,
    /// so the message says what it would be in ms.
    static func implausibleTimestamp(_ timestamp: Double, at path: String) -> String {
        let rule =
            "timestamps are milliseconds since the Unix epoch, and values below 100000000000 (before "
            + "1973-03-03) are refused"
        guard timestamp >= 0 else {
            return "\(path): \(JSONFields.describe(timestamp)) is negative; \(rule)."
        }
        let milliseconds = JSONFields.describe(timestamp * 1_000)
        return "\(path): \(JSONFields.describe(timestamp)) looks like seconds, not milliseconds (\(rule)); "
            + "if it is in seconds, send \(milliseconds)."
    }
}
