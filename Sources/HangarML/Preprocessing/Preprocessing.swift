/// What to derive beyond date parts, which every date column gets.
public struct PreprocessingOptions: Sendable, Equatable {
    /// Days that set the `holiday` part of every date column; `nil` writes no holiday flag.
    public var holidays: HolidayCalendar?
    /// Lags of the target in periods of the time column (days for dates), e.g. `[1, 7]`.
    public var lags: [Int]
    /// Rolling means of the target over that many periods before each row, e.g. `[7, 28]`.
    public var rollingMeans: [Int]

    /// Options; lags and rolling means need a time column where they are used.
    public init(holidays: HolidayCalendar? = nil, lags: [Int] = [], rollingMeans: [Int] = []) {
        self.holidays = holidays
        self.lags = lags
        self.rollingMeans = rollingMeans
    }
}

/// Features derived from input columns before the learner reads them: fitted in training, saved in the model
/// file, and replayed on the rows to predict.
///
/// Date and date-time columns are replaced by their parts (`day.year`, `day.month`, `day.day_of_month`,
/// `day.day_of_week`, `day.day_of_year`, `day.hour` for date-times, `day.holiday` with a calendar); with lags or
/// rolling means, `target.lag_k` and `target.rolling_mean_w` columns are added (see `TargetHistoryStep`).
public struct Preprocessing: Sendable, Codable, Equatable {
    /// One step per date column, in column order.
    public var dateParts: [DatePartsStep]
    /// The holiday calendar of the `holiday` parts.
    public var holidays: HolidayCalendar?
    /// Lags and rolling means of the target, if asked for.
    public var targetHistory: TargetHistoryStep?

    /// The derived feature names, in the order they are appended.
    public var outputNames: [String] { dateParts.flatMap(\.outputNames) + (targetHistory?.outputNames ?? []) }

    /// Fits the steps to a training frame: date parts for every date column but the target, lags and rolling
    /// means when `options` asks for them. `nil` when there is nothing to derive.
    public static func fit(_ frame: DataFrame, target: String, timeColumn: String? = nil,
                           groupColumn: String? = nil, options: PreprocessingOptions = PreprocessingOptions())
        throws(PreprocessingError) -> Preprocessing?
    {
        var dateParts: [DatePartsStep] = []
        for column in frame.columns where column.name != target {
            guard let kind = column.dateKind else { continue }
            dateParts.append(DatePartsStep(column: column.name, kind: kind, withHolidays: options.holidays != nil))
        }
        var targetHistory: TargetHistoryStep?
        if !options.lags.isEmpty || !options.rollingMeans.isEmpty {
            guard let timeColumn else { throw .needsTimeColumn }
            targetHistory = try TargetHistoryStep.fit(frame, target: target, timeColumn: timeColumn,
                                                      groupColumn: groupColumn, lags: options.lags,
                                                      rollingMeans: options.rollingMeans)
        }
        guard !dateParts.isEmpty || targetHistory != nil else { return nil }
        let preprocessing = Preprocessing(dateParts: dateParts, holidays: dateParts.isEmpty ? nil : options.holidays,
                                          targetHistory: targetHistory)
        let kept = Set(frame.columnNames).subtracting(dateParts.map(\.column))
        if let clash = preprocessing.outputNames.first(where: kept.contains) { throw .nameClash(clash) }
        return preprocessing
    }

    /// The frame the learner reads, for rows to predict: date columns replaced by their parts, lags and rolling
    /// means from the history kept in training plus the targets `frame` carries.
    public func apply(_ frame: DataFrame) throws(PreprocessingError) -> DataFrame {
        try transform(frame, useHistory: true)
    }

    /// The training frame the learner reads: as `apply`, with lags from the frame's own rows only.
    public func trainingFrame(_ frame: DataFrame) throws(PreprocessingError) -> DataFrame {
        try transform(frame, useHistory: false)
    }

    func transform(_ frame: DataFrame, useHistory: Bool) throws(PreprocessingError) -> DataFrame {
        let history = try targetHistory?.columns(of: frame, useHistory: useHistory) ?? []
        var derived: [Column] = []
        for step in dateParts { derived += try step.columns(of: frame, holidays: holidays) }
        let replaced = Set(dateParts.map(\.column))
        do {
            return try DataFrame(columns: frame.columns.filter { !replaced.contains($0.name) } + derived + history)
        } catch {
            // Lengths always agree; a clash means the input already has a column named like a derived feature.
            if case .duplicateColumn(let name) = error { throw .nameClash(name) }
            preconditionFailure("derived columns have the frame's length: \(error)")
        }
    }

    /// Why a preprocessing read from a model file cannot be used, or `nil`.
    func problem(schema: FeatureSchema) -> String? {
        let names = Set(schema.features.map(\.name))
        if let missing = outputNames.first(where: { !names.contains($0) }) {
            return "preprocessing writes feature '\(missing)' that the schema lacks"
        }
        return targetHistory?.validate()
    }
}
