using System.ComponentModel.DataAnnotations;

namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>The <c>AzureOpenAI</c> configuration section, used when <c>Triage:Provider</c> is <c>azure</c>.</summary>
public sealed class AzureOpenAIOptions
{
    public const string Section = "AzureOpenAI";

    /// <summary>Resource endpoint, for example https://my-resource.openai.azure.com/.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Deployment name of the chat model.</summary>
    public string? Deployment { get; set; }

    /// <summary>API key of the resource.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Seconds one HTTP call may take before it fails as a transient timeout.</summary>
    [Range(1, 600, ErrorMessage = "AzureOpenAI:TimeoutSeconds must be between 1 and 600.")]
    public int TimeoutSeconds { get; set; } = 30;
}
