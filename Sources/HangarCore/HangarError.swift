/// The error codes Hangar answers with; the names and HTTP statuses are MLflow's, so its client reacts as it does
/// against `mlflow server`.
public enum ErrorCode: String, Sendable, Codable {
    case invalidParameterValue = "INVALID_PARAMETER_VALUE"
    case resourceAlreadyExists = "RESOURCE_ALREADY_EXISTS"
    case resourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
    case badRequest = "BAD_REQUEST"
    case endpointNotFound = "ENDPOINT_NOT_FOUND"
    case permissionDenied = "PERMISSION_DENIED"
    case unauthenticated = "UNAUTHENTICATED"
    case resourceConflict = "RESOURCE_CONFLICT"
    case requestLimitExceeded = "REQUEST_LIMIT_EXCEEDED"
    case invalidState = "INVALID_STATE"
    case internalError = "INTERNAL_ERROR"
    case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"

    /// The HTTP status MLflow maps this code to (`mlflow/exceptions.py`).
    public var httpStatus: Int {
        switch self {
        case .invalidParameterValue, .resourceAlreadyExists, .badRequest: 400
        case .unauthenticated: 401
        case .permissionDenied: 403
        case .resourceDoesNotExist, .endpointNotFound: 404
        case .resourceConflict: 409
        case .requestLimitExceeded: 429
        case .invalidState, .internalError: 500
        case .temporarilyUnavailable: 503
        }
    }
}

/// A failure that reaches the user: a code that says what kind, and a message that says what and where.
public struct HangarError: Error, Sendable, CustomStringConvertible {
    public let code: ErrorCode
    public let message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// A missing entity, worded as MLflow words it.
    public static func notFound(_ message: String) -> HangarError { .init(.resourceDoesNotExist, message) }

    /// A request value that cannot be accepted.
    public static func invalid(_ message: String) -> HangarError { .init(.invalidParameterValue, message) }
}
