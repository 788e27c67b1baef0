import Foundation
import HangarML
import Testing
@testable import HangarServing

@Suite struct ModelPackageTests {
    func files(_ files: [String: Data]) -> @Sendable (String) async throws -> Data? {
        { path in files[path] }
    }

    @Test func aHangarFlavorLoadsItsModelFile() async throws {
        let model = try trainedClassifier()
        let mlmodel = MLmodelFile.yaml(for: model, modelID: "m-1", modelFile: "model.hangar")
        let (loaded, flavor) = try await ModelPackage.load(
            location: "test", read: files(["MLmodel": Data(mlmodel.utf8), "model.hangar": try ModelFile.encode(model)]))
        #expect(flavor == "hangar")
        #expect(loaded == model)
    }

    @Test func aPickledModelIsRefusedNamingItsFlavors() async throws {
        let mlmodel = """
            artifact_path: model
            flavors:
              python_function:
                loader_module: mlflow.sklearn
                model_path: model.pkl
              sklearn:
                pickled_model: model.pkl
                serialization_format: cloudpickle
            """
        await #expect(throws: ServingLoadError.unsupportedFlavor(["python_function", "sklearn"])) {
            _ = try await ModelPackage.load(location: "test", read: files(["MLmodel": Data(mlmodel.utf8)]))
        }
    }

    @Test func aBinaryXGBoostModelIsRefusedWithTheFix() async throws {
        let mlmodel = """
            flavors:
              xgboost:
                data: model.ubj
                model_format: ubj
            """
        let error = await #expect(throws: ServingLoadError.self) {
            _ = try await ModelPackage.load(location: "test", read: files(["MLmodel": Data(mlmodel.utf8), "model.ubj": Data([0x7B, 1])]))
        }
        _ = error
    }

    @Test func missingFilesAndBrokenYAMLAreClearErrors() async throws {
        await #expect(throws: ServingLoadError.noModelFiles("somewhere")) {
            _ = try await ModelPackage.load(location: "somewhere", read: files([:]))
        }
        await #expect(throws: ServingLoadError.self) {
            _ = try await ModelPackage.load(location: "x", read: files(["MLmodel": Data("flavors: [unclosed".utf8)]))
        }
        let error = await #expect(throws: ServingLoadError.self) {
            _ = try await ModelPackage.load(location: "x", read: files(["MLmodel": Data("flavors:\n  hangar:\n    model_file: model.hangar\n".utf8)]))
        }
        #expect(error?.description.contains("model.hangar") == true)
    }
}
