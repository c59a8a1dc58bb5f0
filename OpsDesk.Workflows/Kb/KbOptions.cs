using System.ComponentModel.DataAnnotations;

namespace OpsDesk.Workflows.Kb;

/// <summary>The <c>Kb</c> configuration section: embeddings, retrieval and article limits.</summary>
public sealed class KbOptions
{
    public const string Section = "Kb";

    /// <summary>local (MiniLM, offline; the default), openai or azure (with the <c>OpenAI</c> / <c>AzureOpenAI</c> settings).</summary>
    [RegularExpression("^(local|openai|azure)$", ErrorMessage = "Kb:EmbeddingProvider must be one of local, openai, azure.")]
    public string EmbeddingProvider { get; set; } = "local";

    /// <summary>OpenAI embedding model (or the Azure deployment name of one).</summary>
    [Required(ErrorMessage = "Kb:EmbeddingModel must not be empty.")]
    public string EmbeddingModel { get; set; } = "text-embedding-3-small";

    /// <summary>Articles cited by triage and suggested in the portal.</summary>
    [Range(1, 10, ErrorMessage = "Kb:CitationCount must be between 1 and 10.")]
    public int CitationCount { get; set; } = 3;

    /// <summary>Least cosine similarity between a ticket and an article for the article to be cited or suggested.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Kb:MinSimilarity must be between 0 and 1.")]
    public double MinSimilarity { get; set; } = 0.35;

    /// <summary>How stale the in-memory vector index may get before a search checks the database for changes.</summary>
    [Range(0.0, 3600.0, ErrorMessage = "Kb:IndexRefreshSeconds must be between 0 and 3600.")]
    public double IndexRefreshSeconds { get; set; } = 2;

    /// <summary>Worker: how often articles without current vectors are looked for (and their embedding workflow started).</summary>
    [Range(1, 3600, ErrorMessage = "Kb:EmbedEverySeconds must be between 1 and 3600.")]
    public int EmbedEverySeconds { get; set; } = 10;
}
