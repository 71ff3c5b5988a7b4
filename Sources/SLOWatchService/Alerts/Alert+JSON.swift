extension Alert {
    /// Writes the alert as Alertmanager's `POST /api/v2/alerts` reads it:
    /// `{"labels":{…},"annotations":{"summary","description"},"startsAt","endsAt","generatorURL"}`, the
    /// times in RFC 3339 UTC with ms.
    /// - Parameters:
    ///   - json: the writer, inside the array of the post.
    ///   - nowMilliseconds: the send time (ms since the epoch), for a firing alert's `endsAt`.
    ///   - firingLeadMilliseconds: how far past `nowMilliseconds` a firing alert's `endsAt` lies.
    func writeJSON(to json: inout JSONWriter, nowMilliseconds: Double, firingLeadMilliseconds: Double) {
        json.beginObject()
        json.key("labels")
        json.beginObject()
        for label in labels {
            json.key(label.name)
            json.string(label.value)
        }
        json.endObject()
        json.key("annotations")
        json.beginObject()
        json.key("summary")
        json.string(summary)
        json.key("description")
        json.string(description)
        json.endObject()
        json.key("startsAt")
        json.string(Self.rfc3339(startsAtMilliseconds))
        json.key("endsAt")
        json.string(Self.rfc3339(endsAtMilliseconds ?? nowMilliseconds + firingLeadMilliseconds))
        json.key("generatorURL")
        json.string(generatorURL)
        json.endObject()
    }

    /// The JSON array of `alerts`, the body of one post.
    static func postBody(
        _ alerts: some Collection<Alert>, nowMilliseconds: Double, firingLeadMilliseconds: Double
    ) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + 512 * alerts.count)
        json.beginArray()
        for alert in alerts {
            alert.writeJSON(
                to: &json, nowMilliseconds: nowMilliseconds, firingLeadMilliseconds: firingLeadMilliseconds)
        }
        json.endArray()
        return json.bytes
    }

    /// `milliseconds` since the epoch as RFC 3339 UTC with ms, `2025-11-29T10:00:05.123Z`; clamped to
    /// the years 1970 to 9999, which RFC 3339 can write.
    static func rfc3339(_ milliseconds: Double) -> String {
        let clamped = milliseconds.isNaN ? 0 : min(max(milliseconds, 0), 253_402_300_799_999)
        let whole = Int64(clamped.rounded(.down))
        return LogTimestamp.format(seconds: Int(whole / 1000), milliseconds: Int(whole % 1000))
    }
}
