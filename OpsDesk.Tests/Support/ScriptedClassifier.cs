using System.Collections.Concurrent;
using OpsDesk.Workflows.Triage.Classifiers;

namespace OpsDesk.Tests.Support;

/// <summary>
/// Stands in for a remote LLM provider in activity tests: answers from a script (a result or a
/// provider failure) and records every ticket it was asked about.
/// </summary>
public sealed class ScriptedClassifier(params Func<TicketText, Classification>[] script) : ITicketClassifier
{
    private int calls;

    public string Provider => "scripted";

    public ConcurrentQueue<TicketText> Seen { get; } = new();

    public Task<Classification> ClassifyAsync(TicketText ticket, CancellationToken ct)
    {
        Seen.Enqueue(ticket);
        var step = script[Math.Min(Interlocked.Increment(ref calls) - 1, script.Length - 1)];
        return Task.FromResult(step(ticket));
    }

    public static Func<TicketText, Classification> Fails(string reason, bool permanent) =>
        _ => throw new ClassifierException(reason, $"provider said {reason}", permanent);

    public static Func<TicketText, Classification> Returns(Classification c) => _ => c;
}
