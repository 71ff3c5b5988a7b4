import Foundation
import TestCurlClient
import Testing

/// Scrapes a test service's `/metrics` as Prometheus does and runs the real `promtool check metrics` on
/// the exposition; shared by the promtool suites.
enum PromtoolCheck {
    /// Scrapes `metricsURL` for the 0.0.4 text format (promtool 2.42 checks that format), expects 200, and expects promtool to accept
    /// the text without a warning (each failure recorded with the exposition).
    /// - Parameter folderName: the temporary folder's name prefix.
    /// - Returns: the scraped exposition, for the caller's own checks.
    static func scrapeAndCheck(_ metricsURL: String, folderName: String) throws -> String {
        let scrape = try CurlClient().get(metricsURL, headers: [("Accept", PrometheusScrapeAccept.text)])
        #expect(scrape.status == 200)
        let folder = try ExternalTool.temporaryFolder(folderName)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("scrape.txt")
        try Data(scrape.body).write(to: file)
        // promtool reads the exposition from its standard input.
        let promtool = try #require(ExternalTool.path("promtool"))
        let result = try SlowatchProcess.run(
            ["-c", #"exec "$0" check metrics < "$1""#, promtool, file.path], executablePath: "/bin/sh",
            timeout: 20)
        let output = result.standardOutput + result.standardError
        #expect(result.status == 0, "promtool said: \(output)\n--- the exposition:\n\(scrape.bodyText)")
        #expect(output.isEmpty, "promtool warned: \(output)")
        return scrape.bodyText
    }
}
