/// MLflow's `mlflow-artifacts:/<path>` URIs, which name files behind the server's artifact proxy.
public enum ArtifactURI {
    static let scheme = "mlflow-artifacts:"

    /// The path below the artifact root that a URI names (leading slashes removed), or nil for other schemes.
    public static func proxiedPath(of uri: String) -> String? {
        guard uri.hasPrefix(scheme) else { return nil }
        var path = Substring(uri.dropFirst(scheme.count))
        while path.hasPrefix("/") { path = path.dropFirst() }
        return String(path)
    }
}
