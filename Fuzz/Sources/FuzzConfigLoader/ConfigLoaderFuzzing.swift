import FuzzSupport
import SLOWatchService

/// The configuration file loader (YAML, and JSON read as YAML) and the settings resolver behind it,
/// under arbitrary bytes. The invariants, each of which aborts when broken:
/// - neither crashes (nor overflows the stack, nor loops: libFuzzer's `-timeout` catches a hang);
/// - every error names the file, and a message;
/// - a file that parses resolves to settings or to an error naming the file or a setting, and the same
///   text always gives the same verdict.
enum ConfigLoaderFuzzing {
    static let path = "fuzz.yaml"

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        // The loader refuses bytes that are not UTF-8 before parsing; the text of any other input is
        // parsed as the loader would.
        let text = String(decoding: input, as: UTF8.self)
        let file: ConfigFile
        do {
            file = try ConfigFile.parse(text, path: path)
        } catch {
            invariant(error.file == path, "an error that names no file (\(error)) for \(shown(input))")
            invariant(!error.message.isEmpty, "an empty error message for \(shown(input))")
            if let line = error.line {
                invariant(line >= 1, "the error line \(line) (\(error)) for \(shown(input))")
            }
            return
        }
        invariant(file.path == path, "the file's path is \(file.path) for \(shown(input))")
        let first = verdict(file)
        invariant(first == verdict(file), "two resolutions of one file differ for \(shown(input))")
    }

    /// The resolved settings' description, or the error's.
    static func verdict(_ file: ConfigFile) -> String {
        do {
            let settings = try SettingsResolver(file: file).resolve()
            return String(describing: settings.configuration)
        } catch {
            invariant(!error.message.isEmpty, "an empty resolver error message")
            return error.description
        }
    }
}
