import Hummingbird

/// One sample as posted: `value` in ms, optional `timestamp` in ms since the epoch.
struct SampleDTO: Decodable {
    let metric: String
    let value: Double
    let timestamp: Double?
}

/// The body of `POST /samples`: either `{"metric":..,"value":..,"timestamp"?:..}` or `{"samples":[...]}`.
enum SamplesPayload: Decodable {
    case single(SampleDTO)
    case batch([SampleDTO])

    private enum CodingKeys: String, CodingKey { case samples }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.samples) {
            self = .batch(try container.decode([SampleDTO].self, forKey: .samples))
        } else {
            self = .single(try SampleDTO(from: decoder))
        }
    }

    /// The samples of the body, in order.
    var samples: [SampleDTO] {
        switch self {
        case .single(let sample): return [sample]
        case .batch(let samples): return samples
        }
    }
}

/// The body of `GET /metrics/<name>/percentiles`, with the same fields as slowatch's answer (all in ms).
struct PercentilesResponse: ResponseEncodable {
    let metric: String
    let count: Int
    let min: Double
    let max: Double
    let mean: Double
    let p50: Double
    let p90: Double
    let p95: Double
    let p99: Double
    let p999: Double
}
