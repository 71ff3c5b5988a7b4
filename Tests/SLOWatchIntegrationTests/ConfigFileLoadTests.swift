import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// Reading configuration files from disk, including the shipped examples.
@Suite("Configuration file loading")
struct ConfigFileLoadTests {
    /// Writes `bytes` to a fresh temporary file and returns its path; the caller removes it.
    private func temporaryFile(_ bytes: [UInt8], suffix: String = ".yaml") throws -> String {
        try TemporaryFile.create(bytes: bytes, prefix: "slowatch-config", suffix: suffix)
    }

    /// Loads `path`, expecting an error.
    private func failure(_ path: String) -> ConfigError? {
        do {
            _ = try ConfigFile.load(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test("examples/slowatch.yaml and examples/slowatch.json load and describe the same configuration")
    func examples() throws {
        let root = SlowatchProcess.packageRoot
        let yaml = try ConfigFile.load(path: root.appendingPathComponent("examples/slowatch.yaml").path)
        let json = try ConfigFile.load(path: root.appendingPathComponent("examples/slowatch.json").path)
        #expect(
            Set(yaml.settings.keys) == Set(SettingKey.allCases.filter(\.isFileKey)),
            "the YAML example shows every setting a file may hold")
        #expect(yaml.settings.mapValues(\.value) == json.settings.mapValues(\.value))
        #expect(yaml.slos?.map(\.definition) == json.slos?.map(\.definition))
        #expect(yaml.slos?.isEmpty == false)
        #expect(
            yaml.metrics.map { $0.definition(defaultCapacity: 1) }
                == json.metrics.map { $0.definition(defaultCapacity: 1) })
        // The examples document the defaults, so resolving them changes no setting.
        let resolved = try SettingsResolver(file: yaml).resolve()
        let defaults = ResolvedSettings()
        for key in SettingKey.allCases {
            #expect(resolved.value(of: key) == defaults.value(of: key), "\(key)")
        }
    }

    @Test("a missing file or a directory is an error naming the path and the reason")
    func unreadable() {
        let missing = failure("/nonexistent/slowatch.yaml")
        #expect(missing?.file == "/nonexistent/slowatch.yaml")
        #expect(missing?.line == nil)
        #expect(missing?.message.contains("No such file or directory") == true)
        #expect(failure(FileManager.default.temporaryDirectory.path)?.message.contains("directory") == true)
    }

    @Test("a file that is not UTF-8 is an error at the line of the first bad byte")
    func invalidUTF8() throws {
        let path = try temporaryFile(Array("port: 1\nhost: ".utf8) + [0xFF, 0xFE] + Array("\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = failure(path)
        #expect(error?.line == 2)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test("a file on disk gives errors as path:line:")
    func errorFromDisk() throws {
        let path = try temporaryFile(Array("port: 1\nmaxBody: lots\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(failure(path)?.description.hasPrefix("\(path):2: The value \"lots\" of maxBody") == true)
    }
}
