import Foundation
import Yams

/// A JSON-like value read from YAML (the spec) or JSON (a response), with integers, doubles and
/// booleans kept apart, so schemas can be checked the same way for both.
enum SpecValue: Equatable, CustomStringConvertible {
    /// `null` (YAML `~`, `null` or an empty value).
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without a fraction.
    case integer(Int)
    /// A number written with a fraction or an exponent.
    case double(Double)
    /// A string.
    case string(String)
    /// A sequence.
    case array([SpecValue])
    /// A mapping with string keys.
    case object([String: SpecValue])

    /// Converts what `Yams.load` or `JSONSerialization` returns.
    /// - Throws: ``TestServiceError`` for a value neither produces (a YAML date, a non-string key).
    init(_ any: Any?) throws {
        guard let any, !(any is NSNull) else {
            self = .null
            return
        }
        // Native values first: on Linux an NSNumber also answers `is Int`, so its own path follows.
        switch any {
        case let value as Bool where type(of: any) == Bool.self: self = .bool(value)
        case let value as Int where type(of: any) == Int.self: self = .integer(value)
        case let value as Double where type(of: any) == Double.self: self = .double(value)
        case let value as String: self = .string(value)
        case let number as NSNumber: self = Self.number(number)
        case let items as [Any]: self = .array(try items.map { try SpecValue($0) })
        case let members as [String: Any]: self = .object(try members.mapValues { try SpecValue($0) })
        case let members as [AnyHashable: Any]:
            var object: [String: SpecValue] = [:]
            for (key, value) in members {
                guard let name = key.base as? String else {
                    throw TestServiceError("a mapping key is not a string: \(key) (quote it in the YAML)")
                }
                object[name] = try SpecValue(value)
            }
            self = .object(object)
        default:
            throw TestServiceError("unexpected value of type \(type(of: any)): \(any)")
        }
    }

    /// Parses a JSON body with `JSONSerialization` (independent of the service's own parser).
    static func json(_ bytes: [UInt8]) throws -> SpecValue {
        try SpecValue(JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
    }

    /// Parses YAML text with Yams.
    static func yaml(_ text: String) throws -> SpecValue {
        try SpecValue(Yams.load(yaml: text))
    }

    /// An NSNumber from `JSONSerialization`: its Objective-C type code tells a boolean ("c") and a
    /// floating-point number ("d", "f") from an integer.
    private static func number(_ number: NSNumber) -> SpecValue {
        switch String(cString: number.objCType) {
        case "c", "B": .bool(number.boolValue)
        case "d", "f": .double(number.doubleValue)
        default: .integer(number.intValue)
        }
    }

    /// The members of an object, or nil.
    var object: [String: SpecValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The items of an array, or nil.
    var array: [SpecValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The text of a string, or nil.
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of a number (integer or double), or nil.
    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The member `key` of an object, or nil.
    subscript(key: String) -> SpecValue? { object?[key] }

    /// The JSON Schema type names this value belongs to (a whole double is also an `integer`).
    var schemaTypes: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer: ["integer", "number"]
        case .double(let value):
            value == value.rounded() && value.isFinite ? ["integer", "number"] : ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }

    /// Compact text for failure messages.
    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string(let text): "\"\(text)\""
        case .array(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let members):
            "{"
                + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(
                    separator: ",") + "}"
        }
    }

    /// Equality as JSON Schema sees it (`const`, `enum`): 1 and 1.0 are equal.
    func sameJSON(as other: SpecValue) -> Bool {
        if let left = number, let right = other.number { return left == right }
        switch (self, other) {
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.sameJSON(as: $1) }
        case (.object(let left), .object(let right)):
            return left.keys == right.keys
                && left.allSatisfy { key, value in right[key].map(value.sameJSON) ?? false }
        default:
            return self == other
        }
    }
}
