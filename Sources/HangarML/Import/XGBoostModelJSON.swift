import Foundation

/// The parts of XGBoost's JSON model (`Booster.save_model("model.json")`) that prediction needs.
///
/// Keys are XGBoost's snake_case names, read through `convertFromSnakeCase`; numeric model parameters are strings
/// in the file, as XGBoost writes them.
struct XGBoostModelJSON: Decodable {
    var learner: Learner
    var version: [Int]?

    struct Learner: Decodable {
        var featureNames: [String]?
        var featureTypes: [String]?
        var gradientBooster: Booster
        var learnerModelParam: ModelParameters
        var objective: Objective
    }

    struct Booster: Decodable {
        /// `gbtree`; `dart` and `gblinear` are refused.
        var name: String
        var model: Model?
    }

    struct Model: Decodable {
        /// The output (class) each tree adds to.
        var treeInfo: [Int]
        var trees: [Tree]
        /// The categories recorded from pandas at training time (XGBoost 3.1 and later).
        var cats: Categories?
    }

    struct Tree: Decodable {
        var leftChildren: [Int]
        var rightChildren: [Int]
        var splitIndices: [Int]
        /// The threshold of a split (`value < threshold` goes left), the value of a leaf.
        var splitConditions: [Float]
        var defaultLeft: Flags
        /// 0 numeric, 1 categorical; absent in files older than categorical support.
        var splitType: [Int]?
        var categories: [Int]?
        var categoriesNodes: [Int]?
        var categoriesSegments: [Int]?
        var categoriesSizes: [Int]?
        var lossChanges: [Double]?
        var treeParam: TreeParameters?
    }

    struct TreeParameters: Decodable {
        var sizeLeafVector: String?
    }

    struct ModelParameters: Decodable {
        /// One number, or a list in brackets (one per output) since XGBoost 3.1.
        var baseScore: String
        var numClass: String
        var numFeature: String
        var numTarget: String?
    }

    struct Objective: Decodable {
        var name: String
    }

    struct Categories: Decodable {
        /// Per feature: text categories as UTF-8 bytes cut at `offsets`, or numeric categories in `values`.
        var enc: [Encoding]
    }

    struct Encoding: Decodable {
        var offsets: [Int]?
        var values: [Double]?
    }

    /// A list of booleans written as 0/1 (XGBoost 1.6 and later) or as `true`/`false`.
    struct Flags: Decodable {
        var values: [Bool]

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let numbers = try? container.decode([Int].self) {
                values = numbers.map { $0 != 0 }
            } else {
                values = try container.decode([Bool].self)
            }
        }
    }
}

extension XGBoostModelJSON {
    /// Decodes `data`, turning decoding failures into errors that name the JSON path.
    static func decode(_ data: Data) throws(ModelImportError) -> XGBoostModelJSON {
        let whitespace: [UInt8] = [32, 9, 10, 13]
        let start = data.firstIndex { !whitespace.contains($0) }
        guard let start, data[start] == UInt8(ascii: "{") else {
            throw .notAModel(.xgboost, reason: "the file is not JSON (save the booster with model_format='json')")
        }
        if let second = data[(start + 1)...].first(where: { !whitespace.contains($0) }),
           second != UInt8(ascii: "\""), second != UInt8(ascii: "}")
        {
            throw .notAModel(.xgboost, reason: "the file looks like UBJSON, which is not read "
                             + "(save the booster with model_format='json')")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(XGBoostModelJSON.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw .malformed(.xgboost, location: "the file", reason: "not valid JSON; the file may be cut short")
        } catch DecodingError.keyNotFound(let key, let context) {
            if context.codingPath.isEmpty { throw .notAModel(.xgboost, reason: "no '\(key.stringValue)' object") }
            throw .malformed(.xgboost, location: path(context.codingPath), reason: "no '\(snakeCase(key))'")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
                DecodingError.dataCorrupted(let context)
        {
            throw .malformed(.xgboost, location: path(context.codingPath), reason: context.debugDescription)
        } catch {
            throw .malformed(.xgboost, location: "the file", reason: "\(error)")
        }
    }

    /// A coding path as it reads in the file: `learner.gradient_booster.model.trees[3].split_conditions`.
    static func path(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + snakeCase(key)
            }
        }
        return text.isEmpty ? "the top level" : text
    }

    /// XGBoost's name for a key the decoder converted to camel case.
    static func snakeCase(_ key: CodingKey) -> String {
        var name = ""
        for character in key.stringValue {
            if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
        }
        return name
    }
}
