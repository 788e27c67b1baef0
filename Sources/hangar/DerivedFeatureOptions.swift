import ArgumentParser
import Foundation
import HangarML

/// `hangar train` options for derived features: holiday flags on date parts, lags and rolling means.
struct DerivedFeatureOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Holiday calendar file: one ISO date per line (or a CSV with the date first); adds a holiday flag.",
        discussion: "Every date column gets a `<column>.holiday` feature; the calendar is saved in the model."))
    var holidays: String?
    @Option(help: "Lags of the target in periods of --time-column (days for dates), comma-separated, e.g. 1,7.")
    var lags: PeriodList?
    @Option(help: "Rolling means of the target over that many periods before each row, comma-separated, e.g. 7,28.")
    var rollingMeans: PeriodList?

    func validate(timeColumn: String?) throws {
        if (lags != nil || rollingMeans != nil) && timeColumn == nil {
            throw ValidationError("--lags and --rolling-means need --time-column")
        }
    }

    /// The library's options, with the holiday calendar read from its file.
    func options() throws -> PreprocessingOptions {
        var options = PreprocessingOptions(lags: lags?.periods ?? [], rollingMeans: rollingMeans?.periods ?? [])
        if let holidays {
            do {
                options.holidays = try HolidayCalendar.read(fileAt: holidays)
            } catch {
                throw CLIError("\(holidays): \(error)")
            }
        }
        return options
    }

    /// The settings logged with a tracking run.
    var settings: [String: String] {
        var settings: [String: String] = [:]
        if let holidays { settings["holidays"] = holidays }
        if let lags { settings["lags"] = lags.description }
        if let rollingMeans { settings["rolling_means"] = rollingMeans.description }
        return settings
    }
}

/// A comma-separated list of positive whole numbers of periods (`1,7,28`).
struct PeriodList: ExpressibleByArgument, CustomStringConvertible {
    var periods: [Int]

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else { return nil }
        periods = parts.compactMap { $0 }
    }

    var description: String { periods.map(String.init).joined(separator: ",") }
}
