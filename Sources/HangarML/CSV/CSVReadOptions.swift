/// How to read a CSV file.
public struct CSVReadOptions: Sendable {
    /// The field separator (one ASCII byte).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// Whether the first row names the columns; without it columns are named `column1`, `column2`, ...
    public var hasHeader: Bool = true
    /// Field texts read as missing values (compared byte for byte, after removing surrounding quotes).
    public var missingValues: [String] = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "#N/A"]
    /// Kinds forced by column name; other columns are inferred from the data (forcing `.categorical` keeps a
    /// column of ISO dates as text).
    public var columnKinds: [String: ColumnKind] = [:]
    /// Columns read as ISO 8601 dates whatever the data looks like: a value that is neither a date nor a missing
    /// token is an error naming its line and column. Other columns become dates when every value in them is one.
    public var dateColumns: Set<String> = []
    /// How many rows to look at before choosing column kinds; a later value that does not fit demotes the column.
    public var inferenceRows: Int = 1000
    /// How many threads parse chunks of the file at the same time.
    public var threads: Int = ProcessorCount.available

    /// Default options: comma-separated, with a header, kinds inferred, all cores.
    public init() {}
}
