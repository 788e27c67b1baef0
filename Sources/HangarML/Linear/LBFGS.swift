/// Limited-memory BFGS minimization with a backtracking (Armijo) line search.
struct LBFGS {
    var memory = 10
    var maxIterations = 500
    /// Stop when the largest gradient component falls below this.
    var gradientTolerance = 1e-6

    /// Minimizes `objective`, which returns the value at `x` and writes the gradient into its second argument.
    func minimize(start: [Double], objective: ([Double], inout [Double]) -> Double) -> [Double] {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var steps: [[Double]] = [], changes: [[Double]] = [], rhos: [Double] = []
        var trialGradient = [Double](repeating: 0, count: n)
        for iteration in 0..<maxIterations {
            if gradient.reduce(0, { max($0, abs($1)) }) < gradientTolerance { break }
            // Two-loop recursion: direction = -H * gradient.
            var q = gradient
            var alphas = [Double](repeating: 0, count: steps.count)
            for i in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[i] = rhos[i] * dot(steps[i], q)
                for j in 0..<n { q[j] -= alphas[i] * changes[i][j] }
            }
            if let last = steps.indices.last {
                let scale = dot(steps[last], changes[last]) / dot(changes[last], changes[last])
                for j in 0..<n { q[j] *= scale }
            } else {
                let norm = dot(gradient, gradient).squareRoot()
                for j in 0..<n { q[j] /= max(norm, 1) }
            }
            for i in steps.indices {
                let beta = rhos[i] * dot(changes[i], q)
                for j in 0..<n { q[j] += (alphas[i] - beta) * steps[i][j] }
            }
            var direction = q.map { -$0 }
            var slope = dot(direction, gradient)
            if slope >= 0 {
                // Not a descent direction (numerical trouble): fall back to steepest descent.
                direction = gradient.map { -$0 }
                slope = -dot(gradient, gradient)
                steps.removeAll()
                changes.removeAll()
                rhos.removeAll()
            }
            var step = 1.0
            var trial = x
            var trialValue = value
            var accepted = false
            for _ in 0..<40 {
                for j in 0..<n { trial[j] = x[j] + step * direction[j] }
                trialValue = objective(trial, &trialGradient)
                if trialValue <= value + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            guard accepted else { break }
            let s = (0..<n).map { trial[$0] - x[$0] }
            let y = (0..<n).map { trialGradient[$0] - gradient[$0] }
            let sy = dot(s, y)
            if sy > 1e-12 {
                steps.append(s)
                changes.append(y)
                rhos.append(1 / sy)
                if steps.count > memory {
                    steps.removeFirst()
                    changes.removeFirst()
                    rhos.removeFirst()
                }
            }
            let improvement = value - trialValue
            x = trial
            gradient = trialGradient
            value = trialValue
            if iteration > 0, improvement <= 1e-12 * max(1, abs(value)) { break }
        }
        return x
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}
