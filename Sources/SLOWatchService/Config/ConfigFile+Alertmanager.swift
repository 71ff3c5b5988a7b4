extension ConfigFile {
    /// Reads `alertmanager:`, a list of URLs or one URL, each checked by ``AlertmanagerEndpoint``.
    ///
    /// An error is reported at the line of the URL at fault; `alertmanager: []` means none. A URL may not
    /// appear twice (normalised: `http://am` and `http://AM:80/` are the same Alertmanager).
    static func alertmanagers(from node: ConfigValue) throws(ConfigError) -> ConfigSetting {
        guard case .array = node.value else {
            let text = try node.text()
            do {
                return ConfigSetting(
                    value: .endpoints([try AlertmanagerEndpoint(parsing: text)]), line: node.line)
            } catch {
                throw node.error(message(text, node.name, error.reason))
            }
        }
        var endpoints: [AlertmanagerEndpoint] = []
        for item in try node.items(rule: "a list of http:// URLs, or one URL") {
            let text = try item.text()
            let endpoint: AlertmanagerEndpoint
            do {
                endpoint = try AlertmanagerEndpoint(parsing: text)
            } catch {
                throw item.error(message(text, item.name, error.reason))
            }
            if let first = endpoints.firstIndex(of: endpoint) {
                throw item.error(
                    message(
                        text, item.name,
                        "it names the same Alertmanager as \(node.name)[\(first)] (\(endpoint)): each is listed "
                            + "once, or it would get every alert twice"))
            }
            endpoints.append(endpoint)
        }
        return ConfigSetting(value: .endpoints(endpoints), line: node.line)
    }

    /// `The value "https://am" of alertmanager[1] is not valid: https is not supported: ….`
    private static func message(_ text: String, _ name: String, _ reason: String) -> String {
        "The value \(MessageText.quoted(text)) of \(name) is not valid: \(reason)\(reason.hasSuffix(".") ? "" : ".")"
    }
}
