using System.ComponentModel.DataAnnotations;

namespace OpsDesk.Workflows.Triage.Classifiers;

/// <summary>The <c>OpenAI</c> configuration section, used when <c>Triage:Provider</c> is <c>openai</c>.</summary>
public sealed class OpenAIOptions
{
    public const string Section = "OpenAI";

    /// <summary>API key; required for the openai provider (environment variable OpenAI__ApiKey).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Chat model name.</summary>
    [Required(ErrorMessage = "OpenAI:Model must not be empty.")]
    public string Model { get; set; } = "gpt-4.1-mini";

    /// <summary>Base URL of an OpenAI-compatible server (for example http://localhost:8000/v1); empty for api.openai.com.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Seconds one HTTP call may take before it fails as a transient timeout.</summary>
    [Range(1, 600, ErrorMessage = "OpenAI:TimeoutSeconds must be between 1 and 600.")]
    public int TimeoutSeconds { get; set; } = 30;
}
