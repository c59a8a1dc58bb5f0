namespace OpsDesk.Worker.Commands.Load;

/// <summary>One generated ticket: what a customer would send, plus the state triage would have given it.</summary>
public sealed record FakeTicket(
    string Subject,
    string Description,
    string Source,
    string? RequesterEmail,
    string Category,
    string Priority);
