extension SettingType where Value == JournalSync {
    /// `never`, `batch` or `always`, carried as text.
    package static var journalSync: Self {
        Self(
            rule: "one of " + JournalSync.allCases.map(\.rawValue).joined(separator: ", "),
            parse: JournalSync.init(rawValue:), wrap: { SettingValue.text($0.rawValue) },
            unwrap: { if case .text(let text) = $0 { JournalSync(rawValue: text) } else { nil } })
    }
}
