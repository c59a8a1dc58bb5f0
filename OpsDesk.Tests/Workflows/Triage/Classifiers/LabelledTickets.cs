using System.Text.Json;
using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Tests.Workflows.Triage.Classifiers;

/// <summary>The hand-labelled set in Fixtures/triage/labelled-tickets.json.</summary>
internal sealed class LabelledTicket
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public string Subject { get; init; } = "";

    public string Description { get; init; } = "";

    public string Source { get; init; } = "";

    public string Category { get; init; } = "";

    public string Priority { get; init; } = "";

    public TicketText ToTicket(long id) => new(id, Subject, Description, Source);

    /// <summary>Development set (60+ tickets, the seed examples first).</summary>
    public const string DevelopmentSet = "labelled-tickets.json";

    /// <summary>Held-out set, never used to tune the lexicon.</summary>
    public const string HoldoutSet = "holdout-tickets.json";

    public static IReadOnlyList<LabelledTicket> Load(string fileName = DevelopmentSet)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "triage", fileName);
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<LabelledFile>(stream, JsonOptions) ?? throw new InvalidOperationException("Empty fixture.");
        return file.Tickets;
    }

    private sealed record LabelledFile(LabelledTicket[] Tickets);
}
