import Foundation
import Testing
@testable import HangarML

/// A numeric column's values with missing ones as `nil`, so expectations can compare them.
func numbers(_ frame: DataFrame, _ name: String) -> [Double?] {
    guard let column = frame[name] else { return [] }
    return (0..<column.count).map { column.numericValue(at: $0).isNaN ? nil : column.numericValue(at: $0) }
}

private let march1 = 1_709_251_200.0 // 2024-03-01T00:00:00Z

@Test func isoDatesAndDateTimesAreInferredAsDateColumns() throws {
    let csv = """
        day,at,when,note,code
        2024-03-01,2024-03-01T08:30:00,2024-03-01 08:30:00.5Z,2024-03-01,20240301
        2024-02-29,2024-03-01T09:00:00+01:00,,hello,20240302
        NA,2024-03-02 00:00,2024-03-02T23:59:59-02:00,2024-03-03,20240303

        """
    let frame = try CSVReader.read(csv)
    #expect(frame["day"]?.dateKind == .date)
    #expect(numbers(frame, "day") == [march1, march1 - 86_400, nil])
    #expect(frame["at"]?.dateKind == .dateTime)
    #expect(numbers(frame, "at") == [march1 + 8.5 * 3600, march1 + 8 * 3600, march1 + 86_400])
    #expect(frame["when"]?.dateKind == .dateTime)
    #expect(numbers(frame, "when") == [march1 + 8.5 * 3600 + 0.5, nil, march1 + 2 * 86_400 + 7200 - 1])
    #expect(frame["note"]?.kind == .categorical && frame["note"]?.dateKind == nil)
    #expect(frame["code"]?.values == .double([20_240_301, 20_240_302, 20_240_303]) && frame["code"]?.dateKind == nil)
    #expect(frame["day"]?.text(at: 0) == "2024-03-01" && frame["day"]?.text(at: 2) == nil)
    #expect(frame["at"]?.text(at: 1) == "2024-03-01T08:00:00")
    #expect(frame["when"]?.text(at: 0) == "2024-03-01T08:30:00.5")
}

@Test func impossibleCalendarDatesAreNotDates() {
    for text in ["2024-02-30", "2023-02-29", "2024-13-01", "2024-03-01T24:00", "2024-03-01T08:60", "2024-3-1",
                 "2024-03-01T08:30:00.", "2024-03-01 08:30 x", "20240301"] {
        #expect(ISODate.parse(text) == nil, "\(text)")
    }
    #expect(ISODate.parse("2024-03-01T08:30+0530")?.seconds == march1 + 3 * 3600)
    #expect(ISODate.parse(" 2024-03-01 ")?.hasTime == false)
    #expect(ISODate.parse("1969-12-31")?.seconds == -86_400)
}

@Test func aLateValueThatIsNoDateKeepsTheColumnAsText() throws {
    var options = CSVReadOptions()
    options.inferenceRows = 2
    let frame = try CSVReader.read("day,v\n2024-03-01,1\n2024-03-02,2\nsoon,3\n", options: options)
    #expect(frame["day"]?.values == .categorical(codes: [0, 1, 2], levels: ["2024-03-01", "2024-03-02", "soon"]))
    #expect(frame["day"]?.dateKind == nil)
}

@Test func forcedDateColumnsNameTheLineAndColumnOfABadValue() throws {
    var options = CSVReadOptions()
    options.dateColumns = ["day"]
    #expect(throws: CSVError.invalidDate(line: 3, column: 2, name: "day", value: "soon")) {
        try CSVReader.read("id,day\n1,2024-03-01\n2,soon\n", options: options)
    }
    let error = CSVError.invalidDate(line: 3, column: 2, name: "day", value: "soon")
    #expect(error.description.hasPrefix("line 3, column 2 ('day'): 'soon' is not an ISO 8601 date"))
    var text = CSVReadOptions()
    text.columnKinds["day"] = .categorical
    #expect(try CSVReader.read("day\n2024-03-01\n", options: text)["day"]?.kind == .categorical)
}

@Test func datePartsOfKnownDaysAreRight() throws {
    let frame = try CSVReader.read("d,t,y\n2024-02-29,2024-03-01T08:30:00,1\n2023-12-31,2024-03-03T23:59:59,2\n"
        + "1969-12-31,,3\n,1970-01-01T00:00:00,4\n")
    let preprocessing = try #require(try Preprocessing.fit(frame, target: "y"))
    let derived = try preprocessing.apply(frame)
    #expect(derived.columnNames == ["y", "d.year", "d.month", "d.day_of_month", "d.day_of_week", "d.day_of_year",
                                    "t.year", "t.month", "t.day_of_month", "t.day_of_week", "t.day_of_year",
                                    "t.hour"])
    // 2024-02-29 was a Thursday, 2023-12-31 a Sunday, 1969-12-31 a Wednesday.
    #expect(numbers(derived, "d.day_of_week") == [4, 7, 3, nil])
    #expect(numbers(derived, "d.day_of_year") == [60, 365, 365, nil])
    #expect(numbers(derived, "d.year") == [2024, 2023, 1969, nil])
    #expect(numbers(derived, "d.month") == [2, 12, 12, nil])
    #expect(numbers(derived, "d.day_of_month") == [29, 31, 31, nil])
    #expect(numbers(derived, "t.hour") == [8, 23, nil, 0])
    #expect(numbers(derived, "t.day_of_week") == [5, 7, nil, 4])
    #expect(numbers(derived, "t.day_of_year") == [61, 63, nil, 1])
}

@Test func holidayFlagFollowsTheGivenCalendar() throws {
    let calendar = try HolidayCalendar.parse("date,name\n2024-12-25,Christmas\n# moved\n2024-12-26,Boxing Day\n\n")
    #expect(calendar.days.count == 2)
    let frame = try CSVReader.read("day,y\n2024-12-24,1\n2024-12-25,2\n2024-12-26,3\n2024-12-27,4\n,5\n")
    let preprocessing = try #require(try Preprocessing.fit(
        frame, target: "y", options: PreprocessingOptions(holidays: calendar)))
    #expect(numbers(try preprocessing.apply(frame), "day.holiday") == [0, 1, 1, 0, nil])
    #expect(try HolidayCalendar(dates: ["2024-12-25", "2024-12-25T10:00:00"]).days == [20_082])
    #expect(throws: PreprocessingError.invalidHoliday(line: 2, value: "soon")) {
        try HolidayCalendar.parse("2024-12-25\nsoon\n")
    }
}

@Test func aDateValueThatIsNoDateAtPredictionNamesTheColumn() throws {
    let frame = try CSVReader.read("day,y\n2024-12-24,1\n2024-12-25,2\n")
    let preprocessing = try #require(try Preprocessing.fit(frame, target: "y"))
    let bad = try CSVReader.read("day\n2024-12-26\nsoon\n")
    #expect(throws: PreprocessingError.notADate(column: "day", row: 2, value: "soon")) {
        try preprocessing.apply(bad)
    }
    #expect(throws: PreprocessingError.missingColumn("day")) {
        try preprocessing.apply(try CSVReader.read("other\n1\n"))
    }
}
