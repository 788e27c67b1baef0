/// Why a model file could not be written or read.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or written.
    case io(path: String, reason: String)
    /// The bytes are not a Hangar model file.
    case notAModelFile
    /// The file was written by a newer Hangar with a format this version does not know.
    case newerFormat(found: Int, supported: Int)
    /// The file claims to be a model but its content is inconsistent.
    case corrupt(String)

    public var description: String {
        switch self {
        case .io(let path, let reason): "cannot access model file '\(path)': \(reason)"
        case .notAModelFile: "not a Hangar model file"
        case .newerFormat(let found, let supported):
            "the model file has format version \(found), this Hangar reads up to version \(supported); upgrade Hangar"
        case .corrupt(let reason): "the model file is damaged: \(reason)"
        }
    }
}
