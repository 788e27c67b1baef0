import Foundation
import HangarML

// TEMPORARY until HangarML's importers land (helper-5): replace bodies with LightGBMModelImport / XGBoostModelImport.
enum ForeignModels {
    static func lightGBM(_ text: String) throws -> TabularModel {
        throw ServingLoadError.source("lightgbm import pending")
    }

    static func xgboost(_ data: Data) throws -> TabularModel {
        throw ServingLoadError.source("xgboost import pending")
    }
}
