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
struct JSONObject: Sendable, Equatable {
    /// The members, keys unique.
    private(set) var members: [(key: String, value: JSONValue)] = []

    /// Creates an empty object.
    init() {}

    /// The value of `key`, or nil when absent.
    subscript(key: String) -> JSONValue? {
        members.first { $0.key == key }?.value
    }

    /// Sets `key`, replacing an earlier value in place.
    mutating func set(_ key: String, _ value: JSONValue) {
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
        } else {
            members.append((key, value))
        }
    }

    /// The keys, in order.
    var keys: [String] { members.map(\.key) }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
