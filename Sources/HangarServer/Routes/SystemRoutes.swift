import Hummingbird
import Prometheus

/// Liveness, Prometheus metrics, version and MLflow's capability probe.
struct SystemRoutes {
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<HangarRequestContext>) {
        let registry = self.registry
        router.get("/health") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "OK")))
        }
        router.get("/version") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: HangarVersion.current)))
        }
        router.get("/metrics") { _, _ in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16 * 1024)
            registry.emit(into: &bytes)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/api/3.0/mlflow/server-info") { _, _ in
            try JSONResponse.ok(ServerInfo())
        }
    }
}

/// What MLflow's client asks the server before downloading artifacts: no multipart, a SQL store.
struct ServerInfo: Encodable {
    let storeType = "SqlStore"
    let workspacesEnabled = false
    let traceArchivalEnabled = false
    let multipartUploadsEnabled = false
    let multipartDownloadsEnabled = false
}

/// Hangar's release.
public enum HangarVersion {
    public static let current = "0.1.0"
}
