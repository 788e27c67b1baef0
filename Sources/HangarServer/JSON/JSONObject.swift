/// The fields of a parsed JSON object, each key once (a repeated key keeps its last value, as in a dictionary built in
/// order).
///
/// Request objects are mostly small (a metric has four fields, a tag two): kept as a list, reading one is a few
/// comparisons of short strings where a dictionary hashes every key on insert and again on every lookup, about 5% of
/// a 1,000-metric `log-batch`. Objects wider than `indexedWidth` (a wide `dataframe_records` row) get a key index, so
/// lookups stay constant-time.
struct JSONObject: Sequence {
    typealias Element = (key: String, value: JSONValue)

    private(set) var fields: [Element]
    private let index: [String: Int]?

    static let indexedWidth = 16

    /// - Parameter fields: in the order they were read; repeated keys allowed.
    init(_ fields: [Element]) {
        if fields.count > Self.indexedWidth {
            var index = [String: Int](minimumCapacity: fields.count)
            var unique: [Element] = []
            unique.reserveCapacity(fields.count)
            for field in fields {
                if let at = index[field.key] {
                    unique[at].value = field.value
                } else {
                    index[field.key] = unique.count
                    unique.append(field)
                }
            }
            self.fields = unique
            self.index = index
            return
        }
        var unique = fields
        var i = 1
        while i < unique.count {
            if let earlier = unique[..<i].firstIndex(where: { $0.key == unique[i].key }) {
                unique[earlier].value = unique[i].value
                unique.remove(at: i)
            } else {
                i += 1
            }
        }
        self.fields = unique
        self.index = nil
    }

    init(_ dictionary: [String: JSONValue]) {
        self.init(dictionary.map { (key: $0.key, value: $0.value) })
    }

    subscript(key: String) -> JSONValue? {
        if let index { return index[key].map { fields[$0].value } }
        for field in fields where field.key == key { return field.value }
        return nil
    }

    var keys: [String] { fields.map(\.key) }
    var count: Int { fields.count }
    var isEmpty: Bool { fields.isEmpty }

    func makeIterator() -> IndexingIterator<[Element]> { fields.makeIterator() }
}
