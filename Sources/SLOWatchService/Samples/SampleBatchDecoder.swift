import SLOWatchCore

/// Turns a `POST /samples` body into checked samples, or into the 400 that names the first bad one.
///
/// The body is one sample, `{"metric":"checkout.latency","value":12.5,"timestamp":1764393600000}`, or
/// a batch, `{"samples":[…]}` of at most ``maximumSamples``. Unknown fields are ignored; `timestamp` is
/// optional (`null` counts as absent). Every sample is checked before any is returned, so a caller
/// that records only what this returns records all of a batch or nothing.
///
/// The interface is deliberately narrow (bytes in, samples or an ``APIError`` out) so that the
/// internals can become a streaming decoder without touching the route.
enum SampleBatchDecoder {
    /// The most samples one batch may hold.
    static let maximumSamples = 10_000

    /// Decodes and checks a body.
    /// - Parameter body: the request body, UTF-8 JSON.
    /// - Returns: the samples, in body order (one for a single sample; possibly none for an empty batch).
    /// - Throws: 400 `invalid_json` when the body is not strict JSON; 400 `invalid_request` naming the
    ///   first bad sample and field (`samples[3].value: must be a finite number, got string.`).
    static func decode(_ body: [UInt8]) throws(APIError) -> [DecodedSample] {
        let document = try JSONRequestBody.parse(body)
        let fields = try JSONFields(
            document, path: "", expected: #"a sample object {"metric","value"} or a batch {"samples":[…]}"#)
        guard fields.object["samples"] != nil else { return [try sample(fields)] }
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
        var samples: [DecodedSample] = []
        samples.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            let fields = try JSONFields(element, path: "samples[\(index)]", expected: "a sample object")
            samples.append(try sample(fields))
        }
        return samples
    }

    /// Checks one sample object: `metric`, then `value`, then `timestamp`.
    private static func sample(_ fields: JSONFields) throws(APIError) -> DecodedSample {
        let metric = try fields.requiredString("metric")
        guard SLODefinition.isValidName(metric) else {
            // The core states the name rule once; the path tells which sample broke it.
            throw .invalidRequest(
                "\(fields.path(of: "metric")): \(MetricsError.invalidName(metric).message).")
        }
        let value = try fields.requiredNumber("value")
        let timestamp = try fields.number("timestamp")
        if let timestamp, timestamp < 0 {
            throw .invalidRequest(
                "\(fields.path(of: "timestamp")): must be milliseconds since the Unix epoch (0 or more), "
                    + "got \(JSONFields.describe(timestamp)).")
        }
        return DecodedSample(metric: metric, value: value, timestamp: timestamp)
    }
}
