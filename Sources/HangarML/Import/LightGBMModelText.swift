/// The sections of a LightGBM text model: header keys, one key-value block per tree, and the pandas categories.
///
/// The format, as `Booster.save_model` writes it: a line `tree`, header lines `key=value`, then per tree a line
/// `Tree=N` and its `key=value` lines (arrays separated by spaces), a line `end of trees`, then feature importances,
/// parameters and a last line `pandas_categorical:JSON`.
struct LightGBMModelText {
    /// Header keys and values (`objective`, `feature_names`, ...).
    var header: [String: String] = [:]
    /// Header lines without `=` (`average_output`).
    var headerFlags: Set<String> = []
    /// The key-value lines of each tree, in file order.
    var trees: [[String: Substring]] = []
    /// The JSON after `pandas_categorical:`, `nil` when the line is absent.
    var pandasCategorical: Substring?

    /// Splits `text` into its sections; refuses text that does not start like a LightGBM model or that ends
    /// before `end of trees`.
    init(parsing text: String) throws(ModelImportError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)[...]
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines = lines.dropFirst() }
        guard lines.first == "tree" else { throw .notAModel(.lightgbm, reason: "the text does not start with 'tree'") }
        var inTrees = false
        var ended = false
        for line in lines.dropFirst() {
            if ended {
                if line.hasPrefix("pandas_categorical:") { pandasCategorical = line.dropFirst(19) }
                continue
            }
            if line == "end of trees" {
                ended = true
            } else if line.hasPrefix("Tree=") {
                inTrees = true
                trees.append([:])
            } else if let equals = line.firstIndex(of: "=") {
                let key = String(line[..<equals])
                let value = line[line.index(after: equals)...]
                if inTrees { trees[trees.count - 1][key] = value } else { header[key] = String(value) }
            } else if !inTrees, !line.allSatisfy(\.isWhitespace) {
                headerFlags.insert(String(line))
            }
        }
        guard ended else {
            throw .malformed(.lightgbm, location: "end of file",
                             reason: "no 'end of trees' line after \(trees.count) trees; the file is cut short")
        }
    }

    /// An integer header value.
    func headerInteger(_ key: String) throws(ModelImportError) -> Int {
        guard let text = header[key] else { throw .malformed(.lightgbm, location: "header", reason: "no '\(key)'") }
        guard let value = Int(text) else {
            throw .malformed(.lightgbm, location: "header key '\(key)'", reason: "'\(text)' is not an integer")
        }
        return value
    }
}

/// Reads the arrays of one `Tree=` block, naming the tree and key in errors.
struct LightGBMTreeFields {
    var fields: [String: Substring]
    var tree: Int

    func fail(_ key: String, _ reason: String) -> ModelImportError {
        .malformed(.lightgbm, location: "tree \(tree), key '\(key)'", reason: reason)
    }

    /// One number.
    func value<T: LosslessStringConvertible>(_ key: String) throws(ModelImportError) -> T {
        guard let text = fields[key] else { throw fail(key, "missing") }
        guard let value = T(String(text)) else { throw fail(key, "'\(text)' is not a number") }
        return value
    }

    /// `count` space-separated numbers.
    func array<T: LosslessStringConvertible>(_ key: String, count: Int) throws(ModelImportError) -> [T] {
        guard let text = fields[key] else { throw fail(key, "missing") }
        let parts = text.split(separator: " ")
        guard parts.count == count else { throw fail(key, "\(parts.count) values, expected \(count)") }
        var values: [T] = []
        values.reserveCapacity(count)
        for part in parts {
            guard let value = T(String(part)) else { throw fail(key, "'\(part)' is not a number") }
            values.append(value)
        }
        return values
    }
}
