import ArgumentParser
import Foundation
import HangarClient
import HangarML

/// `hangar predict`: a model file or a registered version, applied to a CSV.
struct Predict: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict every row of a CSV with a model file or a registered model (models:/NAME@ALIAS).")

    @Option(help: "A model file, or models:/NAME@ALIAS or models:/NAME/VERSION from the server at --url.")
    var model: String

    @Option(help: "CSV with the model's input columns (other columns are ignored).")
    var input: String

    @Option(help: "Where to write the predictions CSV (one line per input row).")
    var output: String

    @Option(help: "Hangar server URL for models:/ URIs (default: $HANGAR_URL or http://127.0.0.1:5000).")
    var url: String = ProcessInfo.processInfo.environment["HANGAR_URL"] ?? "http://127.0.0.1:5000"

    @Option(help: "Threads to predict with.")
    var threads: Int = ProcessorCount.available

    func run() async throws {
        let started = ContinuousClock.now
        let path = try await ModelSource.localPath(model, serverURL: url)
        let loaded: TabularModel
        do {
            loaded = try ModelFile.load(from: path)
        } catch {
            throw CLIError("\(model): \(error)")
        }
        let frame: DataFrame
        do {
            frame = try CSVReader.read(fileAt: input)
        } catch {
            throw CLIError("\(input): \(error)")
        }
        let predictions: Predictions
        do {
            predictions = try loaded.predict(frame, threads: max(1, threads))
        } catch {
            throw CLIError("\(input): \(error)")
        }
        do {
            try PredictionCSV.write(predictions, to: output)
        } catch {
            throw CLIError("cannot write \(output): \(error.localizedDescription)")
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        FileHandle.standardError.write(Data("predicted \(predictions.rowCount) rows into \(output) in \(String(format: "%.2f", seconds)) s\n".utf8))
    }
}
