import Foundation
import TestCurlClient

/// `openapi.yaml` from the repository root, parsed with Yams, with the look-ups the spec tests need.
struct OpenAPIDocument {
    /// One operation: a method on a path.
    struct Operation: CustomStringConvertible {
        /// The lowercase method key (`get`).
        var method: String
        /// The path template (`/metrics/{name}`).
        var path: String
        /// The operation object.
        var node: SpecValue

        /// `GET /metrics/{name}`.
        var description: String { "\(method.uppercased()) \(path)" }
    }

    /// The method keys an OpenAPI path item may hold.
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The repository root, found from this file's path (`Tests/SLOWatchServiceTests/Support/…`).
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `openapi.yaml` at the repository root.
    static let fileURL = repositoryRoot.appendingPathComponent("openapi.yaml")

    /// The file's bytes.
    let bytes: [UInt8]
    /// The parsed document.
    let root: SpecValue

    /// Reads and parses `openapi.yaml`.
    init() throws {
        bytes = Array(try Data(contentsOf: Self.fileURL))
        root = try SpecValue.yaml(String(decoding: bytes, as: UTF8.self))
    }

    /// A validator over this document.
    func validator(strict: Bool = true) -> SpecSchemaValidator {
        SpecSchemaValidator(document: root, strict: strict)
    }

    /// Every operation, sorted by path then method.
    var operations: [Operation] {
        let paths = root["paths"]?.object ?? [:]
        return paths.keys.sorted().flatMap { path in
            Self.methods.compactMap { method in
                paths[path]?[method].map { Operation(method: method, path: path, node: $0) }
            }
        }
    }

    /// The operation for `method` (any case) on the path template `path`.
    func operation(_ method: String, _ path: String) -> Operation? {
        operations.first { $0.method == method.lowercased() && $0.path == path }
    }

    /// The response object (references followed) that `operation` documents for `status`.
    func response(_ operation: Operation, status: Int) -> SpecValue? {
        operation.node["responses"]?[String(status)].map { validator().dereference($0) }
    }

    /// Every way `response` breaks the spec of `operation`: an undocumented status, an undocumented
    /// media type, a body that does not match its schema, or a documented header with the wrong value.
    func failures(of response: CurlResponse, for operation: Operation) -> [String] {
        let label = "\(operation) → \(response.status)"
        guard let documented = self.response(operation, status: response.status) else {
            return ["\(label): the status is not documented (body: \(response.bodyText.prefix(300)))"]
        }
        var failures: [String] = []
        let content = documented["content"]?.object ?? [:]
        let mediaType = response.header("Content-Type").map(Self.mediaType)
        if content.isEmpty {
            if !response.body.isEmpty { failures.append("\(label): a body came, but none is documented") }
        } else if let mediaType, let entry = content[mediaType] {
            failures += bodyFailures(response, entry, mediaType: mediaType, label: label)
        } else {
            let listed = content.keys.sorted().joined(separator: ", ")
            failures.append("\(label): Content-Type \(mediaType ?? "missing") is not among \(listed)")
        }
        for (name, header) in documented["headers"]?.object ?? [:] {
            let header = validator().dereference(header)
            guard let value = response.header(name) else {
                if header["required"] == .bool(true) { failures.append("\(label): no \(name) header") }
                continue
            }
            if let schema = header["schema"] {
                failures += validator().failures(of: .string(value), against: schema, at: "\(label) \(name)")
            }
        }
        return failures
    }

    /// The body, read as its media type says, against the documented schema.
    private func bodyFailures(
        _ response: CurlResponse, _ entry: SpecValue, mediaType: String, label: String
    ) -> [String] {
        guard let schema = entry["schema"] else { return ["\(label): no schema for \(mediaType)"] }
        let body: SpecValue
        do {
            switch mediaType {
            case let type where type.hasSuffix("json"): body = try SpecValue.json(response.body)
            // A YAML document is documented as what it parses to, as OpenAPI tools read it.
            case let type where type.hasSuffix("yaml"): body = try SpecValue.yaml(response.bodyText)
            // Other text (the event stream) is documented as a string.
            default: body = .string(response.bodyText)
            }
        } catch {
            return ["\(label): the body is not \(mediaType): \(response.bodyText.prefix(300))"]
        }
        return validator().failures(of: body, against: schema, at: label)
    }

    /// `application/json` from `application/json; charset=utf-8`.
    static func mediaType(_ contentType: String) -> String {
        String(contentType.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The path template with every `{parameter}` replaced by `value`.
    static func fill(_ template: String, with value: String) -> String {
        var result = ""
        var inParameter = false
        for character in template {
            switch character {
            case "{": inParameter = true
            case "}":
                inParameter = false
                result += value
            default: if !inParameter { result.append(character) }
            }
        }
        return result
    }

    /// The router's form of a path template: `/metrics/{name}` → `/metrics/:name`.
    static func routerPattern(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }
}
