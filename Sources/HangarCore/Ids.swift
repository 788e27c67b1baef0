import Foundation

/// Identifier formats shared by the store and the API.
public enum Ids {
    /// A run id: 32 lowercase hex digits, as MLflow makes them.
    ///
    /// The digits are a time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix milliseconds, then 74 random bits.
    /// Python's `uuid.uuid4().hex` is random throughout; ordered ids keep the rows of runs created together side by
    /// side in every index keyed by run id (runs, tags, params, metrics), so a burst of `runs/create` dirties a few
    /// pages per commit instead of one per run, and a search over an experiment's runs reads a few pages instead of
    /// one per run and table. Written straight into the string (going through `uuidString` and Foundation's string
    /// replacing was 5% of `runs/create`'s CPU); the random bits come from `PooledSystemRandom`, not one system call
    /// per 64 bits.
    public static func newRunID(now: Date = Date()) -> String {
        var random = PooledSystemRandom()
        var bytes = (random.next(), random.next())
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        // Big-endian: bytes 0-5 the milliseconds, byte 6's high nibble the version, byte 8's top bits the variant.
        bytes.0 = (millis << 16) | (0x7000 | (bytes.0 & 0x0FFF))
        bytes.1 = (bytes.1 & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        bytes = (bytes.0.bigEndian, bytes.1.bigEndian)
        return withUnsafeBytes(of: bytes) { bytes in
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
