namespace OpsDesk.Workflows.Triage.Classifiers.Local;

/// <summary>
/// Multinomial logistic regression (a linear layer and softmax) trained by full-batch gradient descent
/// with L2 regularisation. No randomness: weights start at zero and the examples are visited in order,
/// so the same data gives the same weights on every start.
/// </summary>
internal sealed class SoftmaxRegression
{
    private readonly double[][] weights; // [class][feature], the last feature is the bias

    public SoftmaxRegression(double[][] weights) => this.weights = weights;

    /// <summary>A copy of the weights, rounded to 6 decimals (what classifier-weights.json stores).</summary>
    public double[][] Weights() => [.. weights.Select(w => w.Select(x => Math.Round(x, 6)).ToArray())];

    public int Classes => weights.Length;

    /// <param name="features">One row per example, all the same length.</param>
    /// <param name="labels">Class index per example.</param>
    /// <param name="classWeights">Weight of an example of each class in the loss (null: 1 each).</param>
    public static SoftmaxRegression Train(
        IReadOnlyList<double[]> features, IReadOnlyList<int> labels, int classes, double l2, int epochs, double learningRate, double[]? classWeights = null)
    {
        var n = features.Count;
        var dim = features[0].Length + 1;
        var w = new double[classes][];
        var grad = new double[classes][];
        var velocity = new double[classes][];
        for (var c = 0; c < classes; c++)
        {
            w[c] = new double[dim];
            grad[c] = new double[dim];
            velocity[c] = new double[dim];
        }

        var totalWeight = 0.0;
        for (var i = 0; i < n; i++)
            totalWeight += classWeights?[labels[i]] ?? 1;

        var p = new double[classes];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var g in grad)
                Array.Clear(g);
            for (var i = 0; i < n; i++)
            {
                var x = features[i];
                Probabilities(w, x, p);
                var exampleWeight = (classWeights?[labels[i]] ?? 1) / totalWeight;
                for (var c = 0; c < classes; c++)
                {
                    var err = (p[c] - (c == labels[i] ? 1 : 0)) * exampleWeight;
                    if (err == 0)
                        continue;
                    var gc = grad[c];
                    for (var j = 0; j < x.Length; j++)
                        gc[j] += err * x[j];
                    gc[dim - 1] += err;
                }
            }

            // Gradient descent with momentum; the bias is not regularised.
            for (var c = 0; c < classes; c++)
            {
                for (var j = 0; j < dim; j++)
                {
                    var g = grad[c][j] + (j < dim - 1 ? l2 * w[c][j] : 0);
                    velocity[c][j] = (0.9 * velocity[c][j]) - (learningRate * g);
                    w[c][j] += velocity[c][j];
                }
            }
        }

        return new SoftmaxRegression(w);
    }

    /// <summary>Class probabilities for one feature row (summing to 1).</summary>
    public double[] Predict(double[] x)
    {
        var p = new double[weights.Length];
        Probabilities(weights, x, p);
        return p;
    }

    private static void Probabilities(double[][] w, double[] x, double[] p)
    {
        var max = double.NegativeInfinity;
        for (var c = 0; c < w.Length; c++)
        {
            var wc = w[c];
            var z = wc[^1];
            for (var j = 0; j < x.Length; j++)
                z += wc[j] * x[j];
            p[c] = z;
            max = Math.Max(max, z);
        }

        var sum = 0.0;
        for (var c = 0; c < p.Length; c++)
        {
            p[c] = Math.Exp(p[c] - max);
            sum += p[c];
        }

        for (var c = 0; c < p.Length; c++)
            p[c] /= sum;
    }
}
