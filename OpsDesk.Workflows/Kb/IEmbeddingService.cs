namespace OpsDesk.Workflows.Kb;

/// <summary>Turns texts into unit-length vectors. <see cref="Model"/> names the model; stored vectors are versioned by it.</summary>
public interface IEmbeddingService
{
    /// <summary>Model name stored with every vector (e.g. <c>all-MiniLM-L6-v2</c>, <c>openai:text-embedding-3-small</c>).</summary>
    string Model { get; }

    /// <summary>One L2-normalised vector per text, in order.</summary>
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct);
}
