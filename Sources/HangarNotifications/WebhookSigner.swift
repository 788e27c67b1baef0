import Crypto
import Foundation

/// Signs webhook bodies as MLflow 3 does: `X-MLflow-Signature: v1,<base64(HMAC-SHA256(secret, "id.timestamp.body"))>`.
public enum WebhookSigner {
    /// The value of the `X-MLflow-Signature` header for one delivery.
    public static func signature(secret: String, deliveryId: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Array("\(deliveryId).\(timestamp).".utf8)
        message.append(contentsOf: body)
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }
}
