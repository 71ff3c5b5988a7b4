/// The `POST /samples` body decoders, callable without a server: for clients and tools that check a
/// payload before sending it, and for the fuzz targets.
///
/// The rules are exactly the route's: strict JSON (see "The files" in docs/development.md) holding one sample or a
/// batch of at most 10,000, or StatsD lines; every sample is checked before any is returned.
public enum SamplesBody {
    /// The body formats the route reads, chosen there by `Content-Type`.
    public enum Format: Sendable {
        /// `application/json`: `{"metric","value","timestamp"}` or `{"samples":[…]}`.
        case json
        /// `text/plain`: StatsD lines (`name:value|ms`), one or more values per line.
        case statsd
    }

    /// One checked sample.
    public struct Sample: Sendable, Equatable {
        /// The metric name; it follows the core's name rule.
        public var metric: String
        /// The value, in the metric's unit; finite.
        public var value: Double
        /// When the sample was taken, in ms since the Unix epoch (10^11 or more, see "Posting samples" in docs/api.md); nil
        /// means "on arrival".
        public var timestamp: Double?

        /// Creates a sample.
        public init(metric: String, value: Double, timestamp: Double?) {
            self.metric = metric
            self.value = value
            self.timestamp = timestamp
        }
    }

    /// Why a body is refused: the status, code and message the route answers with.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The HTTP status (400).
        public var status: Int
        /// `invalid_json` when the body is not strict JSON, `invalid_request` when a sample breaks a rule.
        public var code: String
        /// The sentence naming the input and the rule it broke.
        public var message: String

        /// `invalid_json: <message>`.
        public var description: String { "\(code): \(message)" }
    }

    /// Decodes and checks `body` as the route does.
    /// - Returns: the samples, in body order.
    /// - Throws: the route's 400 ``Refusal``.
    public static func decode(_ body: [UInt8], as format: Format) throws(Refusal) -> [Sample] {
        let batch: SampleBatch
        do throws(APIError) {
            switch format {
            case .json: batch = try SampleBatchDecoder.decode(body)
            case .statsd: batch = try StatsDTextBody.decode(body)
            }
        } catch {
            throw Refusal(status: error.status, code: error.code, message: error.message)
        }
        return batch.samples.map { sample in
            Sample(metric: batch.metrics[sample.metric], value: sample.value, timestamp: sample.timestamp)
        }
    }
}
