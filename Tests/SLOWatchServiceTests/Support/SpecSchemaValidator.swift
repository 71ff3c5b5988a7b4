import Foundation

/// Checks a value against a JSON Schema (2020-12, the dialect of OpenAPI 3.1) from the spec.
///
/// It knows the keywords `openapi.yaml` uses and reports any other as a failure, so a schema it cannot
/// check never passes silently. In `strict` mode an object may only have the properties its schema lists
/// (unless the schema says `additionalProperties`), which catches a field the server sends but the spec
/// does not document.
struct SpecSchemaValidator {
    /// The whole document, for `$ref`.
    let document: SpecValue
    /// Rejects undocumented object properties.
    var strict = true

    /// Keywords that only annotate.
    private static let annotations: Set<String> = [
        "description", "title", "default", "example", "examples", "format", "deprecated", "readOnly",
        "writeOnly", "summary",
    ]

    /// Keywords checked below.
    private static let assertions: Set<String> = [
        "$ref", "type", "const", "enum", "properties", "required", "additionalProperties", "propertyNames",
        "items", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "pattern", "minLength", "maxLength", "oneOf", "anyOf", "allOf", "not", "if", "then", "else",
    ]

    /// Every rule `value` breaks, as `path: what is wrong`; empty when it conforms.
    /// - Parameters:
    ///   - value: the instance.
    ///   - schema: the schema (may be a `$ref`).
    ///   - path: where the instance sits, for messages (e.g. `body.metrics[0]`).
    func failures(of value: SpecValue, against schema: SpecValue, at path: String = "$") -> [String] {
        if case .bool(let allowed) = schema { return allowed ? [] : ["\(path): no value is allowed here"] }
        guard let keywords = schema.object else { return ["\(path): the schema is not an object: \(schema)"] }
        var failures: [String] = []
        for key in keywords.keys where !Self.annotations.contains(key) && !Self.assertions.contains(key) {
            failures.append("\(path): the validator does not know the schema keyword '\(key)'")
        }
        if let reference = keywords["$ref"]?.string {
            guard let target = resolve(reference) else {
                return failures + ["\(path): cannot resolve \(reference)"]
            }
            failures += self.failures(of: value, against: target, at: path)
        }
        failures += typeFailures(value, keywords, path)
        failures += valueFailures(value, keywords, path)
        failures += objectFailures(value, keywords, path)
        failures += arrayFailures(value, keywords, path)
        failures += combinatorFailures(value, keywords, path)
        return failures
    }

    /// The schema a local reference (`#/components/schemas/Name`) points to.
    func resolve(_ reference: String) -> SpecValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: SpecValue? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            node = node?[key]
        }
        return node
    }

    /// Follows `$ref` until a node without one (for responses and parameters, which do not merge siblings).
    func dereference(_ node: SpecValue) -> SpecValue {
        var node = node
        var hops = 0
        while let reference = node["$ref"]?.string, let target = resolve(reference), hops < 16 {
            node = target
            hops += 1
        }
        return node
    }

    /// `type`: one name or a list of names.
    private func typeFailures(_ value: SpecValue, _ keywords: [String: SpecValue], _ path: String) -> [String]
    {
        guard let type = keywords["type"] else { return [] }
        let allowed = Set(type.string.map { [$0] } ?? type.array?.compactMap(\.string) ?? [])
        return value.schemaTypes.isDisjoint(with: allowed)
            ? ["\(path): \(value) is not of type \(allowed.sorted().joined(separator: " or "))"] : []
    }

    /// `const`, `enum`, the numeric bounds and the string rules.
    private func valueFailures(_ value: SpecValue, _ keywords: [String: SpecValue], _ path: String)
        -> [String]
    {
        var failures: [String] = []
        if let constant = keywords["const"], !value.sameJSON(as: constant) {
            failures.append("\(path): \(value) is not the constant \(constant)")
        }
        if let options = keywords["enum"]?.array, !options.contains(where: value.sameJSON) {
            failures.append("\(path): \(value) is not one of \(options)")
        }
        if let number = value.number {
            if let minimum = keywords["minimum"]?.number, number < minimum {
                failures.append("\(path): \(number) is below the minimum \(minimum)")
            }
            if let maximum = keywords["maximum"]?.number, number > maximum {
                failures.append("\(path): \(number) is above the maximum \(maximum)")
            }
            if let bound = keywords["exclusiveMinimum"]?.number, number <= bound {
                failures.append("\(path): \(number) is not above \(bound)")
            }
            if let bound = keywords["exclusiveMaximum"]?.number, number >= bound {
                failures.append("\(path): \(number) is not below \(bound)")
            }
        }
        if let text = value.string {
            failures += stringFailures(text, keywords, path)
        }
        return failures
    }

    /// `minLength` and `maxLength` (in code points, as JSON Schema counts) and `pattern`.
    private func stringFailures(_ text: String, _ keywords: [String: SpecValue], _ path: String) -> [String] {
        var failures: [String] = []
        if let minimum = keywords["minLength"]?.number, Double(text.unicodeScalars.count) < minimum {
            failures.append("\(path): \"\(text)\" is shorter than \(minimum)")
        }
        if let maximum = keywords["maxLength"]?.number, Double(text.unicodeScalars.count) > maximum {
            failures.append("\(path): \"\(text)\" is longer than \(maximum)")
        }
        if let pattern = keywords["pattern"]?.string, !Self.matches(text, pattern) {
            failures.append("\(path): \"\(text)\" does not match \(pattern)")
        }
        return failures
    }

    /// `required`, `properties`, `additionalProperties`, `propertyNames`, and undocumented properties
    /// in strict mode.
    private func objectFailures(_ value: SpecValue, _ keywords: [String: SpecValue], _ path: String)
        -> [String]
    {
        guard let members = value.object else { return [] }
        var failures: [String] = []
        for name in keywords["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
            failures.append("\(path): the required property '\(name)' is missing")
        }
        let properties = keywords["properties"]?.object ?? [:]
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let names = keywords["propertyNames"] {
                failures += self.failures(of: .string(name), against: names, at: "\(path) key '\(name)'")
            }
            if let schema = properties[name] {
                failures += self.failures(of: member, against: schema, at: "\(path).\(name)")
            } else if let additional = keywords["additionalProperties"] {
                failures += self.failures(of: member, against: additional, at: "\(path).\(name)")
            } else if strict && keywords["properties"] != nil {
                failures.append("\(path): the property '\(name)' is not in the spec")
            }
        }
        return failures
    }

    /// `minItems`, `maxItems` and `items`.
    private func arrayFailures(_ value: SpecValue, _ keywords: [String: SpecValue], _ path: String)
        -> [String]
    {
        guard let items = value.array else { return [] }
        var failures: [String] = []
        if let minimum = keywords["minItems"]?.number, Double(items.count) < minimum {
            failures.append("\(path): \(items.count) items, fewer than \(minimum)")
        }
        if let maximum = keywords["maxItems"]?.number, Double(items.count) > maximum {
            failures.append("\(path): \(items.count) items, more than \(maximum)")
        }
        if let schema = keywords["items"] {
            for (index, item) in items.enumerated() {
                failures += self.failures(of: item, against: schema, at: "\(path)[\(index)]")
            }
        }
        return failures
    }

    /// `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`.
    private func combinatorFailures(
        _ value: SpecValue, _ keywords: [String: SpecValue], _ path: String
    ) -> [String] {
        var failures: [String] = []
        for schema in keywords["allOf"]?.array ?? [] {
            failures += self.failures(of: value, against: schema, at: path)
        }
        if let options = keywords["anyOf"]?.array,
            !options.contains(where: { self.failures(of: value, against: $0, at: path).isEmpty })
        {
            failures.append("\(path): \(value) matches none of the anyOf schemas")
        }
        if let options = keywords["oneOf"]?.array {
            let matching = options.filter { self.failures(of: value, against: $0, at: path).isEmpty }.count
            if matching != 1 {
                failures.append("\(path): \(value) matches \(matching) of the oneOf schemas instead of one")
            }
        }
        if let excluded = keywords["not"], self.failures(of: value, against: excluded, at: path).isEmpty {
            failures.append("\(path): \(value) matches a schema it must not")
        }
        // JSON Schema 2020-12: `then` applies when the value matches `if`, `else` when it does not. The
        // three name only the properties they test, so they are applied without the strict mode's rule
        // against unlisted properties (the schema around them still applies it).
        if let condition = keywords["if"] {
            let lenient = SpecSchemaValidator(document: document, strict: false)
            let branch = lenient.failures(of: value, against: condition, at: path).isEmpty ? "then" : "else"
            if let schema = keywords[branch] {
                failures += lenient.failures(of: value, against: schema, at: path)
            }
        }
        return failures
    }

    /// ECMA-262-style search (a pattern is not anchored unless it says so), with NSRegularExpression.
    ///
    /// Only `\n` ends a line, as in Python's `re` (which schemathesis uses): by default ICU's `$` also
    /// matches before a final `\r`, U+2028 and others, so `a:1|ms\r\r` would match a StatsD body pattern.
    private static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern, options: .useUnixLineSeparators)
        else { return false }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, range: range) != nil
    }
}
