// The Hummingbird 2 peer of slowatch's HTTP benchmark kit: "what a Swift user would pick instead".
// Codable + JSONDecoder, a per-metric ring of 10,000 (value, timestamp) Doubles behind a Mutex, and
// percentiles by sorting a copy with linear interpolation. It serves the two routes the kit measures:
//   POST /samples                     -> 204 (bad JSON or a bad sample -> 400)
//   GET  /metrics/<name>/percentiles  -> 200 JSON (unknown metric -> 404)
//
// Usage: HummingbirdPeer PORT   (listens on 127.0.0.1:PORT)

import Foundation
import Hummingbird

let args = CommandLine.arguments
guard args.count >= 2, let port = Int(args[1]) else {
    FileHandle.standardError.write(Data("usage: \(args.first ?? "HummingbirdPeer") PORT\n".utf8))
    exit(2)
}

let store = SampleStore()
let router = Router()

router.post("samples") { request, context -> HTTPResponse.Status in
    let payload: SamplesPayload
    do {
        payload = try await request.decode(as: SamplesPayload.self, context: context)
    } catch {
        throw HTTPError(.badRequest, message: "invalid sample payload")
    }
    let samples = payload.samples
    for sample in samples where sample.metric.isEmpty || !sample.value.isFinite {
        throw HTTPError(.badRequest, message: "invalid sample")
    }
    let now = Date().timeIntervalSince1970 * 1000
    for sample in samples {
        store.record(metric: sample.metric, value: sample.value, timestamp: sample.timestamp ?? now)
    }
    return .noContent
}

router.get("metrics/:name/percentiles") { _, context -> PercentilesResponse in
    let name = try context.parameters.require("name")
    guard let series = store.series(named: name) else {
        throw HTTPError(.notFound, message: "unknown metric")
    }
    guard let summary = summarize(metric: name, values: series.snapshotValues()) else {
        throw HTTPError(.notFound, message: "no samples")
    }
    return summary
}

let app = Application(
    router: router,
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "hummingbird-peer")
)
try await app.runService()
