/// Reads the setting flags of a command line by the settings table, so a setting needs no option of its
/// own in the command-line code: `--name value`, `--name=value`, and a switch (`--insecure`) alone.
///
/// The command-line parser hands over the arguments it did not recognise; ``normalized(_:)`` first turns
/// `--port 8080` into `--port=8080` and moves the setting flags last, so that a value is never mistaken
/// for a positional argument.
package enum SettingFlags {
    /// An argument that is not a setting flag, or a flag without its value; `message` is the sentence
    /// the command line prints after `Error: ` (exit status 64).
    package struct Failure: Error, Equatable {
        /// What is wrong, e.g. `Unknown option '--prot'. Did you mean '--port'?`.
        package let message: String
    }

    /// The settings by flag (`--check-interval`).
    private static let byFlag = Dictionary(uniqueKeysWithValues: SettingKey.allCases.map { ($0.flag, $0) })

    /// `arguments` with each setting flag that takes a value joined to the argument after it
    /// (`--port 8080` → `--port=8080`), and the setting flags moved after the other arguments, in their
    /// order; everything from `--` on is left as it is.
    ///
    /// The command-line library drops unrecognised options that come before a positional argument
    /// (`check-config --port 1 file.yaml`), so the setting flags, which it does not know, go last.
    package static func normalized(_ arguments: [String]) -> [String] {
        var others: [String] = []
        var settings: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--" {
                return others + settings + arguments[index...]
            }
            let flag = String(argument.prefix { $0 != "=" })
            guard let key = byFlag[flag] else {
                others.append(argument)
                index += 1
                continue
            }
            if key.spec.valueName != nil, flag == argument, index + 1 < arguments.endIndex,
                arguments[index + 1] != "--"
            {
                settings.append("\(argument)=\(arguments[index + 1])")
                index += 2
            } else {
                settings.append(argument)
                index += 1
            }
        }
        return others + settings
    }

    /// The values given, by setting: the last one wins, but a repeatable flag's values are joined with
    /// commas (the list syntax of its environment variable), and a switch alone stands for `true`.
    /// - Parameter arguments: the arguments left over, after ``normalized(_:)``.
    /// - Throws: ``Failure`` for an argument that is not a setting flag (with the closest flag, if any),
    ///   a flag without its value, or a switch given a value.
    package static func values(_ arguments: [String]) throws(Failure) -> [SettingKey: String] {
        var values: [SettingKey: String] = [:]
        for argument in arguments {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw Failure(message: "Unexpected argument '\(argument)'")
            }
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let flag = String(parts[0])
            guard let key = byFlag[flag] else {
                let suggestion = KeySuggestion.closest(to: flag, in: SettingKey.allCases.map(\.flag))
                throw Failure(
                    message: "Unknown option '\(flag)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                )
            }
            let spec = key.spec
            guard let valueName = spec.valueName else {
                guard parts.count == 1 else {
                    throw Failure(
                        message: "The option '\(flag)' does not take any value, but '\(parts[1])' was given")
                }
                values[key] = "true"
                continue
            }
            guard parts.count == 2 else {
                throw Failure(message: "Missing value for '\(flag) <\(valueName)>'")
            }
            let value = String(parts[1])
            if spec.isRepeatable, let earlier = values[key] {
                values[key] = earlier + "," + value
            } else {
                values[key] = value
            }
        }
        return values
    }
}
