import ArgumentParser
import Foundation
import HangarClient
import HangarML

/// `hangar predict`: a model file or a registered version, applied to a CSV.
struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict every row of a CSV with a model file or a registered model (models:/NAME@ALIAS).",
        discussion: """
            The input is read a block of rows at a time, so files larger than memory work; a model with date features
            or lags reads the whole file. A progress bar goes to standard error when it is a terminal.
            """)

    @Option(help: "A model file, or models:/NAME@ALIAS or models:/NAME/VERSION from the server at --url.")
    var model: String

    @Option(help: "CSV with the model's input columns (other columns are ignored).")
    var input: String

    @Option(help: "Where to write the predictions CSV (one line per input row; replaced once every row is written).")
    var output: String

    @Option(help: "Hangar server URL for models:/ URIs (default: $HANGAR_URL or http://127.0.0.1:5000).")
    var url: String = ProcessInfo.processInfo.environment["HANGAR_URL"] ?? "http://127.0.0.1:5000"

    @Option(help: "Threads to predict with.")
    var threads: Int = ProcessorCount.available

    func validate() throws {
        if threads < 1 || threads > 1024 { throw CLIError("--threads must be between 1 and 1024") }
        if model.hasPrefix("models:/") { try RemoteURL.check(url, option: "--url") }
        try OutputPath.check(output, option: "--output", inputs: [input, model])
    }

    func run() async throws {
        let started = ContinuousClock.now
        let path = try await ModelSource.localPath(model, serverURL: url)
        let loaded: TabularModel
        do {
            // A registered model was downloaded to a temporary file; once loaded it is not needed.
            defer { if path != model { try? FileManager.default.removeItem(atPath: path) } }
            loaded = try ModelFile.load(from: path)
        } catch {
            throw CLIError("\(model): \(error)")
        }
        let showProgress = isatty(STDERR_FILENO) != 0
        let summary: CSVPrediction.Summary
        do {
            summary = try CSVPrediction.run(model: loaded, input: input, output: output, threads: max(1, threads)) {
                rows, done, total in
                guard showProgress else { return }
                let percent = total > 0 ? done * 100 / total : 100
                let bar = String(repeating: "#", count: percent / 4) + String(repeating: ".", count: 25 - percent / 4)
                FileHandle.standardError.write(Data("\r[\(bar)] \(percent)%  \(rows) rows".utf8))
            }
        } catch let error as CocoaError {
            throw CLIError("cannot write \(output): \(error.localizedDescription)")
        } catch {
            throw CLIError("\(input): \(error)")
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        FileHandle.standardError.write(Data("predicted \(summary.rows) rows into \(output) in \(String(format: "%.2f", seconds)) s\n".utf8))
    }
}
