import SLOWatchHTTP

extension AcceptHeader {
    /// The media type of the Prometheus protobuf exposition (without its parameters).
    static let protobufMediaType = "application/vnd.google.protobuf"

    /// The weight `headers` give the Prometheus protobuf exposition: the highest `q` of an element
    /// whose range is exactly `application/vnd.google.protobuf` (case-insensitive) with the parameters
    /// `proto=io.prometheus.client.MetricFamily` and `encoding=delimited` (names case-insensitive,
    /// values exact, in any order, spaces around `;` and `=` allowed). A protobuf range for another
    /// message or encoding, and wildcards, do not count: 0 then, and 0 without `Accept`. An element
    /// whose `q` is not a number in [0, 1] is ignored.
    static func protobufExpositionQuality(in headers: HTTPHeaders) -> Double {
        var best = 0.0
        for field in headers.values("Accept") {
            for element in field.split(separator: ",") {
                guard let weight = protobufWeight(of: element) else { continue }
                best = max(best, weight)
            }
        }
        return best
    }

    /// The weight of one element when it names the MetricFamily delimited protobuf range; nil otherwise.
    private static func protobufWeight(of element: Substring) -> Double? {
        guard weight(of: protobufMediaType, in: element) != nil else { return nil }
        var proto: Substring?
        var encoding: Substring?
        var weight = 1.0
        for parameter in element.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingSpaces.lowercased()
            let value = pair[1].trimmingSpaces
            switch name {
            case "proto": proto = value
            case "encoding": encoding = value
            case "q":
                guard let number = Double(value), (0...1).contains(number) else { return nil }
                weight = number
            default: continue
            }
        }
        guard proto == "io.prometheus.client.MetricFamily", encoding == "delimited" else { return nil }
        return weight
    }
}

extension Substring {
    /// Without surrounding spaces and tabs (the header grammar's optional whitespace).
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }
}
