import SLOWatchProtobuf

/// OTLP attributes as slowatch uses them: the text of a value (for metric names and stream keys), a
/// key's value, and the identity of a stream.
enum OTLPAttributes {
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue
    typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue

    /// The text of an attribute value: a string as it is, a boolean `true`/`false`, an integer in
    /// decimal, a double as Swift prints it, bytes in hex, arrays and maps as `[a,b]` and `{k=v}`;
    /// an empty value is the empty string.
    static func text(_ value: AnyValue) -> String {
        switch value.value {
        case .stringValue(let text): text
        case .boolValue(let flag): flag ? "true" : "false"
        case .intValue(let number): String(number)
        case .doubleValue(let number): String(number)
        case .bytesValue(let bytes): bytes.map { byte in String(byte, radix: 16).leftPadded(2) }.joined()
        case .arrayValue(let array): "[" + array.values.map(text).joined(separator: ",") + "]"
        case .kvlistValue(let list):
            "{" + list.values.map { "\($0.key)=\(text($0.value))" }.joined(separator: ",") + "}"
        case .stringValueStrindex(let index): "#\(index)"
        case nil: ""
        }
    }

    /// The text of `key`'s value in `point`'s attributes or, when it has none, in `resource`'s; nil
    /// when neither has the key.
    static func value(of key: String, point: [KeyValue], resource: [KeyValue]) -> String? {
        if let found = point.first(where: { $0.key == key }) { return text(found.value) }
        if let found = resource.first(where: { $0.key == key }) { return text(found.value) }
        return nil
    }

    /// The identity of a stream: the resource's attributes, the scope's name and version, the metric's
    /// name and the point's attributes, each attribute list sorted by key, joined with separators no
    /// attribute text can confuse (control bytes).
    static func streamKey(
        resource: [KeyValue], scope: Opentelemetry_Proto_Common_V1_InstrumentationScope, metric: String,
        point: [KeyValue]
    ) -> String {
        func listed(_ attributes: [KeyValue]) -> String {
            attributes.sorted { $0.key < $1.key }.map { "\($0.key)\u{2}\(text($0.value))" }.joined(
                separator: "\u{3}")
        }
        return [listed(resource), scope.name, scope.version, metric, listed(point)].joined(separator: "\u{1}")
    }
}

extension String {
    /// The text with `0`s in front up to `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
