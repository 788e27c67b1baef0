/// MLflow's rule for the names of metrics, params and tags (of runs, experiments, registered models and versions).
///
/// Such names become file paths in some stores, so MLflow allows only letters, digits, `_`, `-`, `.`, space, `:` and
/// `/`, and refuses a name that a path normalisation would change (`a//b`, `./a`, `a/`, a leading `/` or `..`).
public enum EntityKey {
    /// Throws INVALID_PARAMETER_VALUE with MLflow's message when `key` breaks the rule; `path` names the field.
    public static func check(_ key: String, path: String = "key") throws(HangarError) {
        if isPlainASCII(key) { return }
        if let bad = key.unicodeScalars.first(where: { !isAllowed($0) }) {
            throw .invalid("Invalid value \(quoted(key)) for parameter '\(path)' supplied: Names may only contain "
                + "alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/). "
                + "Found \(describe(bad)).")
        }
        if !isNormalPath(key) {
            throw .invalid("Invalid value \(quoted(key)) for parameter '\(path)' supplied: Names may be treated as files "
                + "in certain cases, and must not resolve to other names when treated as such.")
        }
    }

    /// The common case, decided in one pass over the bytes: ASCII letters, digits and `_ - . space :` in
    /// `/`-separated segments that are neither empty, `.` nor `..`. A false answer only means "look closer".
    public static func isPlainASCII(_ key: String) -> Bool {
        if key.utf8.starts(with: [UInt8(ascii: "."), UInt8(ascii: ".")]) { return false }
        var segmentLength = 0
        var segmentDots = 0
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "/"):
                if segmentLength == 0 || segmentDots == segmentLength && segmentLength <= 2 { return false }
                segmentLength = 0
                segmentDots = 0
                continue
            case UInt8(ascii: "."): segmentDots += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: ":"):
                break
            default: return false
            }
            segmentLength += 1
        }
        return segmentLength > 0 && !(segmentDots == segmentLength && segmentLength <= 2)
    }

    /// Python's `\w` (letters and digits of any script, and `_`) plus `/ . - space :`.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "_", "/", ".", "-", " ", ":": return true
        default:
            let properties = scalar.properties
            return properties.isAlphabetic || properties.numericType != nil
        }
    }

    /// Whether `posixpath.normpath` leaves the name as it is and it neither is `.` nor starts with `/` or `..`.
    static func isNormalPath(_ key: String) -> Bool {
        if key.hasPrefix("/") || key.hasPrefix("..") || key == "." { return false }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        return !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    private static func quoted(_ key: String) -> String {
        "\"" + key.prefix(100).map { $0 == "\"" ? "\\\"" : String($0) }.joined() + "\""
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.generalCategory == .control || scalar == "\u{7F}"
            ? "the control character U+\(String(scalar.value, radix: 16, uppercase: true))"
            : "'\(scalar)'"
    }
}
