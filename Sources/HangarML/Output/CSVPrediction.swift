import Foundation

/// Predicts a CSV file into a predictions CSV, a block of rows at a time.
public enum CSVPrediction {
    /// What `run` did.
    public struct Summary: Sendable, Equatable {
        /// Rows predicted (and lines written after the header).
        public var rows: Int
        /// Whether the input was read in blocks (false: the model's preprocessing needs the whole file at once).
        public var streamed: Bool
    }

    /// Predicts every row of the CSV at `input` with `model` and writes `prediction` (and `proba_<class>`) lines to
    /// `output`, row for row, replacing it only once every row is written.
    ///
    /// Memory holds one block of rows (`blockBytes` of input) whatever the file's size: the model's feature columns
    /// are read with the kinds it was trained on, other columns are read and ignored. A model with derived features
    /// (date parts, lags) reads the whole file, since a lag may need any earlier row of its group.
    /// `progress(rows, bytesDone, totalBytes)` is called after each block.
    public static func run(
        model: TabularModel, input: String, output: String, threads: Int = ProcessorCount.available,
        blockBytes: Int = 64 << 20, progress: (Int, Int, Int) -> Void = { _, _, _ in }
    ) throws -> Summary {
        // Beside the file it replaces (through a symlink, beside the file the link names), under a name of its own.
        let target = URL(fileURLWithPath: output).resolvingSymlinksInPath().path
        let partial = target + ".partial-" + UUID().uuidString.lowercased()
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial)
        else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: output])
        }
        var closed = false
        defer {
            if !closed { try? handle.close() }
            try? FileManager.default.removeItem(atPath: partial)
        }
        try handle.write(contentsOf: Data(PredictionCSV.header(task: model.target.task, classLabels: model.target.classLabels).utf8))
        var rows = 0
        let streamed = model.preprocessing == nil
        if streamed {
            var options = CSVReadOptions()
            options.threads = max(1, threads)
            for feature in model.schema.features { options.columnKinds[feature.name] = feature.kind }
            try CSVReader.forEachBlock(fileAt: input, options: options, blockBytes: blockBytes) { block, done, total in
                let predictions = try model.predict(block, threads: max(1, threads))
                try handle.write(contentsOf: Data(PredictionCSV.rows(predictions).utf8))
                rows += predictions.rowCount
                progress(rows, done, total)
            }
            if rows == 0 {
                // No block came, so no block checked the columns: a header-only (or garbage) file must still fit.
                _ = try model.predict(try CSVReader.read(fileAt: input), threads: 1)
            }
        } else {
            let frame = try CSVReader.read(fileAt: input)
            let predictions = try model.predict(frame, threads: max(1, threads))
            try handle.write(contentsOf: Data(PredictionCSV.rows(predictions).utf8))
            rows = predictions.rowCount
            progress(rows, 1, 1)
        }
        try handle.close()
        closed = true
        guard rename(partial, target) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output])
        }
        return Summary(rows: rows, streamed: streamed)
    }
}
