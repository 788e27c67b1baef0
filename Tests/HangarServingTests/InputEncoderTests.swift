import HangarML
import Testing
@testable import HangarServing

@Suite struct InputEncoderTests {
    let model: ServedVersion

    init() throws {
        model = served(try trainedClassifier())
    }

    func table(_ columns: [String], _ rows: [[InputValue]]) -> InputTable {
        InputTable(columns: columns, cells: rows.flatMap { $0 })
    }

    @Test func columnsInAnyOrderEncodeInSchemaOrder() throws {
        let a = try model.encoder.encode(table(["x", "y", "color", "flag"], [[.number(7), .number(0.5), .text("red"), .bool(true)]]))
        let b = try model.encoder.encode(table(["flag", "color", "y", "x"], [[.bool(true), .text("red"), .number(0.5), .number(7)]]))
        #expect(a == b)
        #expect(model.predict(encoded: a) == model.predict(encoded: b))
    }

    @Test func missingAndUnknownColumnsAreNamed() {
        #expect(throws: InputError.missingColumns(["y", "flag"])) {
            try model.encoder.encode(table(["x", "color"], [[.number(1), .text("red")]]))
        }
        #expect(throws: InputError.unknownColumns(["extra"])) {
            try model.encoder.encode(table(["x", "y", "color", "flag", "extra"], [[.number(1), .number(1), .text("red"), .bool(false), .number(3)]]))
        }
    }

    @Test func wrongTypesNameColumnAndRow() {
        let error = #expect(throws: InputError.self) {
            try model.encoder.encode(table(["x", "y", "color", "flag"], [
                [.number(1), .number(1), .text("red"), .bool(false)],
                [.text("seven"), .number(1), .text("red"), .bool(false)],
            ]))
        }
        #expect(error == .wrongType(column: "x", row: 1, expected: "numeric", found: "text 'seven'"))
        #expect(error?.description.contains("'x'") == true)
    }

    @Test func missingValuesOnlyWhereTrainingHadThem() throws {
        // x had missing values in training: accepted. y had none: refused, naming the column.
        _ = try model.encoder.encode(table(["x", "y", "color", "flag"], [[.missing, .number(0.2), .text("red"), .bool(true)]]))
        #expect(throws: InputError.missingValues(columns: ["y"])) {
            try model.encoder.encode(table(["x", "y", "color", "flag"], [[.number(1), .number(.nan), .text("red"), .bool(true)]]))
        }
    }

    @Test func numbersBeyondFloatRangeAreRefusedInEitherColumnOrder() {
        // Columns in schema order are read without a lookup by name; both paths check the same way.
        let expected = InputError.wrongType(column: "y", row: 0, expected: "finite numeric (within ±3.4e38)", found: "number 1e+39")
        #expect(throws: expected) {
            try model.encoder.encode(table(["x", "y", "color", "flag"], [[.number(1), .number(1e39), .text("red"), .bool(true)]]))
        }
        #expect(throws: expected) {
            try model.encoder.encode(table(["flag", "color", "y", "x"], [[.bool(true), .text("red"), .number(1e39), .number(1)]]))
        }
    }

    @Test func unseenCategoriesAreTreatedAsMissingNotRefused() throws {
        let row = try model.encoder.encode(table(["x", "y", "color", "flag"], [[.number(1), .number(0.2), .text("purple"), .bool(true)]]))
        #expect(row[2].isNaN)
        let outputs = model.predict(encoded: row)
        #expect(outputs.allSatisfy { $0.isFinite })
    }

    @Test func emptyAndDuplicateInputsAreRefused() {
        #expect(throws: InputError.empty) { try model.encoder.encode(table(["x", "y", "color", "flag"], [])) }
        #expect(throws: InputError.duplicateColumn("x")) {
            try model.encoder.encode(table(["x", "x", "y", "color", "flag"], [[.number(1), .number(1), .number(1), .text("red"), .bool(true)]]))
        }
    }

    @Test func warmUpAcceptsAHealthyModel() throws {
        try model.warm()
    }
}
