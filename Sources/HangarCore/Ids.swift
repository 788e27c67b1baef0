import Foundation

/// Identifier formats shared by the store and the API.
public enum Ids {
    /// A run id: 32 lowercase hex digits, as MLflow makes them.
    /// A random (version 4) UUID's 16 bytes in hex, as Python's `uuid.uuid4().hex`; written straight into the string
    /// (going through `uuidString` and Foundation's string replacing was 5% of `runs/create`'s CPU).
    public static func newRunID() -> String {
        withUnsafeBytes(of: UUID().uuid) { bytes in
            String(unsafeUninitializedCapacity: 32) { out in
                for (i, byte) in bytes.enumerated() {
                    out[2 * i] = hexDigits[Int(byte >> 4)]
                    out[2 * i + 1] = hexDigits[Int(byte & 0x0F)]
                }
                return 32
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A logged model id: `m-` and 32 lowercase hex digits.
    public static func newLoggedModelID() -> String { "m-" + newRunID() }

    /// Whether a string is a well-formed run id (hex, 1 to 64 characters); guards paths built from ids.
    public static func isRunID(_ value: String) -> Bool {
        !value.isEmpty && value.count <= 64 && value.utf8.allSatisfy { isHexOrDash($0) }
    }

    /// Whether a string is a well-formed logged model id.
    public static func isLoggedModelID(_ value: String) -> Bool {
        value.hasPrefix("m-") && isRunID(String(value.dropFirst(2)))
    }

    private static func isHexOrDash(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70) || byte == 45
    }
}

/// Milliseconds since the Unix epoch, the unit of every MLflow timestamp.
public func nowMillis() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}
