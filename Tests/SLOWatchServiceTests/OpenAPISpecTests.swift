import Foundation
import Testing

@testable import SLOWatchService

/// The spec as a document: the compiled-in copy, the error responses every operation documents, and the
/// examples, each checked against its own schema.
@Suite("OpenAPI spec document")
struct OpenAPISpecTests {
    @Test("the spec compiled into the binary is byte for byte openapi.yaml at the repository root")
    func embeddedCopyMatchesFile() throws {
        let file = try OpenAPIDocument()
        #expect(
            PackageResources.openapi_yaml == file.bytes,
            "Sources/SLOWatchService/Resources/openapi.yaml must be a link to the openapi.yaml at the root")
    }

    @Test("the spec's info.version is the version the binary reports")
    func versionMatchesBinary() throws {
        let spec = try OpenAPIDocument()
        #expect(spec.root["info"]?["version"]?.string == SLOWatchVersion.current)
    }

    @Test("the document is OpenAPI 3.1 with unique operation ids, and every operation has a summary and tags")
    func operationsAreDescribed() throws {
        let spec = try OpenAPIDocument()
        #expect(spec.root["openapi"]?.string?.hasPrefix("3.1.") == true)
        #expect(spec.operations.count >= 14)
        var ids: Set<String> = []
        for operation in spec.operations {
            let id = try #require(operation.node["operationId"]?.string, "\(operation) has no operationId")
            #expect(ids.insert(id).inserted, "\(operation): the operationId \(id) is used twice")
            #expect(operation.node["summary"]?.string?.isEmpty == false, "\(operation) has no summary")
            #expect(operation.node["tags"]?.array?.isEmpty == false, "\(operation) has no tags")
        }
    }

    @Test("every operation documents its success and error responses, each error with the Error schema")
    func operationsDocumentErrors() throws {
        let spec = try OpenAPIDocument()
        for operation in spec.operations {
            let statuses = Set((operation.node["responses"]?.object ?? [:]).keys)
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(operation) documents no success status")
            if operation.method == "head" {
                try expectHeadMirrorsGet(operation, statuses: statuses, in: spec)
                continue
            }
            // The HTTP layer's answers, shared in components/responses, apply to every request.
            var expected: Set<String> = ["400", "405", "408", "413", "414", "431", "503", "505"]
            if operation.node["requestBody"] != nil { expected.formUnion(["413", "415"]) }
            // A path parameter names something that may not exist, except where PUT creates it.
            if operation.path.contains("{") && operation.method != "put" { expected.insert("404") }
            #expect(
                expected.isSubset(of: statuses),
                "\(operation) does not document \(expected.subtracting(statuses).sorted())")
            for status in statuses where status.hasPrefix("4") {
                let response = try #require(spec.response(operation, status: Int(status) ?? 0))
                let schema = response["content"]?["application/json"]?["schema"]
                // OTLP/HTTP answers its own errors as a google.rpc.Status (the OTLP spec), alone or
                // beside the Error schema where the HTTP layer or the service answers too.
                let references = ([schema?["$ref"]] + (schema?["anyOf"]?.array ?? []).map { $0["$ref"] })
                    .compactMap { $0?.string }
                let otlpStatus =
                    operation.node["operationId"]?.string == "postOTLPMetrics"
                    && references == ["#/components/schemas/GoogleRPCStatus"]
                #expect(
                    references.contains("#/components/schemas/Error") || otlpStatus,
                    "\(operation) → \(status) does not answer the Error schema")
            }
            let notAllowed = try #require(spec.response(operation, status: 405))
            #expect(notAllowed["headers"]?["Allow"] != nil, "\(operation) → 405 does not document Allow")
        }
    }

    @Test("every path says which methods it allows, matching the operations it documents")
    func pathsDescribeAllow() throws {
        let spec = try OpenAPIDocument()
        for (path, item) in spec.root["paths"]?.object ?? [:] {
            var allowed = Set(OpenAPIDocument.methods.filter { item[$0] != nil }.map { $0.uppercased() })
            if allowed.contains("GET") { allowed.insert("HEAD") }
            let text = "Allow: \(allowed.sorted().joined(separator: ", "))`"
            #expect(item["description"]?.string?.contains(text) == true, "\(path) should say \(text)")
        }
    }

    @Test("every example in the spec matches its schema, undocumented fields included")
    func examplesMatchSchemas() throws {
        let spec = try OpenAPIDocument()
        let validator = spec.validator()
        var checked = 0
        for (name, schema) in spec.root["components"]?["schemas"]?.object ?? [:] {
            guard let example = schema["example"] else { continue }
            let failures = validator.failures(of: example, against: schema, at: "schemas.\(name).example")
            #expect(failures.isEmpty, "\(failures)")
            checked += 1
        }
        for (place, mediaType) in mediaTypes(in: spec) {
            guard let schema = mediaType["schema"] else { continue }
            var examples: [(String, SpecValue)] = mediaType["example"].map { [("example", $0)] } ?? []
            for (key, named) in mediaType["examples"]?.object ?? [:] {
                if let value = named["value"] { examples.append(("examples.\(key)", value)) }
            }
            for (label, example) in examples {
                let failures = validator.failures(of: example, against: schema, at: "\(place) \(label)")
                #expect(failures.isEmpty, "\(failures)")
                checked += 1
            }
        }
        for (place, parameter) in parameters(in: spec) {
            guard let example = parameter["example"], let schema = parameter["schema"] else { continue }
            let failures = validator.failures(of: example, against: schema, at: "\(place) example")
            #expect(failures.isEmpty, "\(failures)")
            checked += 1
        }
        #expect(checked >= 40, "only \(checked) examples were found")
    }

    @Test("every success answer with a body has an example")
    func successResponsesHaveExamples() throws {
        let spec = try OpenAPIDocument()
        for operation in spec.operations {
            for (status, response) in operation.node["responses"]?.object ?? [:] where status.hasPrefix("2") {
                for (type, mediaType) in response["content"]?.object ?? [:] {
                    #expect(
                        mediaType["example"] != nil || mediaType["examples"] != nil,
                        "\(operation) → \(status) \(type) has no example")
                }
            }
        }
    }

    @Test("the schema checker rejects a wrong type, a missing field, an undocumented field and a bad enum")
    func validatorRejectsMismatches() throws {
        let spec = try OpenAPIDocument()
        let validator = spec.validator()
        let health = SpecValue.object(["$ref": .string("#/components/schemas/Health")])
        let good: [String: SpecValue] = [
            "status": .string("ok"), "uptimeSeconds": .double(1.5), "metrics": .integer(0),
            "slos": .integer(7), "subscribers": .integer(0),
        ]
        #expect(validator.failures(of: .object(good), against: health).isEmpty)
        var wrongType = good
        wrongType["metrics"] = .string("0")
        #expect(validator.failures(of: .object(wrongType), against: health).count == 1)
        var missing = good
        missing["slos"] = nil
        #expect(validator.failures(of: .object(missing), against: health).count == 1)
        var extra = good
        extra["version"] = .string("1")
        #expect(validator.failures(of: .object(extra), against: health).count == 1)
        #expect(spec.validator(strict: false).failures(of: .object(extra), against: health).isEmpty)
        var wrongConstant = good
        wrongConstant["status"] = .string("down")
        #expect(validator.failures(of: .object(wrongConstant), against: health).count == 1)
        let state = SpecValue.object(["$ref": .string("#/components/schemas/SLOState")])
        #expect(validator.failures(of: .string("broken"), against: state).count == 1)
        let name = SpecValue.object(["$ref": .string("#/components/schemas/MetricName")])
        #expect(validator.failures(of: .string("-starts-with-dash"), against: name).count == 1)
        let unknownKeyword = SpecValue.object(["uniqueItems": .bool(true)])
        #expect(validator.failures(of: .array([]), against: unknownKeyword).count == 1)
    }

    /// Every media type object of every request body and response, with where it sits.
    private func mediaTypes(in spec: OpenAPIDocument) -> [(String, SpecValue)] {
        var result: [(String, SpecValue)] = []
        let validator = spec.validator()
        for operation in spec.operations {
            for (type, mediaType) in operation.node["requestBody"]?["content"]?.object ?? [:] {
                result.append(("\(operation) request \(type)", mediaType))
            }
            for (status, response) in operation.node["responses"]?.object ?? [:] {
                for (type, mediaType) in validator.dereference(response)["content"]?.object ?? [:] {
                    result.append(("\(operation) → \(status) \(type)", mediaType))
                }
            }
        }
        return result
    }

    /// Every parameter (path-level, operation-level and components), with where it sits.
    private func parameters(in spec: OpenAPIDocument) -> [(String, SpecValue)] {
        var result: [(String, SpecValue)] = []
        let validator = spec.validator()
        for (path, item) in spec.root["paths"]?.object ?? [:] {
            for parameter in item["parameters"]?.array ?? [] {
                result.append((path, validator.dereference(parameter)))
            }
        }
        for operation in spec.operations {
            for parameter in operation.node["parameters"]?.array ?? [] {
                result.append(("\(operation)", validator.dereference(parameter)))
            }
        }
        return result
    }

    /// A `head` operation documents the statuses of its path's `get` (but 405, which HEAD never gets
    /// where GET is served), each without a body, and takes the same parameters.
    private func expectHeadMirrorsGet(
        _ head: OpenAPIDocument.Operation, statuses: Set<String>, in spec: OpenAPIDocument
    ) throws {
        let get = try #require(spec.operation("GET", head.path), "\(head) has no GET on its path")
        let getStatuses = Set((get.node["responses"]?.object ?? [:]).keys).subtracting(["405"])
        #expect(
            statuses == getStatuses, "\(head) documents \(statuses.sorted()), GET \(getStatuses.sorted())")
        for status in statuses {
            let response = try #require(spec.response(head, status: Int(status) ?? 0))
            #expect(response["content"] == nil, "\(head) → \(status) documents a body")
        }
        #expect(head.node["parameters"] == get.node["parameters"], "\(head) takes other parameters than GET")
        #expect(head.node["security"] == get.node["security"], "\(head) has another security than GET")
    }

}
