import Foundation
import HangarML
import Yams

/// A logged model's files read into Hangar's runtime: the `MLmodel` file says which flavor holds the model.
public enum ModelPackage {
    /// The flavors Hangar executes, in order of preference.
    static let nativeFlavors = ["hangar", "lightgbm", "xgboost"]

    /// Loads the model whose files `read` returns (paths relative to the model's root; nil when absent).
    public static func load(
        location: String, read: @Sendable (String) async throws -> Data?
    ) async throws -> (model: TabularModel, flavor: String) {
        guard let mlmodel = try await read("MLmodel") else {
            // A bare Hangar model folder (no MLmodel) still loads.
            if let data = try await read("model.hangar") { return (try decodeHangar(data), "hangar") }
            throw ServingLoadError.noModelFiles(location)
        }
        let flavors = try flavors(of: mlmodel)
        guard let flavor = nativeFlavors.first(where: { flavors[$0] != nil }), let settings = flavors[flavor] else {
            throw ServingLoadError.unsupportedFlavor(flavors.keys.sorted())
        }
        switch flavor {
        case "hangar":
            let file = settings["model_file"] ?? "model.hangar"
            return (try decodeHangar(try await require(file, flavor: flavor, read: read)), flavor)
        case "lightgbm":
            if let modelClass = settings["model_class"], !modelClass.hasSuffix("Booster") {
                throw ServingLoadError.unreadableModel(
                    flavor: flavor, reason: "it holds a pickled \(modelClass); log the Booster (model.booster_) instead")
            }
            let file = settings["data"] ?? "model.lgb"
            let text = String(decoding: try await require(file, flavor: flavor, read: read), as: UTF8.self)
            do {
                return (try ForeignModels.lightGBM(text), flavor)
            } catch {
                throw ServingLoadError.unreadableModel(flavor: flavor, reason: "\(error)")
            }
        default:
            let format = settings["model_format"] ?? "xgb"
            let file = settings["data"] ?? "model.\(format)"
            let data = try await require(file, flavor: flavor, read: read)
            guard format == "json" || data.first == UInt8(ascii: "{") else {
                throw ServingLoadError.unsupportedXGBoostFormat(format)
            }
            do {
                return (try ForeignModels.xgboost(data), flavor)
            } catch {
                throw ServingLoadError.unreadableModel(flavor: flavor, reason: "\(error)")
            }
        }
    }

    /// Flavor name to its scalar settings.
    static func flavors(of mlmodel: Data) throws(ServingLoadError) -> [String: [String: String]] {
        let parsed: Any?
        do {
            parsed = try Yams.load(yaml: String(decoding: mlmodel, as: UTF8.self))
        } catch {
            throw .malformedMLmodel("\(error)")
        }
        guard let root = parsed as? [String: Any], let flavors = root["flavors"] as? [String: Any] else {
            throw .malformedMLmodel("it has no 'flavors' section")
        }
        var result: [String: [String: String]] = [:]
        for (name, value) in flavors {
            var settings: [String: String] = [:]
            for (key, setting) in value as? [String: Any] ?? [:] {
                if let text = setting as? String { settings[key] = text } else if let number = setting as? Int { settings[key] = String(number) }
            }
            result[name] = settings
        }
        return result
    }

    static func require(_ file: String, flavor: String, read: @Sendable (String) async throws -> Data?) async throws -> Data {
        guard let data = try await read(file) else {
            throw ServingLoadError.unreadableModel(flavor: flavor, reason: "the file '\(file)' the MLmodel names is missing")
        }
        return data
    }

    static func decodeHangar(_ data: Data) throws(ServingLoadError) -> TabularModel {
        do {
            return try ModelFile.decode(data)
        } catch {
            throw .unreadableModel(flavor: "hangar", reason: "\(error)")
        }
    }
}
