/// Writes JSON straight into bytes, in MLflow's conventions (snake_case keys, NaN and infinities as strings).
///
/// The hot responses (runs, metrics, experiments) are written with it; Foundation's `JSONEncoder` with key conversion
/// spent more time than the database on a 1,000-run search.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes one value.
    static func write(_ value: some JSONWritable) -> [UInt8] {
        var writer = JSONWriter()
        value.write(to: &writer)
        return writer.bytes
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// `{ ... }` with the fields `body` writes.
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `[ ... ]` of the elements.
    mutating func array<S: Sequence>(_ elements: S) where S.Element: JSONWritable {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { element.write(to: &self) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// `[ ... ]` of strings.
    mutating func array(strings: [String]) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for s in strings { string(s) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A key; the next value written is its value.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A key known only at run time (a column or class name).
    mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// `[ ... ]` of doubles.
    mutating func array(doubles: some Sequence<Double>) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for d in doubles { double(d) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Raw JSON text (already valid JSON), e.g. a stored JSON object.
    mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// A string; the runs between bytes that need escaping are copied whole.
    mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices where Self.needsEscape(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(utf8[index])
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    mutating func int(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A double; NaN and the infinities become the strings "NaN", "Infinity", "-Infinity" (proto3 JSON).
    mutating func double(_ value: Double) {
        if value.isNaN { return string("NaN") }
        if value.isInfinite { return string(value > 0 ? "Infinity" : "-Infinity") }
        separate()
        bytes.append(contentsOf: value.description.utf8)
    }

    // Fields: `key` then value; optional ones are omitted when nil, as proto3 JSON omits unset fields.

    mutating func field(_ name: StaticString, _ value: String) { key(name); string(value) }
    mutating func field(_ name: StaticString, _ value: String?) { if let value { key(name); string(value) } }
    mutating func field(_ name: StaticString, _ value: Int64) { key(name); int(value) }
    mutating func field(_ name: StaticString, _ value: Int64?) { if let value { key(name); int(value) } }
    mutating func field(_ name: StaticString, _ value: Double) { key(name); double(value) }
    mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T) { key(name); value.write(to: &self) }
    mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T?) { if let value { key(name); value.write(to: &self) } }
    mutating func field<T: JSONWritable>(_ name: StaticString, _ values: [T]) { key(name); array(values) }
    /// An array field left out when empty (MLflow omits empty repeated fields in search pages).
    mutating func nonEmpty<T: JSONWritable>(_ name: StaticString, _ values: [T]) { if !values.isEmpty { key(name); array(values) } }
}

/// A value that writes itself as JSON.
protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}
