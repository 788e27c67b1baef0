import Foundation
import HangarML

/// Models trained by other libraries, read into Hangar's tree runtime.
enum ForeignModels {
    static func lightGBM(_ text: String) throws -> TabularModel {
        try LightGBMModelImport.model(fromText: text)
    }

    static func xgboost(_ data: Data) throws -> TabularModel {
        try XGBoostModelImport.model(fromJSON: data)
    }
}
