namespace OpsDesk.Api.Kb;

/// <summary>
/// What the portal's create form showed and what the requester did. <c>sessionKey</c>: a random value
/// (a UUID) per form session, the same on every record of it; records of one session merge.
/// </summary>
public sealed record KbDeflectionRequest(string? SessionKey, IReadOnlyList<long>? ShownArticleIds, long? OpenedArticleId, bool? Submitted);
