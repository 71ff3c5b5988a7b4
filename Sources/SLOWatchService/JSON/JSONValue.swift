/// A parsed JSON document: what ``JSONParser`` produces for request bodies and configuration.
enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// Every number, as the correctly rounded nearest Double (always finite).
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The JSON type's name, for error messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// A JSON object's members, in document order. A repeated key keeps its first position and its last
/// value, as most JSON readers do.
///
/// Small objects (the usual sample or SLO body) are searched linearly; past ``indexThreshold`` members
/// a key → position index takes over, so a hostile body with 100,000 keys costs linear, not
/// quadratic, time.
struct JSONObject: Sendable, Equatable {
    /// The members, keys unique.
    private(set) var members: [(key: String, value: JSONValue)] = []
    /// Key → position in `members`, kept once the object has more than ``indexThreshold`` members.
    private var index: [String: Int]?

    /// The member count above which lookups go through a dictionary.
    static let indexThreshold = 16

    /// Creates an empty object.
    init() {}

    /// The value of `key`, or nil when absent.
    subscript(key: String) -> JSONValue? {
        position(of: key).map { members[$0].value }
    }

    /// Sets `key`, replacing an earlier value in place.
    mutating func set(_ key: String, _ value: JSONValue) {
        if let position = position(of: key) {
            members[position].value = value
            return
        }
        members.append((key, value))
        if index != nil {
            index?[key] = members.count - 1
        } else if members.count > Self.indexThreshold {
            index = Dictionary(
                members.indices.map { (members[$0].key, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The keys, in order.
    var keys: [String] { members.map(\.key) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
