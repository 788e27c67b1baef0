import Foundation

#if _endian(big)
#error("Model files store arrays little-endian; big-endian hosts need byte swapping here.")
#endif

/// A numeric array stored in JSON as base64 of its little-endian bytes: compact, exact, and fast to load.
struct PackedArray<Element: BitwiseCopyable>: Codable, Equatable where Element: Equatable {
    var values: [Element]

    init(_ values: [Element]) {
        self.values = values
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % MemoryLayout<Element>.stride == 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "packed array is not valid base64")
        }
        let count = data.count / MemoryLayout<Element>.stride
        values = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: buffer)
            initialized = count
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        let data = values.withUnsafeBytes { Data($0) }
        try container.encode(data.base64EncodedString())
    }
}

extension PackedArray: Sendable where Element: Sendable {}
