namespace OpsDesk.Tests.Support;

/// <summary>What the fake chat-completions server answers to the next request.</summary>
public sealed record ScriptedResponse(int Status, string Body, TimeSpan Delay = default, IReadOnlyDictionary<string, string>? Headers = null);
