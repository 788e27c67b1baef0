import Foundation
import HangarCore

/// The JSON body MLflow 3 sends for a registry event: `{"entity", "action", "timestamp", "data"}`.
public enum WebhookPayload {
    /// The body for an event, with `data` shaped per event type as MLflow shapes it.
    public static func body(for event: RegistryEvent) throws -> [UInt8] {
        let parts = event.type.split(separator: ".", maxSplits: 1).map(String.init)
        let details = (try? JSONSerialization.jsonObject(with: Data(event.payload.utf8))) as? [String: Any] ?? [:]
        var data: [String: Any] = ["name": event.model]
        switch event.type {
        case "registered_model.created":
            data["tags"] = [String: String]()
            data["description"] = (details["description"] as? String).flatMap { $0.isEmpty ? nil : $0 } as Any? ?? NSNull()
        case "model_version.created":
            data["version"] = event.version ?? ""
            data["source"] = details["source"] ?? ""
            data["run_id"] = (details["run_id"] as? String).flatMap { $0.isEmpty ? nil : $0 } as Any? ?? NSNull()
            data["tags"] = [String: String]()
            data["description"] = NSNull()
        case "model_version_tag.set":
            data["version"] = event.version ?? ""
            data["key"] = details["key"] ?? ""
            data["value"] = details["value"] ?? ""
        case "model_version_tag.deleted":
            data["version"] = event.version ?? ""
            data["key"] = details["key"] ?? ""
        case "model_version_alias.created":
            data["alias"] = event.alias ?? ""
            data["version"] = event.version ?? ""
        case "model_version_alias.deleted":
            data["alias"] = event.alias ?? ""
        default:
            // Hangar's own events carry the version, alias and user, plus the event's details.
            if let version = event.version { data["version"] = version }
            if let alias = event.alias { data["alias"] = alias }
            if let user = event.user { data["user"] = user }
            for (key, value) in details { data[key] = value }
        }
        let envelope: [String: Any] = [
            "entity": parts.first ?? event.type,
            "action": parts.count > 1 ? parts[1] : "",
            "timestamp": isoTimestamp(millis: event.timestamp),
            "data": data,
        ]
        return Array(try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]))
    }

    /// `2026-11-22T12:04:27.831000+00:00`, the shape of MLflow's payload timestamps.
    static func isoTimestamp(millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let micros = (millis % 1000) * 1000
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, Int(micros))
    }
}
