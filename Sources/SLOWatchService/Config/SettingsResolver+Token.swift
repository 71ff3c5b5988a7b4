extension SettingsResolver {
    /// Completes the token settings: reads ``SettingKey/tokenFile`` into the configuration's token.
    /// - Throws: ``ConfigError`` when `SLOWATCH_TOKEN` or `SLOWATCH_TOKEN_FILE` is set but empty and no
    ///   other token is given (an empty value must not quietly mean "no token"), when both a token and a
    ///   token file are given (whichever layers they came from: which one was meant is a guess), or when
    ///   the token file cannot be read or holds no valid token. No message shows the token.
    func resolveToken(_ settings: inout ResolvedSettings) throws(ConfigError) {
        let variable = SettingKey.token.environmentVariable
        if flags[.token] == nil, settings.tokenFile == nil, environment[variable]?.isEmpty == true {
            throw ConfigError(
                message: "\(variable) is set but empty: an empty token would let anyone in. Give it a "
                    + "token (\(AccessToken.rule)), or unset it to serve without one.")
        }
        let fileVariable = SettingKey.tokenFile.environmentVariable
        if flags[.token] == nil, flags[.tokenFile] == nil, settings.configuration.token == nil,
            settings.tokenFile == nil, environment[fileVariable]?.isEmpty == true
        {
            throw ConfigError(
                message: "\(fileVariable) is set but empty: it names no token file, so the server would "
                    + "let anyone in. Give it the path of the file that holds the token, or unset it to "
                    + "serve without one.")
        }
        guard let path = settings.tokenFile else { return }
        let origins = settings.origins
        let origin = { (key: SettingKey) in origins[key] ?? .defaultValue }
        if settings.configuration.token != nil {
            throw ConfigError(
                message: "Both a token (from the \(origin(.token))) and a token file (from the "
                    + "\(origin(.tokenFile))) are given; give only one of them.")
        }
        settings.configuration.token = try AccessToken.load(
            path: path, source: source(of: origin(.tokenFile)))
    }

    /// The flag, variable or `file:line` key that set a setting, as messages name it.
    private func source(of origin: SettingOrigin) -> String {
        switch origin {
        case .flag(let flag): flag
        case .environment(let name): name
        case .file(let path, let line): "tokenFile at \(path):\(line)"
        case .defaultValue: SettingKey.tokenFile.flag
        }
    }
}
