namespace OpsDesk.Api.Comments;

/// <summary>Body of <c>POST /api/tickets/{id}/comments</c>.</summary>
/// <param name="Body">1–10,000 characters after trimming.</param>
/// <param name="Public">true: a reply the requester sees; false: an internal note (agents and admins only).</param>
/// <param name="Status">Agents and admins: a status set in the same transaction (e.g. pending after a reply).</param>
/// <remarks>The default marks status optional in the OpenAPI schema.</remarks>
public sealed record CreateCommentRequest(string? Body, bool? Public, string? Status = null);
