namespace OpsDesk.Db.Tickets;

/// <summary>A validated, normalised ticket to insert.</summary>
/// <param name="RequestHash">Hash of the normalised request, stored with the idempotency key.</param>
public sealed record NewTicket(
    string Subject,
    string Description,
    string Source,
    string? RequesterEmail,
    string? IdempotencyKey,
    byte[]? RequestHash);
