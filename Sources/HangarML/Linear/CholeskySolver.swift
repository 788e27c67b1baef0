/// Solves symmetric positive (semi-)definite systems `A x = b` by Cholesky factorization.
enum CholeskySolver {
    /// Solves `A x = b` for row-major `A` (`n x n`). A singular `A` (collinear features without ridge) gets a
    /// jitter on the diagonal, growing until the factorization succeeds, which picks a near-minimum-norm solution.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        let trace = (0..<n).reduce(0.0) { $0 + a[$1 * n + $1] }
        var jitter = 0.0
        // Bounded: a matrix with NaN or infinite entries never factors, whatever the jitter.
        for _ in 0..<64 {
            if let l = factor(a, n: n, jitter: jitter) { return substitute(l, b, n: n) }
            jitter = jitter == 0 ? max(trace.isFinite ? trace / Double(max(n, 1)) : 1, 1) * 1e-12 : jitter * 100
            if !jitter.isFinite { break }
        }
        return [Double](repeating: .nan, count: n)
    }

    /// Lower-triangular `L` with `L Lᵀ = A + jitter I`, or `nil` when `A` is not positive definite enough.
    private static func factor(_ a: [Double], n: Int, jitter: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j] + (i == j ? jitter : 0)
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 1e-300 * max(1, abs(a[i * n + i])) else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        return l
    }

    private static func substitute(_ l: [Double], _ b: [Double], n: Int) -> [Double] {
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= l[k * n + i] * x[k] }
            x[i] = sum / l[i * n + i]
        }
        return x
    }
}
