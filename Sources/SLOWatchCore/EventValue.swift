/// One value in an event payload: the small set of JSON scalars the service layer knows how to encode.
public enum EventValue: Sendable, Equatable, CustomStringConvertible {
    /// A UTF-8 string.
    case string(String)
    /// A floating-point number; encoders write non-finite values as `null`.
    case number(Double)
    /// A whole number.
    case integer(Int64)
    /// A boolean.
    case bool(Bool)
    /// An explicit null.
    case null

    /// The value as plain text, for log lines: strings unquoted, numbers in their shortest form.
    public var description: String {
        switch self {
        case .string(let value): value
        case .number(let value): value.description
        case .integer(let value): value.description
        case .bool(let value): value.description
        case .null: "null"
        }
    }
}

extension EventValue: ExpressibleByStringLiteral {
    /// Creates a `.string` value from a literal.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension EventValue: ExpressibleByFloatLiteral {
    /// Creates a `.number` value from a literal.
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension EventValue: ExpressibleByIntegerLiteral {
    /// Creates an `.integer` value from a literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension EventValue: ExpressibleByBooleanLiteral {
    /// Creates a `.bool` value from a literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension EventValue: ExpressibleByNilLiteral {
    /// Creates `.null` from `nil`.
    public init(nilLiteral: ()) { self = .null }
}
